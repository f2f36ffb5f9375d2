"""Opening a store: the database URL picks the backend; migrations run before first use."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from store.postgres import PostgresEventRecorder, create_postgres_engine
from store.errors import StoreUnavailable
from store.recorder import Clock, SqlEventRecorder, utcnow
from store.sqlite import SqliteEventRecorder, create_sqlite_engine

MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass
class Store:
    engine: Engine
    recorder: SqlEventRecorder

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()


def safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def create_engine_for(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreUnavailable(f"invalid database URL {url!r}: {exc}") from None
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            return create_sqlite_engine(parsed)
        if backend == "postgresql":
            if parsed.drivername == "postgresql":
                parsed = parsed.set(drivername="postgresql+psycopg")
            return create_postgres_engine(parsed)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StoreUnavailable(
            f"database driver missing for {safe_url(url)} ({exc}); for PostgreSQL install pactwatch[postgres]"
        ) from None
    raise StoreUnavailable(f"unsupported database {safe_url(url)}: use sqlite:/// or postgresql+psycopg://")


def open_store(url: str, *, clock: Clock = utcnow, migrate_schema: bool = True) -> Store:
    """Connect, check the database answers, bring the schema to head and return the store."""
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if migrate_schema:
            migrate(engine)
    except DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreUnavailable(f"cannot reach database {safe_url(url)}: {reason}") from None
    recorder_cls = SqliteEventRecorder if engine.dialect.name == "sqlite" else PostgresEventRecorder
    return Store(engine, recorder_cls(engine, clock))


def _alembic_config(conn) -> AlembicConfig:  # type: ignore[no-untyped-def]
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def migrate(engine: Engine) -> None:
    """Upgrade to head, serialised so that processes starting together don't race."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(hashtext('pactwatch.migrate:' || current_schema()))"))
            conn.commit()
            try:
                if not _at_head(conn):
                    command.upgrade(_alembic_config(conn), "head")
                    conn.commit()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext('pactwatch.migrate:' || current_schema()))"))
                conn.commit()
        else:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                if not _at_head(conn):
                    command.upgrade(_alembic_config(conn), "head")


def _at_head(conn) -> bool:  # type: ignore[no-untyped-def]
    heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    return set(MigrationContext.configure(conn).get_current_heads()) == heads
