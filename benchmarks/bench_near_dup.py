"""Precision/recall of near-duplicate story grouping on our labelled pairs.

Each pair goes through a fresh StoryClusterer (item a, then item b
``hours_apart`` later); a pair is predicted "same story" when both get the
same story_id. Run: python benchmarks/bench_near_dup.py [--verbose] [--sweep]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.domain.near_dup import DEFAULT_THRESHOLD, StoryClusterer, similarity  # noqa: E402

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "near_dup_pairs.jsonl"
T0 = datetime(2025, 4, 1, tzinfo=timezone.utc)


def load_pairs(path: Path = PAIRS) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def predict(pair: dict, threshold: float = DEFAULT_THRESHOLD) -> bool:
    c = StoryClusterer(threshold=threshold)
    a, b = pair["a"], pair["b"]
    sa = c.assign(pair["id"] + "a", a["title"], a["summary"], pair["lang"], T0)
    sb = c.assign(pair["id"] + "b", b["title"], b["summary"], pair["lang"],
                  T0 + timedelta(hours=pair["hours_apart"]))
    return sa == sb


def scores(pairs: list[dict], preds: list[bool]) -> tuple[float, float, float, Counter]:
    n = Counter()
    for p, pred in zip(pairs, preds):
        n[("t" if pred == p["same"] else "f") + ("p" if pred else "n")] += 1
    precision = n["tp"] / (n["tp"] + n["fp"]) if n["tp"] + n["fp"] else 1.0
    recall = n["tp"] / (n["tp"] + n["fn"]) if n["tp"] + n["fn"] else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--verbose", action="store_true", help="print every pair's score")
    ap.add_argument("--sweep", action="store_true", help="F1 across thresholds")
    args = ap.parse_args()
    pairs = load_pairs()
    preds = [predict(p) for p in pairs]
    print(f"pairs: {len(pairs)} ({sum(p['same'] for p in pairs)} same-story), "
          f"threshold {DEFAULT_THRESHOLD}")
    for label, subset in (("all", None), ("ko", "ko"), ("en", "en")):
        idx = [i for i, p in enumerate(pairs) if subset is None or p["lang"] == subset]
        pr, rc, f1, n = scores([pairs[i] for i in idx], [preds[i] for i in idx])
        print(f"{label:>4}: precision {pr:.3f}  recall {rc:.3f}  F1 {f1:.3f}  "
              f"(tp {n['tp']} fp {n['fp']} fn {n['fn']} tn {n['tn']})")
    by_kind: dict[str, list[int]] = {}
    for p, pred in zip(pairs, preds):
        by_kind.setdefault(p["kind"], [0, 0])
        by_kind[p["kind"]][0] += pred == p["same"]
        by_kind[p["kind"]][1] += 1
    for kind, (ok, total) in sorted(by_kind.items()):
        print(f"  {kind:<36} {ok}/{total} correct")
    if args.verbose:
        for p, pred in zip(pairs, preds):
            s = similarity(p["a"]["title"], p["a"]["summary"], p["b"]["title"],
                           p["b"]["summary"], p["lang"])
            flag = "  " if pred == p["same"] else "XX"
            print(f"{flag} {p['id']} same={p['same']!s:<5} sim={s:.3f} {p['kind']:<34} "
                  f"{p['a']['title'][:40]} | {p['b']['title'][:40]}")
    # Two-fold check against tuning on the test set: pick the best threshold on
    # one half of the pairs, score it on the other half, and the other way round.
    grid = [x / 100 for x in range(30, 72, 2)]
    folds = [pairs[0::2], pairs[1::2]]
    held: list[tuple[dict, bool]] = []
    for i, tune in enumerate(folds):
        best = max(grid, key=lambda t: (scores(tune, [predict(p, t) for p in tune])[2], -abs(t - 0.5)))
        test = folds[1 - i]
        held += [(p, predict(p, best)) for p in test]
        print(f"fold {i}: threshold {best:.2f} chosen on {len(tune)} pairs")
    pr, rc, f1, n = scores([p for p, _ in held], [x for _, x in held])
    print(f"held-out (2-fold): precision {pr:.3f}  recall {rc:.3f}  F1 {f1:.3f}  "
          f"(tp {n['tp']} fp {n['fp']} fn {n['fn']} tn {n['tn']})")
    if args.sweep:
        for t in [x / 100 for x in range(20, 72, 4)]:
            pr, rc, f1, _ = scores(pairs, [predict(p, t) for p in pairs])
            print(f"  threshold {t:.2f}: P {pr:.3f} R {rc:.3f} F1 {f1:.3f}")


if __name__ == "__main__":
    main()
