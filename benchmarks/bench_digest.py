"""Building the daily digests: 10,000 subscribers over 1,000 new events.

    python benchmarks/bench_digest.py [--subscribers 10000] [--events 1000] [--database URL]

Subscribers mix what real chats do: half follow all partnership news, half one to three of ~40
organisations; half get their first digest (the last 24 hours), half have a cursor from a previous
digest. Times services.build_digests (one read of the new detections, filtered per chat in memory)
plus the rendering of each chat's message (bots.digests.render_all: chats with the same entries
share one text), and, for comparison, the one-chat-at-a-time build_digest on a
sample. Target: under 2 ms per subscriber.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from store.recorder import NewEvent  # noqa: E402
from bots.digests import render_all  # noqa: E402
from tracker.bootstrap import bootstrap  # noqa: E402
from tracker.config import Config, parse_settings  # noqa: E402
from tracker.domain.catalog import Catalog  # noqa: E402
from tracker.domain.events import DigestSent, ItemSeen, PartnershipEventDetected, Subscribed  # noqa: E402
from tracker.service_layer import services  # noqa: E402

KINDS = ("talks", "mou", "agreement", "supply", "investment", "joint_venture")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=10_000)
    ap.add_argument("--events", type=int, default=1_000, help="new detections")
    ap.add_argument("--database", help="database URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    rng = random.Random(42)
    tmp = tempfile.TemporaryDirectory()
    url = args.database or f"sqlite:///{tmp.name}/bench.db"
    clock = Clock(datetime(2024, 5, 1, tzinfo=timezone.utc))
    app = bootstrap(Config(parse_settings({}), Path(tmp.name) / "config.toml", env={}), clock=clock, database_url=url)
    orgs = Catalog().names[:40]

    t = time.perf_counter()
    batches = []
    for chat in range(1, args.subscribers + 1):
        chosen = () if chat % 2 else tuple(rng.sample(orgs, rng.randint(1, 3)))
        batches.append((f"chat-{chat}", [NewEvent.of(Subscribed(chat_id=chat, orgs=chosen, language="ko"))], None))
    for k in range(0, len(batches), 2000):
        app.recorder.append_many(batches[k:k + 2000])
    clock.now += timedelta(hours=1)
    cursor = app.recorder.max_position()
    sent = [(f"chat-{c}", [NewEvent.of(DigestSent(chat_id=c, up_to_position=cursor, events=0,
                                                  sent_at=clock.now.isoformat(), local_date="2024-05-01"))], None)
            for c in range(1, args.subscribers + 1) if c % 4 < 2]
    for k in range(0, len(sent), 2000):
        app.recorder.append_many(sent[k:k + 2000])
    clock.now += timedelta(hours=2)
    news = []
    for i in range(args.events):
        a, b = rng.sample(orgs, 2)
        story = f"s{i // 2}"  # two outlets per story
        news.append((f"item-{i}", [
            NewEvent.of(ItemSeen(item_id=f"i{i}", feed="f", url=f"https://news.test/{i}?x=1&y=2",
                                 title=f"{a} & {b} <deal> #{i}", outlet=f"Outlet{i % 5}",
                                 published="2024-05-01T03:00:00+00:00", story_id=story)),
            NewEvent.of(PartnershipEventDetected(item_id=f"i{i}", parties=(a, b), kind=rng.choice(KINDS),
                                                 confidence=0.9, evidence="…", published="2024-05-01",
                                                 story_id=story)),
        ], None))
    for k in range(0, len(news), 500):
        app.recorder.append_many(news[k:k + 500])
    app.project()
    print(f"setup: {args.subscribers} subscribers, {args.events} new detections, "
          f"{app.recorder.max_position()} events in {time.perf_counter() - t:.1f}s ({app.store.dialect})")

    now = datetime(2024, 5, 1, 23, 0, tzinfo=timezone.utc)
    t = time.perf_counter()
    due = services.due_subscriptions(app, now)
    t_due = time.perf_counter() - t
    t = time.perf_counter()
    digests = services.build_digests(app, due, now)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    chars = sum(map(len, render_all(digests)))
    t_render = time.perf_counter() - t
    n = len(due)
    total = t_due + t_build + t_render
    print(f"due_subscriptions: {n} due in {t_due * 1000:.0f} ms")
    print(f"build_digests:     {t_build * 1000:.0f} ms  ({t_build / n * 1000:.3f} ms/subscriber)")
    print(f"render_digest:     {t_render * 1000:.0f} ms  ({t_render / n * 1000:.3f} ms/subscriber; "
          f"{sum(not d.empty for d in digests)} non-empty, {chars / max(1, n):.0f} chars avg)")
    print(f"TOTAL:             {total / n * 1000:.3f} ms/subscriber (target < 2 ms)")
    sample = due[:100]
    t = time.perf_counter()
    for s in sample:
        services.build_digests(app, [s], now)
    one = (time.perf_counter() - t) / len(sample)
    print(f"one chat at a time (sample of {len(sample)}): {one * 1000:.2f} ms/subscriber")
    app.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
