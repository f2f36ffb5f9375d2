"""PostgreSQL specifics: appends are serialised by a transaction-scoped advisory lock.

Positions are assigned while the lock is held and the lock is released only at commit, so
transactions commit in position order: a reader can never see position N and later discover a
committed event below N (the classic gap problem of sequence-based logs under concurrency).
The lock key is derived from the schema, so test runs in separate schemas don't contend.
"""
from __future__ import annotations

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL

from store.recorder import SqlEventRecorder

_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('pactwatch.events:' || current_schema()))")


def create_postgres_engine(url: URL | str) -> Engine:
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args={"connect_timeout": 5})


class PostgresEventRecorder(SqlEventRecorder):
    def _begin_write(self, conn: Connection) -> None:
        conn.execute(_LOCK)
