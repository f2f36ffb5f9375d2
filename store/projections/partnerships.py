"""rm_detections and rm_partnerships: every detection, and per pair its latest status.

Latest status is the kind of the most recent event by publication time (ties: the later one
recorded); "ended" closes a pair until a later event reopens it. Detections are folded in
incrementally; a retraction recomputes its pair from the remaining detections.
"""
from __future__ import annotations

from sqlalchemy import Connection, and_, select

from store.recorder import StoredEvent
from store.tables import detections, partnerships
from tracker.domain.events import Event, PartnershipEventDetected, PartnershipEventRetracted

# How far a partnership has come; "ended" is a status, not a stage.
STAGE_RANK = {"talks": 1, "mou": 2, "agreement": 3, "supply": 4, "investment": 5, "joint_venture": 6}


def furthest(a: str | None, b: str) -> str:
    if b not in STAGE_RANK:
        return a or "talks"
    if a is None or STAGE_RANK.get(b, 0) > STAGE_RANK.get(a, 0):
        return b
    return a


class PartnershipsProjection:
    name = "partnerships"
    tables = [detections, partnerships]
    types = frozenset({"PartnershipEventDetected", "PartnershipEventRetracted"})

    def process(self, conn: Connection, stored: StoredEvent, event: Event) -> None:
        if isinstance(event, PartnershipEventDetected):
            self._detected(conn, stored, event)
        elif isinstance(event, PartnershipEventRetracted):
            a, b = sorted(event.parties)
            conn.execute(
                detections.update()
                .where(
                    and_(
                        detections.c.item_id == event.item_id,
                        detections.c.party_a == a,
                        detections.c.party_b == b,
                        detections.c.kind == event.kind,
                    )
                )
                .values(retracted=True)
            )
            self._recompute(conn, a, b)

    def _detected(self, conn: Connection, stored: StoredEvent, e: PartnershipEventDetected) -> None:
        a, b = sorted(e.parties)
        pair = and_(partnerships.c.party_a == a, partnerships.c.party_b == b)
        new_source = (
            conn.execute(
                select(detections.c.position).where(
                    and_(detections.c.item_id == e.item_id, detections.c.party_a == a, detections.c.party_b == b,
                         detections.c.retracted.is_(False))
                ).limit(1)
            ).first()
            is None
        )
        conn.execute(
            detections.insert().values(
                position=stored.position, item_id=e.item_id, story_id=e.story_id or e.item_id, party_a=a, party_b=b,
                kind=e.kind, confidence=e.confidence, evidence=e.evidence, published=e.published,
                recorded_at=stored.recorded_at, detector_version=e.detector_version, retracted=False,
            )
        )
        row = conn.execute(select(partnerships).where(pair)).first()
        if row is None:
            conn.execute(
                partnerships.insert().values(
                    party_a=a, party_b=b, status=e.kind, stage=furthest(None, e.kind), open=e.kind != "ended",
                    first_date=e.published, last_date=e.published, events=1, sources=1, last_position=stored.position,
                )
            )
            return
        values: dict[str, object] = {
            "events": row.events + 1,
            "sources": row.sources + (1 if new_source else 0),
            "stage": furthest(row.stage, e.kind),
            "first_date": min(row.first_date, e.published),
        }
        if e.published >= row.last_date:
            values.update(status=e.kind, open=e.kind != "ended", last_date=e.published, last_position=stored.position)
        conn.execute(partnerships.update().where(pair).values(**values))

    def _recompute(self, conn: Connection, a: str, b: str) -> None:
        pair = and_(partnerships.c.party_a == a, partnerships.c.party_b == b)
        rows = conn.execute(
            select(detections.c.kind, detections.c.published, detections.c.position, detections.c.item_id)
            .where(and_(detections.c.party_a == a, detections.c.party_b == b, detections.c.retracted.is_(False)))
            .order_by(detections.c.published, detections.c.position)
        ).all()
        conn.execute(partnerships.delete().where(pair))
        if not rows:
            return
        stage = None
        for r in rows:
            stage = furthest(stage, r.kind)
        last = rows[-1]
        conn.execute(
            partnerships.insert().values(
                party_a=a, party_b=b, status=last.kind, stage=stage or "talks", open=last.kind != "ended",
                first_date=rows[0].published, last_date=last.published, events=len(rows),
                sources=len({r.item_id for r in rows}), last_position=last.position,
            )
        )
