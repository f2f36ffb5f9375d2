"""Worker processes for the concurrency test (a module, so multiprocessing can import it)."""
from __future__ import annotations

import random

from store.engine import open_store
from store.recorder import ConcurrencyError, NewEvent

SHARED_STREAMS = ["shared-0", "shared-1", "shared-2"]


def write(url: str, worker: int, total: int, start_event, conflicts) -> None:  # type: ignore[no-untyped-def]
    """Append ``total`` events in batches of 1-4, half to contended shared streams."""
    store = open_store(url, migrate_schema=False)
    rng = random.Random(worker)
    start_event.wait()
    seq = 0
    n_conflicts = 0
    while seq < total:
        size = min(rng.randint(1, 4), total - seq)
        batch = [NewEvent("Tick", {"worker": worker, "seq": seq + i}, idempotency_key=f"w{worker}:{seq + i}") for i in range(size)]
        stream = rng.choice(SHARED_STREAMS) if rng.random() < 0.5 else f"private-{worker}"
        while True:
            expected = store.recorder.stream_version(stream)
            try:
                store.recorder.append(stream, batch, expected_version=expected)
                break
            except ConcurrencyError:
                n_conflicts += 1  # someone else appended in between: re-read and retry
        seq += size
    conflicts.put(n_conflicts)
    store.dispose()


def tail(url: str, expected_total: int, out, start_event) -> None:  # type: ignore[no-untyped-def]
    """Follow the log while it is written; report every position seen, in the order seen."""
    store = open_store(url, migrate_schema=False)
    start_event.wait()
    seen: list[tuple[int, int, int]] = []
    last = 0
    idle = 0
    while len(seen) < expected_total and idle < 20000:
        got = False
        for e in store.recorder.read(after=last):
            seen.append((e.position, e.data["worker"], e.data["seq"]))
            last = e.position
            got = True
        idle = 0 if got else idle + 1
    out.put(seen)
    store.dispose()
