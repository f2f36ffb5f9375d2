"""Throughput of `pactwatch extract` and of the detector alone, in process (start-up excluded).

usage: python benchmarks/bench_extract.py [N [REPEATS]]    (default 40000 items, 1 repeat)

Two mixes of N items each, cycled with fresh ids:

- "worst case (dev + fixtures)": the development set and the detection test cases, where nearly
  every item names two or more catalog organisations and goes through the whole pipeline (the
  same mix as the first measurements, so that figures stay comparable across versions);
- "feed-like (70% generic)": 70% generic economy/tech news items naming fewer than two catalog
  organisations (tests/fixtures/detection_feedmix.jsonl) and 30% items of the first mix,
  interleaved, closer to what a real feed delivers;
- "blind sets": every item of the blind test sets (tests/fixtures/detection_heldout*.jsonl),
  written by other hands to the labelling guidelines, about half of them hard negatives that still
  name catalog organisations: the nearest we have to the held-out set that judges detection.

Each figure is given as wall-clock and as CPU time of this process (the CPU figure is the one-core
throughput and is steadier on a shared machine); with REPEATS > 1, the best and the median run are
shown.
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
]  # (the same mix as the first measurements, so that figures stay comparable across versions)
GENERIC = [ROOT / "tests" / "fixtures" / "detection_feedmix.jsonl"]
GENERIC_SHARE = 0.7
BLIND = sorted((ROOT / "tests" / "fixtures").glob("detection_heldout*.jsonl"))


def load_items(sources: list[Path] = SOURCES) -> list[dict]:
    items = []
    for path in sources:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    obj = json.loads(line)
                    obj.pop("events", None)
                    items.append(obj)
    if not items:
        raise SystemExit("no items found")
    return items


def worst_case_mix(n: int) -> list[dict]:
    base = load_items()
    return [base[i % len(base)] for i in range(n)]


def feed_like_mix(n: int) -> list[dict]:
    """GENERIC_SHARE of the items generic, the rest from the first mix, spread evenly."""
    base, generic = load_items(), load_items(GENERIC)
    out, g, b = [], 0, 0
    for i in range(n):
        # item i is generic when the running share of generic items is below GENERIC_SHARE
        if g < GENERIC_SHARE * (i + 1):
            out.append(generic[g % len(generic)])
            g += 1
        else:
            out.append(base[b % len(base)])
            b += 1
    return out


def measure(label: str, picked: list[dict], repeats: int) -> None:
    n = len(picked)
    items = []
    for i, src in enumerate(picked):
        obj = dict(src)
        obj["id"] = f"b{i:06d}"
        items.append(obj)
    payload = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in items)

    def timed(fn) -> tuple[float, float]:
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        return n / (time.perf_counter() - w0), n / (time.process_time() - c0)

    def extract() -> None:
        out = io.StringIO()
        rc = run_extract(io.StringIO(payload), out, io.StringIO())
        lines = out.getvalue().count("\n")
        assert rc == 0 and lines == n, (rc, lines)

    det = Detector()

    def detect_only() -> None:
        for o in items:
            det.detect(o["title"], o.get("summary") or "", o.get("lang"), o.get("published"))

    print(f"[{label}]")
    for name, fn in (("run_extract", extract), ("detector alone", detect_only)):
        runs = [timed(fn) for _ in range(repeats)]
        wall = sorted(r[0] for r in runs)
        cpu = sorted(r[1] for r in runs)
        if repeats == 1:
            print(f"  {name}: {n} items: wall {wall[0]:,.0f} items/s, cpu {cpu[0]:,.0f} items/s")
        else:
            print(f"  {name}: {n} items x {repeats}: wall best {wall[-1]:,.0f} median {wall[len(wall) // 2]:,.0f}"
                  f" items/s; cpu best {cpu[-1]:,.0f} median {cpu[len(cpu) // 2]:,.0f} items/s")


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 40_000
    repeats = int(argv[2]) if len(argv) > 2 else 1
    measure("worst case (dev + fixtures): nearly every item names two or more catalog organisations", worst_case_mix(n), repeats)
    measure(f"feed-like: {GENERIC_SHARE:.0%} generic items naming fewer than two catalog organisations",
            feed_like_mix(n), repeats)
    blind = load_items(BLIND)
    measure(f"blind sets: {len(blind):,} items by other hands, about half hard negatives",
            [blind[i % len(blind)] for i in range(n)], repeats)


if __name__ == "__main__":
    main(sys.argv)
