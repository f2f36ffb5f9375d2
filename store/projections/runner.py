"""Feeds the log to projections, exactly once each.

Each batch is one transaction holding the projection's read-model writes AND its checkpoint, so
a crash either keeps both or neither: no event is lost or applied twice. The runner first reads
the log's head, then events up to it, so on PostgreSQL (where appends commit in position order)
every event below the head it saw is already visible.
"""
from __future__ import annotations

from typing import Callable, ClassVar, Iterable, Protocol

from sqlalchemy import Connection, Table, func, select

from store.recorder import EVENT_COLUMNS, SqlEventRecorder, StoredEvent, stored_events
from store.tables import checkpoints
from store.tables import events as events_table


class Projection(Protocol):
    """A read model. It gets events a batch at a time (fewer round trips on replay), inside the
    transaction that also moves its checkpoint; ``stored.event()`` gives the typed event."""

    name: ClassVar[str]
    tables: ClassVar[list[Table]]
    types: ClassVar[frozenset[str] | None]  # event types it reads; None for all

    def process_batch(self, conn: Connection, batch: list[StoredEvent]) -> None: ...


class ProjectionRunner:
    def __init__(self, recorder: SqlEventRecorder, batch_size: int = 2000):
        self.recorder = recorder
        self.engine = recorder.engine
        self.batch_size = batch_size

    def checkpoint(self, name: str) -> int:
        with self.engine.connect() as conn:
            return read_checkpoint(conn, name)

    def run(self, projection: Projection, *, stop_after: int | None = None, on_batch: Callable[[int], None] | None = None) -> int:
        """Apply everything new; returns how many events were applied. ``stop_after`` is for tests."""
        applied = 0
        while True:
            n, more = self._run_batch(projection)
            applied += n
            if on_batch:
                on_batch(n)
            if not more or (stop_after is not None and applied >= stop_after):
                return applied

    def run_all(self, projections: Iterable[Projection]) -> dict[str, int]:
        return {p.name: self.run(p) for p in projections}

    def _run_batch(self, projection: Projection) -> tuple[int, bool]:
        with self.recorder.write_connection() as conn, conn.begin():
            self._lock(conn, projection.name)
            start = read_checkpoint(conn, projection.name)
            head = conn.execute(select(func.coalesce(func.max(events_table.c.position), 0))).scalar_one()
            if head <= start:
                return 0, False
            stmt = select(*EVENT_COLUMNS).where(events_table.c.position > start, events_table.c.position <= head)
            if projection.types is not None:
                stmt = stmt.where(events_table.c.type.in_(sorted(projection.types)))
            rows = conn.execute(stmt.order_by(events_table.c.position).limit(self.batch_size)).all()
            projection.process_batch(conn, stored_events(rows))
            full = len(rows) == self.batch_size
            new_checkpoint = rows[-1][0] if full else head
            save_checkpoint(conn, projection.name, new_checkpoint)
            return len(rows), full or new_checkpoint < head

    def _lock(self, conn: Connection, name: str) -> None:
        """Two runners of one projection (poll --once beside run) must take turns."""
        if conn.dialect.name == "postgresql":
            from sqlalchemy import text

            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('pactwatch.projection:' || :n || current_schema()))"), {"n": name})

    def rebuild(self, projection: Projection) -> int:
        """Drop the read model, recreate it empty and replay the whole log into it."""
        with self.recorder.write_connection() as conn, conn.begin():
            self._lock(conn, projection.name)
            for table in reversed(projection.tables):
                table.drop(conn, checkfirst=True)
            for table in projection.tables:
                table.create(conn)
            conn.execute(checkpoints.delete().where(checkpoints.c.name == projection.name))
        return self.run(projection)


def read_checkpoint(conn: Connection, name: str) -> int:
    """How far ``name`` (a projection, or the detector) has read the log; 0 before its first run."""
    value = conn.execute(select(checkpoints.c.position).where(checkpoints.c.name == name)).scalar()
    return int(value or 0)


def save_checkpoint(conn: Connection, name: str, position: int) -> None:
    """Record how far ``name`` has read, in the caller's transaction."""
    updated = conn.execute(checkpoints.update().where(checkpoints.c.name == name).values(position=position))
    if updated.rowcount == 0:
        conn.execute(checkpoints.insert().values(name=name, position=position))
