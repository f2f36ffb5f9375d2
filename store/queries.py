"""Read-side queries over the read models; they return plain frozen dataclasses, never rows."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from sqlalchemy import Connection, and_, func, or_, select

from store.tables import detections, feed_state, feeds, items, partnerships, subscriptions
from store.tables import events as events_table


@dataclass(frozen=True)
class Source:
    outlet: str
    url: str
    title: str
    published: str


@dataclass(frozen=True)
class PairStatus:
    a: str
    b: str
    status: str  # kind of the latest event
    stage: str  # furthest stage reached
    open: bool
    first_date: str
    last_date: str
    events: int
    sources: int

    def partner_of(self, name: str) -> str:
        return self.b if self.a == name else self.a


@dataclass(frozen=True)
class Entry:
    """One event of a pair, as a reader sees it: one story (all its outlets) and one kind."""

    a: str
    b: str
    kind: str
    published: str
    recorded_at: str
    story_id: str
    title: str
    evidence: str
    confidence: float
    sources: tuple[Source, ...]
    position: int  # of the first detection of this story and kind


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    active: bool
    all_orgs: bool
    orgs: tuple[str, ...]
    chat_type: str
    thread_id: int | None
    language: str | None
    digest_time: str | None
    timezone: str | None
    cursor: int
    last_digest_at: str | None
    subscribed_at: str


@dataclass(frozen=True)
class FeedRow:
    name: str
    url: str | None
    lang: str | None
    removed: bool
    health: str
    last_error: str | None
    failing_since: str | None
    items: int
    last_success: str | None
    next_poll: str | None
    consecutive_failures: int


def _pair_status(r) -> PairStatus:  # type: ignore[no-untyped-def]
    return PairStatus(r.party_a, r.party_b, r.status, r.stage, bool(r.open), r.first_date, r.last_date, r.events, r.sources)


def partners_of(conn: Connection, name: str) -> list[PairStatus]:
    rows = conn.execute(
        select(partnerships).where(or_(partnerships.c.party_a == name, partnerships.c.party_b == name))
        .order_by(partnerships.c.last_date.desc(), partnerships.c.last_position.desc())
    )
    return [_pair_status(r) for r in rows]


def pair_status(conn: Connection, a: str, b: str) -> PairStatus | None:
    a, b = sorted((a, b))
    r = conn.execute(select(partnerships).where(and_(partnerships.c.party_a == a, partnerships.c.party_b == b))).first()
    return _pair_status(r) if r else None


def all_pairs(conn: Connection, name: str | None = None) -> list[PairStatus]:
    stmt = select(partnerships)
    if name:
        stmt = stmt.where(or_(partnerships.c.party_a == name, partnerships.c.party_b == name))
    return [_pair_status(r) for r in conn.execute(stmt.order_by(partnerships.c.party_a, partnerships.c.party_b))]


def sources_for(conn: Connection, story_ids: Iterable[str]) -> dict[str, list[Source]]:
    """Every outlet that carried each story, earliest first, one entry per URL."""
    out: dict[str, list[Source]] = defaultdict(list)
    ids = sorted(set(story_ids))
    for k in range(0, len(ids), 500):
        rows = conn.execute(
            select(items.c.story_id, items.c.outlet, items.c.url, items.c.title, items.c.published)
            .where(items.c.story_id.in_(ids[k : k + 500]))
            .order_by(items.c.published, items.c.position)
        )
        for r in rows:
            if all(s.url != r.url for s in out[r.story_id]):
                out[r.story_id].append(Source(r.outlet, r.url, r.title, r.published))
    return out


def _entries(conn: Connection, rows: Sequence) -> list[Entry]:  # type: ignore[type-arg]
    """Fold detection rows into entries: one per (pair, story, kind), with all the story's sources."""
    grouped: dict[tuple[str, str, str, str], list] = {}
    for r in rows:
        grouped.setdefault((r.party_a, r.party_b, r.story_id, r.kind), []).append(r)
    sources = sources_for(conn, {k[2] for k in grouped})
    out = []
    for (a, b, story, kind), rs in grouped.items():
        first = min(rs, key=lambda r: (r.published, r.position))
        srcs = tuple(sources.get(story, ()))
        title = srcs[0].title if srcs else first.evidence
        out.append(Entry(a, b, kind, first.published, min(r.recorded_at for r in rs), story, title, first.evidence,
                         max(r.confidence for r in rs), srcs, min(r.position for r in rs)))
    return out


def timeline(conn: Connection, a: str, b: str, limit: int | None = None) -> list[Entry]:
    """A pair's events, oldest first; with ``limit``, only the most recent ``limit`` of them."""
    a, b = sorted((a, b))
    stmt = select(detections).where(and_(detections.c.party_a == a, detections.c.party_b == b,
                                         detections.c.retracted.is_(False)))
    if limit is None:
        rows = conn.execute(stmt.order_by(detections.c.published, detections.c.position)).all()
        return sorted(_entries(conn, rows), key=lambda e: (e.published, e.position))
    # newest rows first; a story's repeats fold into one entry, so read a few more rows than asked
    rows = conn.execute(stmt.order_by(detections.c.published.desc(), detections.c.position.desc())
                        .limit(limit * 8)).all()
    entries = sorted(_entries(conn, rows), key=lambda e: (e.published, e.position))
    return entries[-limit:]


def latest(conn: Connection, n: int, orgs: Sequence[str] | None = None) -> list[Entry]:
    """The n most recently recorded events (a story's repeats count once)."""
    stmt = select(detections).where(detections.c.retracted.is_(False))
    if orgs:
        stmt = stmt.where(or_(detections.c.party_a.in_(list(orgs)), detections.c.party_b.in_(list(orgs))))
    rows = conn.execute(stmt.order_by(detections.c.position.desc()).limit(n * 8)).all()
    entries = sorted(_entries(conn, rows), key=lambda e: e.position, reverse=True)
    return entries[:n]


def detections_for_digest(conn: Connection, *, after_position: int, upto_position: int,
                          recorded_since: str | None, orgs: Sequence[str] | None) -> list[Entry]:
    """Events detected after a chat's cursor (or, for a first digest, since a time), by pair."""
    cond = [detections.c.retracted.is_(False), detections.c.position <= upto_position]
    if recorded_since is not None:
        cond.append(detections.c.recorded_at >= recorded_since)
    else:
        cond.append(detections.c.position > after_position)
    if orgs:
        cond.append(or_(detections.c.party_a.in_(list(orgs)), detections.c.party_b.in_(list(orgs))))
    rows = conn.execute(select(detections).where(and_(*cond)).order_by(detections.c.position)).all()
    return sorted(_entries(conn, rows), key=lambda e: (e.a, e.b, e.published, e.position))


@dataclass(frozen=True)
class DigestCandidate:
    """An entry with the newest log position and record time among its detections."""

    entry: Entry
    last_position: int
    last_recorded: str


def digest_candidates(conn: Connection, *, after_position: int, upto_position: int,
                      recorded_since: str | None) -> list[DigestCandidate]:
    """Every entry any chat's digest may hold, read once for a whole digest run.

    Rows after ``after_position`` (the smallest cursor of the run) or, when some chat has its first
    digest, recorded since ``recorded_since``; each chat then filters these in memory.
    """
    window = detections.c.position > after_position
    if recorded_since is not None:
        window = or_(window, detections.c.recorded_at >= recorded_since)
    rows = conn.execute(select(detections).where(and_(detections.c.retracted.is_(False),
                                                      detections.c.position <= upto_position, window))
                        .order_by(detections.c.position)).all()
    last: dict[tuple[str, str, str, str], tuple[int, str]] = {}
    for r in rows:
        key = (r.party_a, r.party_b, r.story_id, r.kind)
        pos, rec = last.get(key, (0, ""))
        last[key] = (max(pos, r.position), max(rec, r.recorded_at))
    out = [DigestCandidate(e, *last[(e.a, e.b, e.story_id, e.kind)]) for e in _entries(conn, rows)]
    out.sort(key=lambda c: (c.entry.a, c.entry.b, c.entry.published, c.entry.position))
    return out


def head_position(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(events_table.c.position), 0))).scalar_one())


def _subscription(r) -> Subscription:  # type: ignore[no-untyped-def]
    return Subscription(r.chat_id, bool(r.active), bool(r.all_orgs), tuple(json.loads(r.orgs)), r.chat_type, r.thread_id,
                        r.language, r.digest_time, r.timezone, r.cursor, r.last_digest_at, r.subscribed_at)


def subscription(conn: Connection, chat_id: int) -> Subscription | None:
    r = conn.execute(select(subscriptions).where(subscriptions.c.chat_id == chat_id)).first()
    return _subscription(r) if r else None


def active_subscriptions(conn: Connection) -> list[Subscription]:
    rows = conn.execute(select(subscriptions).where(subscriptions.c.active.is_(True)).order_by(subscriptions.c.chat_id))
    return [_subscription(r) for r in rows]


def feed_rows(conn: Connection) -> dict[str, FeedRow]:
    """The feeds read model joined with the polling bookkeeping, by feed name."""
    state = {r.name: r for r in conn.execute(select(feed_state))}
    out = {}
    for r in conn.execute(select(feeds)):
        s = state.get(r.name)
        out[r.name] = FeedRow(r.name, r.url, r.lang, bool(r.removed), r.health, r.last_error, r.failing_since, r.items,
                              s.last_success if s else None, s.next_poll if s else None,
                              s.consecutive_failures if s else 0)
    for name, s in state.items():
        if name not in out:
            out[name] = FeedRow(name, None, None, False, "ok" if not s.consecutive_failures else "failing", s.last_error,
                                s.failing_since, 0, s.last_success, s.next_poll, s.consecutive_failures)
    return out


def counts(conn: Connection) -> dict[str, int]:
    return {
        "events": int(conn.execute(select(func.count()).select_from(events_table)).scalar_one()),
        "items": int(conn.execute(select(func.count()).select_from(items)).scalar_one()),
        "detections": int(conn.execute(select(func.count()).select_from(detections)
                                       .where(detections.c.retracted.is_(False))).scalar_one()),
        "pairs": int(conn.execute(select(func.count()).select_from(partnerships)).scalar_one()),
        "subscribers": int(conn.execute(select(func.count()).select_from(subscriptions)
                                        .where(subscriptions.c.active.is_(True))).scalar_one()),
    }


def last_poll(conn: Connection) -> str | None:
    return conn.execute(select(func.max(feed_state.c.last_attempt))).scalar()
