"""/status on a big store: services.status + messages.render_status, p50 and p99.

    python benchmarks/bench_status.py [--events 1000000] [--queries 1000] [--database URL]

Fills the log with ItemSeen + PartnershipEventDetected pairs across ~40 organisations (appended in
big batches through the recorder), projects them, then times 1,000 /status queries: a third for an
organisation's partners, two thirds for a pair (with its latest events). Target: p99 under 20 ms.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from store.recorder import NewEvent  # noqa: E402
from tracker import messages  # noqa: E402
from tracker.bootstrap import bootstrap  # noqa: E402
from tracker.config import Config, parse_settings  # noqa: E402
from tracker.domain.catalog import Catalog  # noqa: E402
from tracker.domain.events import ItemSeen, PartnershipEventDetected  # noqa: E402
from tracker.service_layer import services  # noqa: E402

KINDS = ("talks", "mou", "agreement", "supply", "investment", "joint_venture", "ended")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=1_000)
    ap.add_argument("--database", help="database URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    rng = random.Random(7)
    tmp = tempfile.TemporaryDirectory()
    url = args.database or f"sqlite:///{tmp.name}/bench.db"
    app = bootstrap(Config(parse_settings({}), Path(tmp.name) / "config.toml", env={}), database_url=url)
    orgs = Catalog().names[:40]

    t = time.perf_counter()
    items = args.events // 2
    batch: list = []
    for i in range(items):
        a, b = rng.sample(orgs, 2)
        day = f"2023-{1 + i * 12 // items:02d}-{1 + i % 28:02d}"
        batch.append((f"item-{i}", [
            NewEvent.of(ItemSeen(item_id=f"i{i}", feed="f", url=f"https://news.test/{i}", title=f"{a} & {b} <deal> #{i}",
                                 outlet=f"Outlet{i % 7}", published=f"{day}T03:00:00+00:00", story_id=f"s{i}")),
            NewEvent.of(PartnershipEventDetected(item_id=f"i{i}", parties=(a, b), kind=rng.choice(KINDS),
                                                 confidence=0.9, evidence="…", published=day, story_id=f"s{i}")),
        ], None))
        if len(batch) == 5000:
            app.recorder.append_many(batch)
            batch = []
    if batch:
        app.recorder.append_many(batch)
    t_append = time.perf_counter() - t
    t = time.perf_counter()
    app.project()
    t_project = time.perf_counter() - t
    print(f"store: {app.recorder.max_position()} events ({app.store.dialect}); append {t_append:.0f}s, "
          f"project {t_project:.0f}s")

    names = Catalog()
    aliases = {n: next(iter(names.get(n).aliases), n) for n in orgs}  # type: ignore[union-attr]
    times = []
    for q in range(args.queries):
        a, b = rng.sample(orgs, 2)
        query = (aliases[a],) if q % 3 == 0 else (aliases[a], aliases[b])  # typed as users do: aliases
        t = time.perf_counter()
        text = messages.render_status(services.status(app, *query), "ko")
        times.append(time.perf_counter() - t)
        assert text
    times.sort()
    p50 = statistics.median(times) * 1000
    p99 = times[int(len(times) * 0.99) - 1] * 1000
    print(f"/status x{args.queries}: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {times[-1] * 1000:.2f} ms "
          f"(target p99 < 20 ms)")
    app.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
