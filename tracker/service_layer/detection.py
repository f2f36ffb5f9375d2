"""Running the detector over the log: new items as they arrive, and all items on ``redetect``.

Detection is a process manager, not a projection: it reads ItemSeen events after its own
checkpoint and appends PartnershipEventDetected events. Every append carries an idempotency key
(item, pair, kind, generation), so a crash between the append and the checkpoint only means the
same items are looked at again, and nothing is recorded twice.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from store.recorder import NewEvent
from store.projections.runner import read_checkpoint, save_checkpoint
from store.tables import detections, items
from tracker.domain.events import ItemSeen, PartnershipEventDetected, PartnershipEventRetracted, decode

if TYPE_CHECKING:
    from tracker.bootstrap import App

log = logging.getLogger(__name__)

CHECKPOINT = "detector"
BATCH = 500


def detection_key(item_id: str, parties: tuple[str, str], kind: str, generation: int) -> str:
    """The same detection of the same item is recorded once per generation (retractions bump it)."""
    a, b = sorted(parties)
    return f"det:{item_id}:{a}|{b}:{kind}:{generation}"


def _detected_events(app: "App", item: ItemSeen, generations: dict[tuple, int] | None = None) -> list[NewEvent]:
    out = []
    try:
        found = app.detector.detect(item.title, item.summary, item.lang, item.published)
    except Exception:  # a detector bug costs this item's detections, never the batch
        log.exception("detector failed on item %s; no detections recorded for it", item.item_id)
        return out
    for d in found:
        a, b = sorted(d.parties)
        gen = (generations or {}).get((item.item_id, a, b, d.kind), 0)
        event = PartnershipEventDetected(
            item_id=item.item_id, parties=(a, b), kind=d.kind, confidence=round(float(d.confidence), 4),
            evidence=d.evidence, published=item.published, story_id=item.story_id or item.item_id,
            detector_version=app.detector.version,
        )
        out.append(NewEvent.of(event, key=detection_key(item.item_id, (a, b), d.kind, gen),
                               metadata={"source": "detector"}))
    return out


def detect_new_items(app: "App") -> int:
    """Detect in every ItemSeen after the detector's checkpoint; returns detections appended."""
    start = _checkpoint(app)
    appended = 0
    while True:
        head = app.recorder.max_position()
        batch = list(app.recorder.read(after=start, types=["ItemSeen"], limit=BATCH))
        batch = [e for e in batch if e.position <= head]
        batches = []
        for stored in batch:
            item = decode(stored.type, stored.schema_version, stored.data)
            assert isinstance(item, ItemSeen)
            new = _detected_events(app, item)
            if new:
                batches.append((f"item-{item.item_id}", new, None))
        if batches:
            for positions in app.recorder.append_many(batches):
                appended += sum(1 for p in positions if p > head)
        new_start = batch[-1].position if len(batch) == BATCH else head
        _save_checkpoint(app, start, new_start)
        if len(batch) < BATCH:
            return appended
        start = new_start


@dataclass(frozen=True)
class RedetectResult:
    items: int
    added: int
    retracted: int


def redetect(app: "App", *, page: int = 2000) -> RedetectResult:
    """Run the current detector over every stored item; append only what changed.

    Reads items from the items read model (projected first), compares with the live detections
    of each page of items, and appends new detections and retractions of the ones the current
    detector no longer makes. History is fixed without editing any event.
    """
    app.project()
    n_items = added = retracted = 0
    after = 0
    engine = app.store.engine
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(items).where(items.c.position > after).order_by(items.c.position).limit(page)
            ).all()
            if not rows:
                break
            ids = [r.item_id for r in rows]
            live: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
            generations: dict[tuple, int] = defaultdict(int)
            for d in conn.execute(
                select(detections.c.item_id, detections.c.party_a, detections.c.party_b, detections.c.kind,
                       detections.c.retracted).where(detections.c.item_id.in_(ids))
            ):
                if d.retracted:
                    generations[(d.item_id, d.party_a, d.party_b, d.kind)] += 1
                else:
                    live[d.item_id].add((d.party_a, d.party_b, d.kind))
        after = rows[-1].position
        batches = []
        for r in rows:
            item = ItemSeen(item_id=r.item_id, feed=r.feed, url=r.url, title=r.title, summary=r.summary, lang=r.lang,
                            published=r.published, outlet=r.outlet, guid=r.guid, story_id=r.story_id)
            fresh = _detected_events(app, item, generations)
            fresh_set = {(e.data["parties"][0], e.data["parties"][1], e.data["kind"]) for e in fresh}
            new_events = [e for e in fresh if (e.data["parties"][0], e.data["parties"][1], e.data["kind"]) not in live[r.item_id]]
            gone = sorted(live[r.item_id] - fresh_set)
            for a, b, kind in gone:
                new_events.append(NewEvent.of(
                    PartnershipEventRetracted(item_id=r.item_id, parties=(a, b), kind=kind,
                                              detector_version=app.detector.version),
                    key=f"retract:{r.item_id}:{a}|{b}:{kind}:{generations[(r.item_id, a, b, kind)]}",
                    metadata={"source": "redetect"},
                ))
            if new_events:
                batches.append((f"item-{r.item_id}", new_events, None))
                added += len(new_events) - len(gone)
                retracted += len(gone)
        n_items += len(rows)
        if batches:
            app.recorder.append_many(batches)
        app.runner.run(app.projection("partnerships"))
    return RedetectResult(n_items, added, retracted)


def _checkpoint(app: "App") -> int:
    with app.store.engine.connect() as conn:
        return read_checkpoint(conn, CHECKPOINT)


def _save_checkpoint(app: "App", old: int, new: int) -> None:
    if new == old:
        return
    with app.recorder.write_connection() as conn, conn.begin():
        save_checkpoint(conn, CHECKPOINT, new)
