"""Four processes append at once, with conflicts, while a fifth tails the log."""
from __future__ import annotations

import multiprocessing as mp
from collections import defaultdict

import pytest

from store.engine import open_store
from tests.integration import concurrency_worker

WORKERS = 4
PER_WORKER = 2500


@pytest.mark.slow
def test_concurrent_writers_lose_nothing_and_reader_skips_nothing(db_url: str) -> None:
    open_store(db_url).dispose()  # migrate once, before the race
    ctx = mp.get_context("spawn")
    start, conflicts, seen_q = ctx.Event(), ctx.Queue(), ctx.Queue()
    writers = [
        ctx.Process(target=concurrency_worker.write, args=(db_url, w, PER_WORKER, start, conflicts)) for w in range(WORKERS)
    ]
    reader = ctx.Process(target=concurrency_worker.tail, args=(db_url, WORKERS * PER_WORKER, seen_q, start))
    for p in [*writers, reader]:
        p.start()
    start.set()
    seen = seen_q.get(timeout=300)
    n_conflicts = sum(conflicts.get(timeout=300) for _ in writers)
    for p in [*writers, reader]:
        p.join(timeout=60)
        assert p.exitcode == 0

    store = open_store(db_url)
    events = list(store.recorder.read())
    store.dispose()
    # Nothing lost, nothing duplicated.
    assert len(events) == WORKERS * PER_WORKER
    assert sorted((e.data["worker"], e.data["seq"]) for e in events) == [
        (w, s) for w in range(WORKERS) for s in range(PER_WORKER)
    ]
    # Positions are contiguous and every stream's versions are 1..n.
    assert [e.position for e in events] == list(range(1, len(events) + 1))
    versions = defaultdict(list)
    for e in events:
        versions[e.stream_id].append(e.version)
    for stream, vs in versions.items():
        assert vs == list(range(1, len(vs) + 1)), stream
    # The shared streams really were contended.
    assert n_conflicts > 0
    # The reader saw every event exactly once, in order.
    assert [p for p, _, _ in seen] == [e.position for e in events]
    assert [(w, s) for _, w, s in seen] == [(e.data["worker"], e.data["seq"]) for e in events]
