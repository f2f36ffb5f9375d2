"""SQLite specifics: WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for writers.

Writers start with BEGIN IMMEDIATE so they queue on SQLite's write lock (with the busy timeout)
instead of failing when a deferred read transaction tries to upgrade to a write.
"""
from __future__ import annotations

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL

from store.recorder import SqlEventRecorder

BUSY_TIMEOUT_MS = 30_000


def create_sqlite_engine(url: URL | str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class SqliteEventRecorder(SqlEventRecorder):
    def write_connection(self) -> Connection:
        return self.engine.connect().execution_options(sqlite_begin="IMMEDIATE")

    def _begin_write(self, conn: Connection) -> None:
        pass  # BEGIN IMMEDIATE already holds the write lock
