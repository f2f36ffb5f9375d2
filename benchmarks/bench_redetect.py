"""Time and memory of ``redetect`` over a large store.

    python benchmarks/bench_redetect.py [--items 1000000] [--database-url URL]

Fills a fresh SQLite store with ItemSeen events (the development set's Korean and English items,
cycled with new ids), projects them, then times two runs of redetect: the first finds every
detection (all new), the second finds nothing to change. Peak RSS is the whole process's.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.recorder import NewEvent  # noqa: E402
from tracker.bootstrap import bootstrap  # noqa: E402
from tracker.config import Config, Settings  # noqa: E402
from tracker.service_layer.detection import redetect  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev" / "items.jsonl"
FALLBACK = ROOT / "tests" / "fixtures" / "detection_cases.jsonl"


def source_items() -> list[dict]:
    path = DEV if DEV.exists() else FALLBACK
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(tmp.name) / 'redetect.db'}"
    app = bootstrap(Config(Settings(), Path(tmp.name) / "config.toml", env={}), database_url=url)
    base = source_items()
    t = time.perf_counter()
    batch = []
    for i in range(args.items):
        src = base[i % len(base)]
        item_id = f"b{i:08d}"
        data = {"item_id": item_id, "feed": "bench", "url": f"https://news.test/{item_id}", "title": src["title"],
                "summary": src.get("summary", ""), "lang": src.get("lang", "ko"),
                "published": src.get("published", "2024-01-01") + "T00:00:00+00:00", "outlet": "bench",
                "guid": None, "story_id": item_id}
        batch.append(NewEvent("ItemSeen", data, idempotency_key=f"item:{item_id}"))
        if len(batch) == 20_000:
            app.recorder.append(f"bench-{i}", batch)
            batch = []
    if batch:
        app.recorder.append("bench-last", batch)
    fill = time.perf_counter() - t
    t = time.perf_counter()
    app.runner.run(app.projection("items"))
    project = time.perf_counter() - t
    print(f"filled {args.items:,} items in {fill:.1f}s, projected in {project:.1f}s (rss {rss_mb():.0f} MB)")
    t = time.perf_counter()
    first = redetect(app)
    dt1 = time.perf_counter() - t
    print(f"redetect #1 (all new): {first.items:,} items, {first.added:,} detections appended in {dt1:.1f}s "
          f"= {first.items / dt1:,.0f} items/s; peak rss {rss_mb():.0f} MB")
    t = time.perf_counter()
    second = redetect(app)
    dt2 = time.perf_counter() - t
    print(f"redetect #2 (no change): {second.items:,} items, {second.added} added, {second.retracted} retracted "
          f"in {dt2:.1f}s = {second.items / dt2:,.0f} items/s; peak rss {rss_mb():.0f} MB")
    app.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
