"""Event-log throughput beside the raw driver, measured in one run.

    python benchmarks/bench_store.py [--append 100000] [--replay 1000000] [--postgres URL]

Append: 100,000 ItemSeen-sized events through SqlEventRecorder.append in batches of 1,000,
against raw sqlite3 executemany of the same rows into the same schema.
Replay: 1,000,000 events through ProjectionRunner with a no-op projection (typed events are
decoded on demand, so not here), against raw SELECT of the same rows (all columns) + json.loads of the data. Ratios are what to compare.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from store.engine import open_store  # noqa: E402
from store.projections import ProjectionRunner  # noqa: E402
from store.recorder import NewEvent  # noqa: E402

BATCH = 1000


def payload(i: int) -> dict:
    return {"item_id": f"{i:040x}", "feed": "hankyung-it", "url": f"https://www.example.co.kr/article/{i}",
            "title": f"SK하이닉스, 엔비디아에 HBM3E 공급 확대…{i}번째 기사", "summary": "SK하이닉스가 " * 8,
            "lang": "ko", "published": "2024-03-19T00:00:00+00:00", "outlet": "한국경제", "guid": None,
            "story_id": f"{i:040x}"}


def events(n: int) -> list[NewEvent]:
    return [NewEvent("ItemSeen", payload(i), idempotency_key=f"item:{i}") for i in range(n)]


def bench_append(url: str, evs: list[NewEvent]) -> tuple[float, float]:
    store = open_store(url)
    t, c = time.perf_counter(), time.process_time()
    for k in range(0, len(evs), BATCH):
        store.recorder.append(f"feed-{k // BATCH}", evs[k : k + BATCH])
    dt, dc = time.perf_counter() - t, time.process_time() - c
    store.dispose()
    return len(evs) / dt, len(evs) / dc


def raw_rows(evs: list[NewEvent]) -> list[tuple]:
    dumps = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True)  # noqa: E731
    return [(i + 1, f"feed-{i // BATCH}", i % BATCH + 1, e.type, 1, dumps(e.data), "{}",
             "2026-11-25T00:00:00.000000+00:00", e.idempotency_key) for i, e in enumerate(evs)]


def bench_raw_sqlite_append(path: Path, evs: list[NewEvent]) -> tuple[float, float]:
    schema_src = open_store(f"sqlite:///{path}")
    schema_src.dispose()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    t, c = time.perf_counter(), time.process_time()
    rows = raw_rows(evs)  # serialising is part of the job for both sides
    for k in range(0, len(rows), BATCH):
        con.execute("BEGIN IMMEDIATE")
        con.executemany("INSERT INTO events (position, stream_id, version, type, schema_version, data, metadata,"
                        " recorded_at, idempotency_key) VALUES (?,?,?,?,?,?,?,?,?)", rows[k : k + BATCH])
        con.execute("COMMIT")
    dt, dc = time.perf_counter() - t, time.process_time() - c
    con.close()
    return len(evs) / dt, len(evs) / dc


def bench_raw_pg_append(url: str, evs: list[NewEvent]) -> tuple[float, float]:
    import psycopg

    store = open_store(url)
    store.dispose()
    dsn, _, query = url.replace("postgresql+psycopg://", "postgresql://").partition("?")
    options = dict(p.split("=", 1) for p in query.split("&") if p) if query else {}
    from urllib.parse import unquote

    with psycopg.connect(dsn, options=unquote(options.get("options", ""))) as con:
        t, c = time.perf_counter(), time.process_time()
        rows = raw_rows(evs)
        for k in range(0, len(rows), BATCH):
            with con.transaction(), con.cursor() as cur:
                cur.executemany("INSERT INTO events (position, stream_id, version, type, schema_version, data, metadata,"
                                " recorded_at, idempotency_key) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)", rows[k : k + BATCH])
        dt, dc = time.perf_counter() - t, time.process_time() - c
    return len(evs) / dt, len(evs) / dc


class NoOp:
    name = "noop"
    tables: list = []
    types = None

    def process_batch(self, conn, batch) -> None:  # type: ignore[no-untyped-def]
        pass


def fill(url: str, n: int) -> None:
    store = open_store(url)
    have = store.recorder.count()
    chunk = 20_000
    for k in range(have, n, chunk):
        store.recorder.append(f"s-{k}", [NewEvent("ItemSeen", payload(i)) for i in range(k, min(n, k + chunk))])
    store.dispose()


def bench_replay(url: str, n: int) -> tuple[float, float]:
    store = open_store(url)
    runner = ProjectionRunner(store.recorder, batch_size=10_000)
    t, c = time.perf_counter(), time.process_time()
    applied = runner.run(NoOp())
    dt, dc = time.perf_counter() - t, time.process_time() - c
    assert applied == n, applied
    store.dispose()
    return n / dt, n / dc


def bench_raw_sqlite_replay(path: Path, n: int) -> tuple[float, float]:
    con = sqlite3.connect(path)
    t, c = time.perf_counter(), time.process_time()
    count = 0
    for (_p, _s, _v, _t, _sv, data, _m, _r, _k) in con.execute("SELECT * FROM events ORDER BY position"):
        json.loads(data)
        count += 1
    dt, dc = time.perf_counter() - t, time.process_time() - c
    assert count == n
    return n / dt, n / dc


def bench_raw_pg_replay(url: str, n: int) -> tuple[float, float]:
    import psycopg
    from urllib.parse import unquote

    dsn, _, query = url.replace("postgresql+psycopg://", "postgresql://").partition("?")
    options = dict(p.split("=", 1) for p in query.split("&") if p) if query else {}
    with psycopg.connect(dsn, options=unquote(options.get("options", ""))) as con:
        t, c = time.perf_counter(), time.process_time()
        count = 0
        with con.cursor(name="replay") as cur:
            cur.itersize = 10_000
            cur.execute("SELECT * FROM events ORDER BY position")
            for (_p, _s, _v, _t, _sv, data, _m, _r, _k) in cur:
                json.loads(data)
                count += 1
        dt, dc = time.perf_counter() - t, time.process_time() - c
    assert count == n
    return n / dt, n / dc


def line(label: str, n: int, ours: tuple[float, float], raw: tuple[float, float], raw_label: str, cpu: bool) -> None:
    text = (f"{label:<15} {n:>9,} events: pactwatch {ours[0]:>9,.0f}/s  {raw_label} {raw[0]:>9,.0f}/s  "
            f"ratio {ours[0] / raw[0]:.2f}")
    if cpu:  # in-process SQLite: CPU time is steadier than wall time on a busy machine
        text += f"  (cpu-time ratio {ours[1] / raw[1]:.2f})"
    print(text, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--append", type=int, default=100_000)
    ap.add_argument("--replay", type=int, default=1_000_000)
    ap.add_argument("--postgres", metavar="URL", help="also measure on this PostgreSQL database (a scratch schema is used)")
    args = ap.parse_args()
    evs = events(args.append)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        ours = bench_append(f"sqlite:///{d / 'a.db'}", evs)
        raw = bench_raw_sqlite_append(d / "raw.db", evs)
        line("sqlite append", args.append, ours, raw, "raw executemany", True)
        fill(f"sqlite:///{d / 'r.db'}", args.replay)
        ours = bench_replay(f"sqlite:///{d / 'r.db'}", args.replay)
        raw = bench_raw_sqlite_replay(d / "r.db", args.replay)
        line("sqlite replay", args.replay, ours, raw, "raw select+loads", True)
    if args.postgres:
        import psycopg

        admin = args.postgres.replace("postgresql+psycopg://", "postgresql://").split("?")[0]
        schemas = ["pwbench_a", "pwbench_raw", "pwbench_r"]
        with psycopg.connect(admin, autocommit=True) as c:
            for s in schemas:
                c.execute(f"DROP SCHEMA IF EXISTS {s} CASCADE; CREATE SCHEMA {s}")
        url = lambda s: f"{args.postgres.split('?')[0]}?options=-csearch_path%3D{s}"  # noqa: E731
        try:
            ours = bench_append(url("pwbench_a"), evs)
            raw = bench_raw_pg_append(url("pwbench_raw"), evs)
            line("postgres append", args.append, ours, raw, "raw executemany", False)
            fill(url("pwbench_r"), args.replay)
            ours = bench_replay(url("pwbench_r"), args.replay)
            raw = bench_raw_pg_replay(url("pwbench_r"), args.replay)
            line("postgres replay", args.replay, ours, raw, "raw select+loads", False)
        finally:
            with psycopg.connect(admin, autocommit=True) as c:
                for s in schemas:
                    c.execute(f"DROP SCHEMA IF EXISTS {s} CASCADE")


if __name__ == "__main__":
    main()
