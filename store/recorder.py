"""The append-only event recorder.

Contract (both backends):
- ``append`` writes a batch atomically. A stale ``expected_version`` raises ConcurrencyError and
  writes nothing. An event whose idempotency key is already in the log is not written again; its
  original position is returned in its place, so a re-poll or a retried command never duplicates.
- Positions are assigned by the recorder, contiguously, while appends are serialised (SQLite's
  write lock, a PostgreSQL advisory lock held to commit). Commits therefore happen in position
  order and a reader that has seen position N can never later find a committed event below N.
- Nothing is ever updated or deleted.
"""
from __future__ import annotations

import orjson
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from sqlalchemy import Connection, Engine, func, select, tuple_

from store.errors import StoreError
from store.tables import events as events_table
from tracker.domain.events import Event, decode

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class ConcurrencyError(StoreError):
    def __init__(self, stream_id: str, expected: int, actual: int):
        super().__init__(f"stream {stream_id!r}: expected version {expected}, found {actual}")
        self.stream_id, self.expected, self.actual = stream_id, expected, actual


class ImportConflict(StoreError):
    """An imported event names a (stream, version) already holding a different event."""


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event on its way into the log."""

    type: str
    data: Mapping[str, Any]
    schema_version: int = 1
    metadata: Mapping[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None

    @classmethod
    def of(cls, event: Event, *, key: str | None = None, metadata: Mapping[str, Any] | None = None) -> "NewEvent":
        return cls(event.type, event.to_data(), event.SCHEMA_VERSION, metadata or {}, key)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    position: int
    stream_id: str
    version: int
    type: str
    schema_version: int
    data: dict[str, Any]
    metadata: dict[str, Any]
    recorded_at: str
    idempotency_key: str | None

    def event(self) -> Event:
        """The typed event (upcast to its current schema). Decoded on demand: replay through a
        projection that only counts or routes events never pays for it."""
        return decode(self.type, self.schema_version, self.data)

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "stream_id": self.stream_id,
            "version": self.version,
            "type": self.type,
            "schema_version": self.schema_version,
            "data": self.data,
            "metadata": self.metadata,
            "recorded_at": self.recorded_at,
            "idempotency_key": self.idempotency_key,
        }


def _dumps(value: Any) -> str:
    """Compact, key-sorted JSON text; orjson because append and replay are the hot paths."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode() if value else "{}"


loads = orjson.loads


EVENT_COLUMNS = (
    events_table.c.position,
    events_table.c.stream_id,
    events_table.c.version,
    events_table.c.type,
    events_table.c.schema_version,
    events_table.c.data,
    events_table.c.metadata,
    events_table.c.recorded_at,
    events_table.c.idempotency_key,
)


class SqlEventRecorder:
    """Dialect-neutral recorder; subclasses supply how appends are serialised."""

    read_batch = 5000

    def __init__(self, engine: Engine, clock: Clock = utcnow):
        self.engine = engine
        self.clock = clock

    # --- dialect hooks ----------------------------------------------------------------------

    def _begin_write(self, conn: Connection) -> None:
        """Called first in every write transaction; must serialise writers until commit."""
        raise NotImplementedError

    def write_connection(self) -> Connection:
        return self.engine.connect()

    # --- writing ----------------------------------------------------------------------------

    def append(
        self,
        stream_id: str,
        new_events: Sequence[NewEvent],
        expected_version: int | None = None,
    ) -> list[int]:
        """Append to one stream; returns the position of every event, original ones for duplicates.

        ``expected_version`` None appends whatever the stream holds; 0 means the stream must be new.
        """
        if not new_events:
            return []
        return self.append_many([(stream_id, new_events, expected_version)])[0]

    def append_many(self, batches: Sequence[tuple[str, Sequence[NewEvent], int | None]]) -> list[list[int]]:
        """Several streams in one transaction: all batches land or none."""
        if not any(evs for _, evs, _ in batches):
            return [[] for _ in batches]
        with self.write_connection() as conn, conn.begin():
            self._begin_write(conn)
            return self._append_locked(conn, batches)

    def _append_locked(
        self, conn: Connection, batches: Sequence[tuple[str, Sequence[NewEvent], int | None]]
    ) -> list[list[int]]:
        """The whole write, with the writer lock held: a handful of queries however many streams."""
        keys = [e.idempotency_key for _, evs, _ in batches for e in evs if e.idempotency_key]
        known: dict[str, int] = {}
        for chunk in _chunks(keys, 500):
            rows = conn.execute(
                select(events_table.c.idempotency_key, events_table.c.position).where(
                    events_table.c.idempotency_key.in_(chunk)
                )
            )
            known.update({k: p for k, p in rows})
        touched = sorted({s for s, evs, _ in batches if any(not (e.idempotency_key in known) for e in evs)})
        versions: dict[str, int] = {}
        for chunk in _chunks(touched, 500):
            rows = conn.execute(
                select(events_table.c.stream_id, func.max(events_table.c.version))
                .where(events_table.c.stream_id.in_(chunk))
                .group_by(events_table.c.stream_id)
            )
            versions.update({sid: v for sid, v in rows})
        position = conn.execute(select(func.coalesce(func.max(events_table.c.position), 0))).scalar_one()
        recorded_at = self.clock().astimezone(timezone.utc).isoformat(timespec="microseconds")
        rows_out: list[dict[str, Any]] = []
        result: list[list[int]] = []
        for stream_id, new_events, expected_version in batches:
            positions: list[int] = []
            result.append(positions)
            fresh = [e for e in new_events if not (e.idempotency_key and e.idempotency_key in known)]
            if not fresh:
                positions.extend(known[e.idempotency_key] for e in new_events)  # type: ignore[index]
                continue
            current = versions.get(stream_id, 0)
            if expected_version is not None and current != expected_version:
                raise ConcurrencyError(stream_id, expected_version, current)
            version = current
            for e in new_events:
                key = e.idempotency_key
                if key and key in known:  # already in the log, or earlier in this very call
                    positions.append(known[key])
                    continue
                position += 1
                version += 1
                if key:
                    known[key] = position
                positions.append(position)
                rows_out.append(
                    {
                        "position": position,
                        "stream_id": stream_id,
                        "version": version,
                        "type": e.type,
                        "schema_version": e.schema_version,
                        "data": _dumps(e.data),
                        "metadata": _dumps(e.metadata),
                        "recorded_at": recorded_at,
                        "idempotency_key": key,
                    }
                )
            versions[stream_id] = version
        if rows_out:
            conn.execute(events_table.insert(), rows_out)
        return result

    def import_events(self, stored: Iterable[Mapping[str, Any]]) -> int:
        """Import exported events in one transaction; returns how many were new.

        An event already present at the same (stream, version) with the same type and data is
        skipped, so importing a file twice adds nothing. Positions are assigned anew in file
        order, which reproduces the original positions when importing into an empty store.
        """
        rows = list(stored)
        if not rows:
            return 0
        added = 0
        with self.write_connection() as conn, conn.begin():
            self._begin_write(conn)
            existing: dict[tuple[str, int], tuple[str, str]] = {}
            wanted = [(r["stream_id"], int(r["version"])) for r in rows]
            for chunk in _chunks(wanted, 400):
                for s, v, t, d in conn.execute(
                    select(
                        events_table.c.stream_id, events_table.c.version, events_table.c.type, events_table.c.data
                    ).where(tuple_(events_table.c.stream_id, events_table.c.version).in_(chunk))
                ):
                    existing[(s, v)] = (t, d)
            keys = [r["idempotency_key"] for r in rows if r.get("idempotency_key")]
            known_keys: set[str] = set()
            for chunk in _chunks(keys, 500):
                known_keys.update(
                    conn.execute(
                        select(events_table.c.idempotency_key).where(events_table.c.idempotency_key.in_(chunk))
                    ).scalars()
                )
            position = conn.execute(select(func.coalesce(func.max(events_table.c.position), 0))).scalar_one()
            inserts = []
            for r in rows:
                ident = (r["stream_id"], int(r["version"]))
                data = _dumps(r["data"])
                if ident in existing:
                    if existing[ident] != (r["type"], data):
                        raise ImportConflict(f"stream {ident[0]!r} version {ident[1]} already holds another event")
                    continue
                if r.get("idempotency_key") and r["idempotency_key"] in known_keys:
                    continue
                position += 1
                inserts.append(
                    {
                        "position": position,
                        "stream_id": r["stream_id"],
                        "version": int(r["version"]),
                        "type": r["type"],
                        "schema_version": int(r["schema_version"]),
                        "data": data,
                        "metadata": _dumps(r.get("metadata") or {}),
                        "recorded_at": r["recorded_at"],
                        "idempotency_key": r.get("idempotency_key"),
                    }
                )
                existing[ident] = (r["type"], data)
                if r.get("idempotency_key"):
                    known_keys.add(r["idempotency_key"])
            for chunk in _chunks(inserts, 5000):
                conn.execute(events_table.insert(), chunk)
            added = len(inserts)
        return added

    # --- reading ----------------------------------------------------------------------------

    def read(
        self,
        after: int = 0,
        *,
        limit: int | None = None,
        types: Sequence[str] | None = None,
        conn: Connection | None = None,
    ) -> Iterator[StoredEvent]:
        """Events with position > ``after`` in position order, fetched in pages."""
        remaining = limit
        while remaining is None or remaining > 0:
            page = self.read_batch if remaining is None else min(self.read_batch, remaining)
            stmt = select(*EVENT_COLUMNS).where(events_table.c.position > after)
            if types:
                stmt = stmt.where(events_table.c.type.in_(list(types)))
            stmt = stmt.order_by(events_table.c.position).limit(page)
            if conn is None:
                with self.engine.connect() as c:
                    rows = c.execute(stmt).all()
            else:
                rows = conn.execute(stmt).all()
            if not rows:
                return
            yield from stored_events(rows)
            after = rows[-1][0]
            if remaining is not None:
                remaining -= len(rows)
            if len(rows) < page:
                return

    def read_stream(self, stream_id: str) -> list[StoredEvent]:
        stmt = select(*EVENT_COLUMNS).where(events_table.c.stream_id == stream_id).order_by(events_table.c.version)
        with self.engine.connect() as c:
            return stored_events(c.execute(stmt))

    def tail(self, n: int, types: Sequence[str] | None = None) -> list[StoredEvent]:
        """The last ``n`` events (optionally of some types), oldest first."""
        stmt = select(*EVENT_COLUMNS)
        if types:
            stmt = stmt.where(events_table.c.type.in_(list(types)))
        stmt = stmt.order_by(events_table.c.position.desc()).limit(n)
        with self.engine.connect() as c:
            rows = c.execute(stmt).all()
        return stored_events(reversed(rows))

    def stream_version(self, stream_id: str) -> int:
        with self.engine.connect() as c:
            return c.execute(
                select(func.coalesce(func.max(events_table.c.version), 0)).where(events_table.c.stream_id == stream_id)
            ).scalar_one()

    def max_position(self) -> int:
        with self.engine.connect() as c:
            return c.execute(select(func.coalesce(func.max(events_table.c.position), 0))).scalar_one()

    def count(self, types: Sequence[str] | None = None) -> int:
        stmt = select(func.count()).select_from(events_table)
        if types:
            stmt = stmt.where(events_table.c.type.in_(list(types)))
        with self.engine.connect() as c:
            return c.execute(stmt).scalar_one()

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these idempotency keys are already in the log."""
        found: set[str] = set()
        with self.engine.connect() as c:
            for chunk in _chunks(list(keys), 500):
                found.update(c.execute(select(events_table.c.idempotency_key)
                                       .where(events_table.c.idempotency_key.in_(chunk))).scalars())
        return found

    def has_key(self, key: str) -> bool:
        with self.engine.connect() as c:
            return (
                c.execute(select(events_table.c.position).where(events_table.c.idempotency_key == key)).first()
                is not None
            )


def stored_events(rows: Iterable[Sequence[Any]]) -> list[StoredEvent]:
    """Rows selected with EVENT_COLUMNS, decoded (a hot loop on replay: keep it flat)."""
    return [StoredEvent(p, s, v, t, sv, loads(d), loads(m) if m != "{}" else {}, r, k)
            for p, s, v, t, sv, d, m, r, k in rows]


def _chunks(seq: Sequence[Any], n: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]
