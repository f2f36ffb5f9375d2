"""rm_detections and rm_partnerships: every detection, and per pair its latest status.

Latest status is the kind of the most recent event by publication time (ties: the later one
recorded); "ended" closes a pair until a later event reopens it. Detections are folded in
incrementally, a batch at a time; a retraction recomputes its pair from the remaining detections.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

from sqlalchemy import Connection, and_, bindparam, select, tuple_

from store.recorder import StoredEvent
from store.tables import detections, partnerships
from tracker.domain.events import PartnershipEventDetected, PartnershipEventRetracted

# How far a partnership has come; "ended" is a status, not a stage.
STAGE_RANK = {"talks": 1, "mou": 2, "agreement": 3, "supply": 4, "investment": 5, "joint_venture": 6}


def furthest(a: str | None, b: str) -> str:
    if b not in STAGE_RANK:
        return a or "talks"
    if a is None or STAGE_RANK.get(b, 0) > STAGE_RANK.get(a, 0):
        return b
    return a


@dataclass
class _Pair:
    party_a: str
    party_b: str
    status: str
    stage: str
    open: bool
    first_date: str
    last_date: str
    events: int
    sources: int
    last_position: int

    def fold(self, kind: str, published: str, position: int, new_source: bool) -> None:
        self.events += 1
        self.sources += 1 if new_source else 0
        self.stage = furthest(self.stage, kind)
        self.first_date = min(self.first_date, published)
        if published >= self.last_date:
            self.status, self.open, self.last_date, self.last_position = kind, kind != "ended", published, position


_INSERT_DETECTION = detections.insert()
_INSERT_PAIR = partnerships.insert()
_UPDATE_PAIR = (
    partnerships.update()
    .where(and_(partnerships.c.party_a == bindparam("key_a"), partnerships.c.party_b == bindparam("key_b")))
    .values({c: bindparam(c) for c in ("status", "stage", "open", "first_date", "last_date", "events", "sources",
                                       "last_position")})
)


class PartnershipsProjection:
    name = "partnerships"
    tables = [detections, partnerships]
    types = frozenset({"PartnershipEventDetected", "PartnershipEventRetracted"})

    def process_batch(self, conn: Connection, batch: list[StoredEvent]) -> None:
        run: list[tuple[StoredEvent, PartnershipEventDetected]] = []
        for stored in batch:
            event = stored.event()
            if isinstance(event, PartnershipEventDetected):
                run.append((stored, event))
                continue
            self._detected(conn, run)
            run = []
            if isinstance(event, PartnershipEventRetracted):
                self._retracted(conn, event)
        self._detected(conn, run)

    def _detected(self, conn: Connection, run: list[tuple[StoredEvent, PartnershipEventDetected]]) -> None:
        if not run:
            return
        keyed = [(stored, e, *sorted(e.parties)) for stored, e in run]
        pairs = _load_pairs(conn, {(a, b) for _, _, a, b in keyed})
        live = _live_sources(conn, {e.item_id for _, e, _, _ in keyed})
        rows, new_pairs = [], set()
        for stored, e, a, b in keyed:
            new_source = (e.item_id, a, b) not in live
            live.add((e.item_id, a, b))
            rows.append({
                "position": stored.position, "item_id": e.item_id, "story_id": e.story_id or e.item_id,
                "party_a": a, "party_b": b, "kind": e.kind, "confidence": e.confidence, "evidence": e.evidence,
                "published": e.published, "recorded_at": stored.recorded_at, "detector_version": e.detector_version,
                "retracted": False,
            })
            pair = pairs.get((a, b))
            if pair is None:
                pairs[(a, b)] = _Pair(a, b, e.kind, furthest(None, e.kind), e.kind != "ended", e.published,
                                      e.published, 1, 1, stored.position)
                new_pairs.add((a, b))
            else:
                pair.fold(e.kind, e.published, stored.position, new_source)
        conn.execute(_INSERT_DETECTION, rows)
        inserts = [asdict(p) for k, p in pairs.items() if k in new_pairs]
        updates = [{**asdict(p), "key_a": k[0], "key_b": k[1]} for k, p in pairs.items() if k not in new_pairs]
        if inserts:
            conn.execute(_INSERT_PAIR, inserts)
        if updates:
            for u in updates:
                u.pop("party_a"), u.pop("party_b")
            conn.execute(_UPDATE_PAIR, updates)

    def _retracted(self, conn: Connection, event: PartnershipEventRetracted) -> None:
        a, b = sorted(event.parties)
        conn.execute(
            detections.update()
            .where(and_(detections.c.item_id == event.item_id, detections.c.party_a == a,
                        detections.c.party_b == b, detections.c.kind == event.kind))
            .values(retracted=True)
        )
        self._recompute(conn, a, b)

    def _recompute(self, conn: Connection, a: str, b: str) -> None:
        conn.execute(partnerships.delete().where(and_(partnerships.c.party_a == a, partnerships.c.party_b == b)))
        rows = conn.execute(
            select(detections.c.kind, detections.c.published, detections.c.position, detections.c.item_id)
            .where(and_(detections.c.party_a == a, detections.c.party_b == b, detections.c.retracted.is_(False)))
            .order_by(detections.c.published, detections.c.position)
        ).all()
        if not rows:
            return
        first = rows[0]
        pair = _Pair(a, b, first.kind, furthest(None, first.kind), first.kind != "ended", first.published,
                     first.published, 1, 1, first.position)
        seen = {first.item_id}
        for r in rows[1:]:
            pair.fold(r.kind, r.published, r.position, r.item_id not in seen)
            seen.add(r.item_id)
        conn.execute(_INSERT_PAIR, [asdict(pair)])


def _load_pairs(conn: Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], _Pair]:
    out: dict[tuple[str, str], _Pair] = {}
    ordered = sorted(keys)
    for k in range(0, len(ordered), 300):
        chunk = ordered[k : k + 300]
        rows = conn.execute(select(partnerships).where(
            tuple_(partnerships.c.party_a, partnerships.c.party_b).in_(chunk)))
        for r in rows:
            out[(r.party_a, r.party_b)] = _Pair(r.party_a, r.party_b, r.status, r.stage, bool(r.open), r.first_date,
                                                r.last_date, r.events, r.sources, r.last_position)
    return out


def _live_sources(conn: Connection, item_ids: Iterable[str]) -> set[tuple[str, str, str]]:
    ids = sorted(item_ids)
    out: set[tuple[str, str, str]] = set()
    for k in range(0, len(ids), 500):
        rows = conn.execute(select(detections.c.item_id, detections.c.party_a, detections.c.party_b).where(
            and_(detections.c.item_id.in_(ids[k : k + 500]), detections.c.retracted.is_(False))))
        out.update((r.item_id, r.party_a, r.party_b) for r in rows)
    return out
