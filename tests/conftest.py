"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL.

PACTWATCH_TEST_DATABASE_URL names a PostgreSQL database; every test gets its own schema in it,
dropped afterwards, so runs never see each other's data. When the variable is set and the server
can't be reached, the PostgreSQL tests fail (CI sets it); when it is unset they are skipped.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from store.engine import Store, open_store

# The local feed server and the fake Telegram Bot API server, for every test that asks.
pytest_plugins = ["tests.conftest_feeds", "tests.fake_telegram"]

PG_ENV = "PACTWATCH_TEST_DATABASE_URL"


def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def _admin_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1).split("?")[0]


def new_pg_schema_url() -> tuple[str, str]:
    """Create a private schema and return (url pointing at it, schema name)."""
    import psycopg

    base = pg_base_url()
    assert base, PG_ENV + " is not set"
    schema = "pwtest_" + uuid.uuid4().hex[:12]
    with psycopg.connect(_admin_dsn(base), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote('-csearch_path=' + schema)}", schema


def drop_pg_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(_admin_dsn(pg_base_url() or ""), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A URL of an empty database, once for each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'events.db'}"
        return
    if not pg_base_url():
        pytest.skip(f"{PG_ENV} not set; CI sets it and runs these against PostgreSQL")
    url, schema = new_pg_schema_url()
    try:
        yield url
    finally:
        drop_pg_schema(schema)


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path / 'pactwatch.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = open_store(db_url)
    try:
        yield s
    finally:
        s.dispose()
