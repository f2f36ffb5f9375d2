"""Projection runner: exactly-once application, crash safety, and rebuild == incremental."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from store.engine import Store
from store.projections import ProjectionRunner, all_projections
from store.projections.partnerships import PartnershipsProjection
from store.recorder import NewEvent
from store.tables import READ_MODELS, detections, partnerships, subscriptions
from tracker.domain.events import (
    DigestSent,
    Event,
    FeedAdded,
    FeedFailed,
    FeedRecovered,
    ItemSeen,
    PartnershipEventDetected,
    PartnershipEventRetracted,
    SettingsChanged,
    Subscribed,
    Unsubscribed,
)


def put(store: Store, stream: str, *events: Event) -> None:
    store.recorder.append(stream, [NewEvent.of(e) for e in events])


def detected(item: str, a: str, b: str, kind: str, published: str) -> PartnershipEventDetected:
    return PartnershipEventDetected(item_id=item, parties=(a, b), kind=kind, confidence=0.9, evidence="…",
                                    published=published, story_id=item, detector_version="t")


def seed(store: Store) -> None:
    put(store, "feed-hankyung", FeedAdded(name="hankyung", url="https://example.test/rss", lang="ko"))
    for i in range(5):
        put(store, f"item-{i}", ItemSeen(item_id=f"i{i}", feed="hankyung", url=f"https://example.test/{i}",
                                         title=f"기사 {i}", published=f"2024-04-1{i}T00:00:00+00:00"))
    put(store, "item-0", detected("i0", "SK hynix", "TSMC", "talks", "2024-04-10"))
    put(store, "item-1", detected("i1", "TSMC", "SK hynix", "mou", "2024-04-19"))
    put(store, "item-2", detected("i2", "SK hynix", "Nvidia", "supply", "2024-03-19"))
    put(store, "item-3", detected("i3", "SK hynix", "TSMC", "ended", "2024-05-01"))
    put(store, "item-4", detected("i4", "SK hynix", "TSMC", "agreement", "2024-04-25"))  # older news, later
    put(store, "item-3", PartnershipEventRetracted(item_id="i3", parties=("SK hynix", "TSMC"), kind="ended",
                                                    detector_version="t2"))
    put(store, "feed-hankyung", FeedFailed(name="hankyung", reason="HTTP 500", failed_at="2024-05-02T00:00:00+00:00"))
    put(store, "feed-hankyung", FeedRecovered(name="hankyung", recovered_at="2024-05-02T01:00:00+00:00"))
    put(store, "chat-7", Subscribed(chat_id=7, orgs=("SK hynix",), language="ko"))
    put(store, "chat-7", Subscribed(chat_id=7, orgs=("Nvidia",)))
    put(store, "chat-7", SettingsChanged(chat_id=7, digest_time="07:30", timezone="Europe/Berlin"))
    put(store, "chat-7", DigestSent(chat_id=7, up_to_position=9, events=3, sent_at="2024-05-03T05:30:00+00:00"))
    put(store, "chat-8", Subscribed(chat_id=8))
    put(store, "chat-8", Unsubscribed(chat_id=8, reason="blocked: Forbidden"))


def dump(store: Store) -> dict[str, list[tuple]]:
    out = {}
    with store.engine.connect() as conn:
        for tables in READ_MODELS.values():
            for t in tables:
                out[t.name] = sorted(tuple(r) for r in conn.execute(select(t)))
    return out


def test_partnership_status_follows_publication_time_and_retractions(store: Store) -> None:
    seed(store)
    ProjectionRunner(store.recorder).run(PartnershipsProjection())
    with store.engine.connect() as conn:
        row = conn.execute(select(partnerships).where(partnerships.c.party_b == "TSMC")).one()
        assert (row.party_a, row.status, row.stage, row.open) == ("SK hynix", "agreement", "agreement", True)
        assert (row.first_date, row.last_date, row.events, row.sources) == ("2024-04-10", "2024-04-25", 3, 3)
        assert conn.execute(select(detections.c.retracted).where(detections.c.item_id == "i3")).scalar() is True


def test_ended_closes_until_a_later_event_reopens(store: Store) -> None:
    put(store, "i", detected("a", "Intel", "SK hynix", "agreement", "2024-01-01"))
    put(store, "i", detected("b", "Intel", "SK hynix", "ended", "2024-02-01"))
    runner = ProjectionRunner(store.recorder)
    runner.run(PartnershipsProjection())
    with store.engine.connect() as conn:
        assert tuple(conn.execute(select(partnerships.c.status, partnerships.c.open)).one()) == ("ended", False)
    put(store, "i", detected("c", "Intel", "SK hynix", "talks", "2024-03-01"))
    runner.run(PartnershipsProjection())
    with store.engine.connect() as conn:
        row = conn.execute(select(partnerships)).one()
        assert (row.status, row.open, row.stage) == ("talks", True, "agreement")


def test_subscriptions_projection(store: Store) -> None:
    seed(store)
    ProjectionRunner(store.recorder).run_all(all_projections())
    with store.engine.connect() as conn:
        rows = {r.chat_id: r for r in conn.execute(select(subscriptions))}
    assert rows[7].active and not rows[7].all_orgs and json.loads(rows[7].orgs) == ["Nvidia", "SK hynix"]
    assert (rows[7].digest_time, rows[7].timezone, rows[7].cursor, rows[7].language) == ("07:30", "Europe/Berlin", 9, "ko")
    assert not rows[8].active and rows[8].unsubscribe_reason == "blocked: Forbidden"


def test_runner_resumes_from_checkpoint_and_applies_each_event_once(store: Store) -> None:
    seed(store)
    runner = ProjectionRunner(store.recorder, batch_size=3)
    first = runner.run_all(all_projections())
    assert first["items"] == 5 and runner.checkpoint("items") == store.recorder.max_position()
    assert runner.run_all(all_projections()) == {name: 0 for name in first}
    put(store, "item-9", ItemSeen(item_id="i9", feed="hankyung", url="https://example.test/9", title="새 기사"))
    assert runner.run_all(all_projections())["items"] == 1


def test_rebuild_equals_incremental(store: Store) -> None:
    seed(store)
    runner = ProjectionRunner(store.recorder, batch_size=2)
    # Incremental: in small steps, projecting between appends.
    runner.run_all(all_projections())
    incremental = dump(store)
    assert incremental["rm_partnerships"] and incremental["rm_subscriptions"] and incremental["rm_feeds"]
    for p in all_projections():
        runner.rebuild(p)
    assert dump(store) == incremental


class Boom(Exception):
    pass


class ExplodingPartnerships(PartnershipsProjection):
    """Writes the first events of a batch, then fails, as a crash in the middle of a batch would."""

    def __init__(self, fail_at: int):
        self.fail_at = fail_at

    def process_batch(self, conn, batch):  # type: ignore[no-untyped-def]
        super().process_batch(conn, batch[: self.fail_at - 1])
        raise Boom()


def test_crash_mid_batch_neither_loses_nor_doubles(store: Store) -> None:
    seed(store)
    runner = ProjectionRunner(store.recorder, batch_size=100)
    with pytest.raises(Boom):
        runner.run(ExplodingPartnerships(fail_at=3))
    assert runner.checkpoint("partnerships") == 0
    with store.engine.connect() as conn:
        assert conn.execute(select(detections)).all() == []  # the two applied rows rolled back too
    runner.run(PartnershipsProjection())
    with store.engine.connect() as conn:
        assert len(conn.execute(select(detections)).all()) == 5
