"""Ingest throughput with storage, beside feedparser alone, and the memory of a 200-feed poll.

1. 5,000 items in feed files (bench_parse's generator: RSS 2.0 and Atom, Korean in UTF-8 and
   EUC-KR, English, a fifth of them rewrites) go through the Poller's own path, ``Poller.ingest``:
   parse_feed + normalise + dedup (idempotency keys, guids) + story grouping + one append per feed
   into a fresh SQLite store + the feed_state bookkeeping. feedparser alone parses the same bytes
   in the same run; best of N for both.
2. A full ``Poller.poll_all`` of 200 feeds served by a local HTTP server (this file's own), with
   tracemalloc's peak of Python allocations and the process's peak RSS.

Run: python benchmarks/bench_ingest.py [--feeds 50] [--items 100] [--repeat 3] [--poll-feeds 200]
"""
from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_parse import feedparser_only, generate  # noqa: E402

from tracker.adapters.http_fetch import FetchResult  # noqa: E402
from tracker.bootstrap import bootstrap  # noqa: E402
from tracker.config import Config, parse_settings  # noqa: E402
from tracker.service_layer.polling import FeedSpec, Poller  # noqa: E402

NOW = datetime(2030, 1, 1, tzinfo=timezone.utc)


def make_app(db: Path, concurrency: int = 8):  # type: ignore[no-untyped-def]
    settings = parse_settings({"polling": {"concurrency": concurrency}})
    return bootstrap(Config(settings, db.parent / "config.toml", env={}), clock=lambda: NOW,
                     database_url=f"sqlite:///{db}")


def fetched(path: Path) -> FetchResult:
    return FetchResult(url=path.as_uri(), final_url=path.as_uri(), status=200, body=path.read_bytes(),
                       headers={"content-type": "application/rss+xml"}, etag=None, last_modified=None,
                       not_modified=False, error=None, retry_after=None, elapsed=0.0)


def ingest_files(files: list[Path], db: Path) -> tuple[int, int]:
    """(items appended, events in the log) after ingesting every file into a fresh store."""
    app = make_app(db)
    poller = Poller(app)
    try:
        new = sum(poller.ingest(FeedSpec(p.stem, p.as_uri()), fetched(p)).new for p in files)
        return new, app.recorder.count()
    finally:
        asyncio.run(poller.aclose())
        app.close()


class _Files(BaseHTTPRequestHandler):
    root: Path

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        path = self.root / self.path.lstrip("/")
        body = path.read_bytes() if path.is_file() else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def poll_memory(directory: Path, feeds: int, db: Path) -> tuple[int, int, float, int]:
    """(items appended, tracemalloc peak bytes, seconds, peak RSS KiB) of one poll of ``feeds`` feeds."""
    files = generate(directory, feeds, 25, seed=2)
    handler = type("Files", (_Files,), {"root": directory})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    app = make_app(db)
    specs = [FeedSpec(p.stem, f"{base}/{p.name}") for p in files]

    async def run() -> int:
        poller = Poller(app)
        try:
            return sum(r.new for r in await poller.poll_all(specs))
        finally:
            await poller.aclose()

    try:
        tracemalloc.start()
        t = time.perf_counter()
        new = asyncio.run(run())
        seconds = time.perf_counter() - t
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return new, peak, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    finally:
        httpd.shutdown()
        httpd.server_close()
        app.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs")
    ap.add_argument("--poll-feeds", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="pactwatch-ingest-") as tmp:
        root = Path(tmp)
        (root / "files").mkdir()
        files = generate(root / "files", args.feeds, args.items)
        size = sum(p.stat().st_size for p in files)
        print(f"{len(files)} files, {args.feeds * args.items} items, {size / 1e6:.1f} MB")
        fp_best = pipe_best = float("inf")
        n_fp = appended = events = 0
        cpu_ratios = []
        for run in range(args.repeat):  # interleaved, so both see the same machine
            t, c = time.perf_counter(), time.process_time()
            n_fp = feedparser_only(files)
            fp_wall, fp_cpu = time.perf_counter() - t, time.process_time() - c
            t, c = time.perf_counter(), time.process_time()
            appended, events = ingest_files(files, root / f"ingest{run}.db")
            pipe_wall, pipe_cpu = time.perf_counter() - t, time.process_time() - c
            fp_best, pipe_best = min(fp_best, fp_wall), min(pipe_best, pipe_wall)
            cpu_ratios.append(fp_cpu / pipe_cpu)
        items = args.feeds * args.items
        print(f"feedparser alone:                                 {n_fp / fp_best:7.0f} items/s ({fp_best:.2f}s)")
        print(f"ingest (parse+normalise+dedup+stories+append):    {items / pipe_best:7.0f} items/s "
              f"({pipe_best:.2f}s; {appended} appended, {events} events in the log)")
        print(f"ratio ingest / feedparser: {fp_best / pipe_best:.2f}x best-of wall time; "
              f"{statistics.median(cpu_ratios):.2f}x median of {len(cpu_ratios)} paired cpu-time runs (target >= 0.5x)")

        (root / "served").mkdir()
        new, peak, seconds, rss = poll_memory(root / "served", args.poll_feeds, root / "poll.db")
        print(f"poll of {args.poll_feeds} feeds over HTTP: {new} items appended in {seconds:.2f}s "
              f"(under tracemalloc); peak Python allocations {peak / 1e6:.1f} MB; "
              f"peak RSS of the process {rss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
