"""Throughput of `pactwatch extract` and of the detector alone, in process (start-up excluded).

usage: python benchmarks/bench_extract.py [N]    (default N = 40000 items)

Items are the development set and the test fixtures, cycled with fresh ids.
"""
from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.domain.detection import Detector  # noqa: E402
from tracker.extract import run_extract  # noqa: E402

SOURCES = [
    ROOT.parent / "shared" / "eval" / "dev" / "items.jsonl",
    ROOT / "tests" / "fixtures" / "detection_cases.jsonl",
]


def load_items() -> list[dict]:
    items = []
    for path in SOURCES:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    obj = json.loads(line)
                    obj.pop("events", None)
                    items.append(obj)
    if not items:
        raise SystemExit("no items found")
    return items


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 40_000
    base = load_items()
    items = []
    for i in range(n):
        obj = dict(base[i % len(base)])
        obj["id"] = f"b{i:06d}"
        items.append(obj)
    payload = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in items)

    out = io.StringIO()
    t0 = time.perf_counter()
    rc = run_extract(io.StringIO(payload), out, io.StringIO())
    t1 = time.perf_counter()
    lines = out.getvalue().count("\n")
    assert rc == 0 and lines == n, (rc, lines)
    print(f"run_extract: {n} items in {t1 - t0:.2f}s = {n / (t1 - t0):,.0f} items/s")

    det = Detector()
    t0 = time.perf_counter()
    for o in items:
        det.detect(o["title"], o.get("summary") or "", o.get("lang"), o.get("published"))
    t1 = time.perf_counter()
    print(f"detector alone: {n} items in {t1 - t0:.2f}s = {n / (t1 - t0):,.0f} items/s")


if __name__ == "__main__":
    main(sys.argv)
