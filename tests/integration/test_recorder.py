"""The recorder contract, run against SQLite and PostgreSQL alike."""
from __future__ import annotations

import json

import pytest

from store.engine import Store, open_store
from store.recorder import ConcurrencyError, NewEvent
from tracker.domain.events import ItemSeen, PartnershipEventDetected, decode


def ev(n: int, key: str | None = None) -> NewEvent:
    return NewEvent("Noted", {"n": n, "text": f"메모 {n}"}, idempotency_key=key)


def test_append_assigns_contiguous_positions_and_versions(store: Store) -> None:
    r = store.recorder
    assert r.append("a", [ev(1), ev(2)], expected_version=0) == [1, 2]
    assert r.append("b", [ev(3)]) == [3]
    assert r.append("a", [ev(4)], expected_version=2) == [4]
    read = list(r.read())
    assert [(e.position, e.stream_id, e.version) for e in read] == [(1, "a", 1), (2, "a", 2), (3, "b", 1), (4, "a", 3)]
    assert read[0].data == {"n": 1, "text": "메모 1"}
    assert r.stream_version("a") == 3 and r.stream_version("nope") == 0
    assert r.max_position() == 4


def test_stale_expected_version_raises_and_writes_nothing(store: Store) -> None:
    r = store.recorder
    r.append("a", [ev(1)], expected_version=0)
    with pytest.raises(ConcurrencyError) as info:
        r.append("a", [ev(2), ev(3)], expected_version=0)
    assert info.value.actual == 1
    assert [e.data["n"] for e in r.read()] == [1]


def test_idempotency_key_returns_original_positions_and_writes_nothing(store: Store) -> None:
    r = store.recorder
    first = r.append("item-1", [ev(1, key="item:1")], expected_version=0)
    again = r.append("item-1", [ev(1, key="item:1")], expected_version=0)  # a retried command
    assert again == first
    mixed = r.append("feed", [ev(2, key="item:1"), ev(3, key="item:3")])
    assert mixed[0] == first[0] and mixed[1] == 2
    assert r.count() == 2
    assert r.has_key("item:3") and not r.has_key("item:4")


def test_multi_stream_batch_is_all_or_nothing(store: Store) -> None:
    r = store.recorder
    r.append("b", [ev(1)])
    with pytest.raises(ConcurrencyError):
        r.append_many([("a", [ev(2), ev(3)], 0), ("b", [ev(4)], 0)])  # b is stale: a must not land either
    assert r.stream_version("a") == 0
    assert r.count() == 1
    assert r.append_many([("a", [ev(2)], 0), ("b", [ev(4)], 1)]) == [[2], [3]]


def test_read_pages_filters_and_limits(store: Store) -> None:
    r = store.recorder
    r.read_batch = 3
    for i in range(10):
        r.append("s", [NewEvent("Even" if i % 2 == 0 else "Odd", {"i": i})])
    assert [e.data["i"] for e in r.read()] == list(range(10))
    assert [e.data["i"] for e in r.read(after=8)] == [8, 9]
    assert [e.data["i"] for e in r.read(types=["Odd"])] == [1, 3, 5, 7, 9]
    assert [e.data["i"] for e in r.read(limit=4)] == [0, 1, 2, 3]
    assert [e.data["i"] for e in r.tail(2, types=["Even"])] == [6, 8]


def test_typed_events_round_trip(store: Store) -> None:
    item = ItemSeen(item_id="i1", feed="f", url="https://x/1", title="SK하이닉스-TSMC MOU", published="2024-04-19T00:00:00+00:00")
    store.recorder.append("item-i1", [NewEvent.of(item, key="item:i1", metadata={"source": "test"})])
    (stored,) = store.recorder.read()
    assert stored.type == "ItemSeen" and stored.schema_version == 1 and stored.metadata == {"source": "test"}
    assert decode(stored.type, stored.schema_version, stored.data) == item


def test_stored_v1_event_is_upcast_to_current_class(store: Store) -> None:
    """A PartnershipEventDetected row written by schema v1 (party_a/party_b, no story) reads as v2."""
    v1 = {"item_id": "i9", "party_a": "TSMC", "party_b": "SK hynix", "kind": "mou", "confidence": 0.9,
          "evidence": "MOU 체결", "published": "2024-04-19T00:00:00+00:00"}
    store.recorder.append("item-i9", [NewEvent("PartnershipEventDetected", v1, schema_version=1)])
    (stored,) = store.recorder.read()
    event = decode(stored.type, stored.schema_version, stored.data)
    assert isinstance(event, PartnershipEventDetected)
    assert event.parties == ("SK hynix", "TSMC") and event.story_id == "i9" and event.detector_version == "v1"
    assert json.loads(json.dumps(stored.data)) == v1  # the row itself is untouched


def test_reopening_a_store_keeps_events_and_does_not_remigrate(db_url: str) -> None:
    s1 = open_store(db_url)
    s1.recorder.append("a", [ev(1)])
    s1.dispose()
    s2 = open_store(db_url)
    assert s2.recorder.count() == 1
    s2.dispose()


def test_recorded_at_comes_from_the_injected_clock(db_url: str) -> None:
    from datetime import datetime, timezone

    s = open_store(db_url, clock=lambda: datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc))
    s.recorder.append("a", [ev(1)])
    assert next(s.recorder.read()).recorded_at == "2026-03-01T08:30:00.000000+00:00"
    s.dispose()
