"""Polling: fetch every feed, turn new items into ItemSeen events, record feed health changes.

One feed's items land in one transaction (never a half-written batch) with idempotency keys
(``item:<id>``), so a crashed poll that is run again adds nothing twice and loses nothing. Feed
health changes are events, once per change; routine bookkeeping (ETag, next poll, failure count)
lives in the ``feed_state`` table, so re-polling an unchanged feed appends nothing.
"""
from __future__ import annotations

import asyncio
import logging
import random
import sys
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from sqlalchemy import func, select

from store.recorder import NewEvent
from store.tables import feed_state, feeds as feeds_table, items as items_table
from tracker.adapters.feed_parse import FeedParseError, parse_feed
from tracker.adapters.http_fetch import FeedFetcher, FetchResult
from tracker.domain.backoff import next_poll_delay
from tracker.domain.events import FeedFailed, FeedMarkedUnhealthy, FeedRecovered, ItemSeen
from tracker.domain.near_dup import StoryClusterer
from tracker.domain.normalize import NormalizedItem, normalize_entry

if TYPE_CHECKING:
    from tracker.bootstrap import App

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedSpec:
    name: str
    url: str
    lang: str | None = None
    interval: int = 15  # minutes
    source: str = "config"  # or "runtime" (added with `feeds add`)


@dataclass(frozen=True)
class FeedPollResult:
    name: str
    new: int = 0
    duplicate: int = 0
    error: str | None = None
    not_modified: bool = False
    next_poll: datetime | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None

    def summary(self) -> str:
        if self.error:
            return f"{self.name}: failed ({self.error})"
        if self.not_modified:
            return f"{self.name}: not modified"
        return f"{self.name}: {self.new} new, {self.duplicate} duplicate"


def active_feeds(app: "App") -> list[FeedSpec]:
    """config.toml's feeds plus those added at run time and not removed since."""
    specs = {f.name: FeedSpec(f.name, f.url, f.lang, f.interval, "config") for f in app.config.feeds}
    app.runner.run(app.projection("feeds"))
    with app.store.engine.connect() as conn:
        for r in conn.execute(select(feeds_table).where(feeds_table.c.url.is_not(None))):
            if r.removed:
                if specs.get(r.name) and specs[r.name].source == "runtime":
                    del specs[r.name]
            elif r.name not in specs:
                specs[r.name] = FeedSpec(r.name, r.url, r.lang, max(1, (r.interval or 900) // 60), "runtime")
    return list(specs.values())


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat(timespec="seconds")


class Poller:
    """Polls feeds for one App. Keeps the story clusterer warm between polls."""

    def __init__(self, app: "App", *, fetcher: FeedFetcher | None = None, rng: random.Random | None = None):
        self.app = app
        p = app.config.polling
        self.fetcher = fetcher or FeedFetcher(user_agent=p.user_agent, connect_timeout=p.connect_timeout,
                                              read_timeout=p.read_timeout, max_bytes=p.max_bytes)
        self.rng = rng or random.Random()
        self.semaphore = asyncio.Semaphore(p.concurrency)
        self.clusterer = StoryClusterer(org_aliases={e.name: (e.name, *e.aliases) for e in app.catalog})
        self._clusterer_loaded = False
        # story id the clusterer computes on replay -> the story id stored in the log for it
        self._stored_story: dict[str, str] = {}
        self._guids: set[str] = set()  # guids appended by this poller (the read model may lag)
        # feeds are absorbed in worker threads; dedup-check + cluster + append must not interleave
        self._absorb_lock = threading.Lock()
        self._locks: dict[str, asyncio.Lock] = {}

    async def aclose(self) -> None:
        await self.fetcher.aclose()

    def _warm_clusterer(self) -> None:
        """Replay recent items so a story continues across restarts (the read model holds them).

        Replay today may group an old item differently than when it was stored; the stored story
        id wins, so new items joining it get the id already in the log.
        """
        if self._clusterer_loaded:
            return
        self.app.runner.run(self.app.projection("items"))
        with self.app.store.engine.connect() as conn:
            # measured from the newest item, not the clock: a log of older news (a backfill, an
            # import) must still warm up, and the window is about publication times anyway
            newest = conn.execute(select(func.max(items_table.c.published))).scalar()
            if newest is None:
                self._clusterer_loaded = True
                return
            horizon = min(self.app.clock(), datetime.fromisoformat(newest))
            since = _iso(horizon - 2 * self.clusterer.window)
            rows = conn.execute(select(items_table).where(items_table.c.published >= since)
                                .order_by(items_table.c.position)).all()
        for r in rows:
            computed = self.clusterer.assign(r.item_id, r.title, r.summary, r.lang, datetime.fromisoformat(r.published))
            self._stored_story.setdefault(computed, r.story_id)
        self._clusterer_loaded = True

    def _story_for(self, item: NormalizedItem) -> str:
        computed = self.clusterer.assign(item.item_id, item.title, item.summary, item.lang, item.published)
        return self._stored_story.get(computed, computed)

    async def poll_all(self, specs: Sequence[FeedSpec], on_done: Callable[[FeedPollResult], None] | None = None
                       ) -> list[FeedPollResult]:
        await asyncio.to_thread(self._warm_locked)

        async def one(spec: FeedSpec) -> FeedPollResult:
            result = await self.poll(spec)
            if on_done:
                on_done(result)
            return result

        return list(await asyncio.gather(*(one(s) for s in specs)))

    async def poll(self, spec: FeedSpec) -> FeedPollResult:
        """Poll one feed; never raises for the feed's own problems. One poll of a feed at a time."""
        lock = self._locks.setdefault(spec.name, asyncio.Lock())
        async with lock:
            state = await asyncio.to_thread(self._state, spec.name)
            async with self.semaphore:
                fetched = await self.fetcher.fetch(spec.url, etag=state.get("etag"),
                                                   last_modified=state.get("last_modified"))
            try:
                return await asyncio.to_thread(self._absorb, spec, state, fetched)
            except Exception as exc:  # a bug must not stop the other feeds
                log.exception("feed %s: unexpected error", spec.name)
                return self._failed(spec, state, f"internal error: {type(exc).__name__}", None)

    def ingest(self, spec: FeedSpec, fetched: FetchResult) -> FeedPollResult:
        """Absorb a response fetched elsewhere (benchmarks, replays of saved responses); blocking."""
        return self._absorb(spec, self._state(spec.name), fetched)

    # --- the synchronous part, run off the event loop -------------------------------------------

    def _absorb(self, spec: FeedSpec, state: dict, fetched: FetchResult) -> FeedPollResult:
        now = self.app.clock()
        if fetched.not_modified:
            return self._succeeded(spec, state, FeedPollResult(spec.name, not_modified=True), fetched)
        if not fetched.ok:
            return self._failed(spec, state, fetched.error or f"HTTP {fetched.status}", fetched.retry_after)
        try:
            parsed = parse_feed(fetched.body or b"", fetched.headers, fetched.final_url)
        except FeedParseError as exc:
            return self._failed(spec, state, str(exc), None)
        normalized: dict[str, NormalizedItem] = {}
        for entry in parsed.entries:
            item = normalize_entry(entry, feed_name=spec.name, feed_lang=spec.lang, first_seen=now)
            if item.title and item.item_id not in normalized:
                normalized[item.item_id] = item
        new, dup = self._append_items(spec, list(normalized.values()))
        return self._succeeded(spec, state, FeedPollResult(spec.name, new=new, duplicate=dup), fetched)

    def _warm_locked(self) -> None:
        with self._absorb_lock:
            self._warm_clusterer()

    def _append_items(self, spec: FeedSpec, batch: list[NormalizedItem]) -> tuple[int, int]:
        """Append the items not yet in the log (by URL key or guid); returns (new, duplicate)."""
        if not batch:
            return 0, 0
        with self._absorb_lock:
            self._warm_clusterer()
            return self._append_fresh(spec, batch)

    def _append_fresh(self, spec: FeedSpec, batch: list[NormalizedItem]) -> tuple[int, int]:
        recorder = self.app.recorder
        known = recorder.existing_keys([f"item:{i.item_id}" for i in batch])
        guids = [i.guid for i in batch if i.guid]
        known_guids = set(self._guids.intersection(guids))
        if guids:
            with self.app.store.engine.connect() as conn:
                for k in range(0, len(guids), 500):
                    known_guids.update(conn.execute(select(items_table.c.guid)
                                                    .where(items_table.c.guid.in_(guids[k:k + 500]))).scalars())
        fresh: list[NormalizedItem] = []
        for i in sorted(batch, key=lambda i: (i.published, i.item_id)):
            if f"item:{i.item_id}" in known or (i.guid and i.guid in known_guids):
                continue
            if i.guid:
                known_guids.add(i.guid)  # the same guid twice in one feed enters once too
            fresh.append(i)
        batches = []
        for i in fresh:
            event = ItemSeen(item_id=i.item_id, feed=spec.name, url=i.url, title=i.title, summary=i.summary,
                             lang=i.lang, published=_iso(i.published), outlet=i.outlet, guid=i.guid,
                             story_id=self._story_for(i))
            batches.append((f"item-{i.item_id}", [NewEvent.of(event, key=f"item:{i.item_id}",
                                                              metadata={"source": f"feed:{spec.name}"})], None))
        added = 0
        if batches:
            head = recorder.max_position()
            positions = {p for ps in recorder.append_many(batches) for p in ps}
            added = sum(1 for p in positions if p > head)
            self._guids.update(i.guid for i in fresh if i.guid)
        return added, len(batch) - added

    def _state(self, name: str) -> dict:
        with self.app.store.engine.connect() as conn:
            row = conn.execute(select(feed_state).where(feed_state.c.name == name)).first()
        return dict(row._mapping) if row else {"name": name, "consecutive_failures": 0}

    def _save_state(self, name: str, values: dict) -> None:
        with self.app.recorder.write_connection() as conn, conn.begin():
            updated = conn.execute(feed_state.update().where(feed_state.c.name == name).values(**values))
            if updated.rowcount == 0:
                conn.execute(feed_state.insert().values(name=name, **{"consecutive_failures": 0, **values}))

    def _succeeded(self, spec: FeedSpec, state: dict, result: FeedPollResult, fetched: FetchResult) -> FeedPollResult:
        now = self.app.clock()
        if state.get("consecutive_failures"):
            self.app.recorder.append(f"feed-{spec.name}", [NewEvent.of(FeedRecovered(name=spec.name, recovered_at=_iso(now)))])
        delay = next_poll_delay(interval=spec.interval * 60, consecutive_failures=0, retry_after=None, rng=self.rng)
        next_poll = now + timedelta(seconds=delay)
        values = {"last_attempt": _iso(now), "last_success": _iso(now), "consecutive_failures": 0,
                  "failing_since": None, "next_poll": _iso(next_poll), "last_error": None}
        if not fetched.not_modified:
            values.update(etag=fetched.etag, last_modified=fetched.last_modified)
        self._save_state(spec.name, values)
        return replace(result, next_poll=next_poll)

    def _failed(self, spec: FeedSpec, state: dict, reason: str, retry_after: float | None) -> FeedPollResult:
        now = self.app.clock()
        failures = int(state.get("consecutive_failures") or 0) + 1
        since = state.get("failing_since") or _iso(now)
        stream = f"feed-{spec.name}"
        if failures == 1:
            self.app.recorder.append(stream, [NewEvent.of(FeedFailed(name=spec.name, reason=reason, failed_at=_iso(now)))])
        grace = timedelta(minutes=self.app.config.polling.unhealthy_after_minutes)
        if now - datetime.fromisoformat(since) >= grace:
            last = self.app.recorder.read_stream(stream)
            if not last or last[-1].type != "FeedMarkedUnhealthy":
                self.app.recorder.append(stream, [NewEvent.of(FeedMarkedUnhealthy(name=spec.name, failing_since=since,
                                                                                  reason=reason))])
        delay = next_poll_delay(interval=spec.interval * 60, consecutive_failures=failures, retry_after=retry_after,
                                rng=self.rng)
        next_poll = now + timedelta(seconds=delay)
        self._save_state(spec.name, {"last_attempt": _iso(now), "last_error": reason, "consecutive_failures": failures,
                                     "failing_since": since, "next_poll": _iso(next_poll)})
        return FeedPollResult(spec.name, error=reason, next_poll=next_poll)


def after_poll(app: "App") -> int:
    """Detection and projections over what arrived; returns detections appended."""
    from tracker.service_layer.detection import detect_new_items

    app.runner.run(app.projection("items"))
    detected = detect_new_items(app)
    app.project()
    return detected


async def poll_once(app: "App", specs: Iterable[FeedSpec] | None = None, *, fetcher: FeedFetcher | None = None,
                    on_done: Callable[[FeedPollResult], None] | None = None) -> tuple[list[FeedPollResult], int]:
    specs = list(specs) if specs is not None else active_feeds(app)
    poller = Poller(app, fetcher=fetcher)
    try:
        results = await poller.poll_all(specs, on_done)
    finally:
        await poller.aclose()
    return results, await asyncio.to_thread(after_poll, app)


def poll_once_cli(app: "App") -> int:
    """``pactwatch poll --once``: a progress bar on a terminal, then one line per feed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    specs = active_feeds(app)
    if not specs:
        print("no feeds configured: add [[feeds]] to config.toml or use `pactwatch feeds add URL`", file=sys.stderr)
        return 1
    console = Console(stderr=True)
    lines: list[str] = []
    if console.is_terminal:
        with Progress(TextColumn("polling"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                      console=console, transient=True) as progress:
            task = progress.add_task("", total=len(specs))

            def done(r: FeedPollResult) -> None:
                progress.update(task, advance=1, description=r.name)

            results, detected = asyncio.run(poll_once(app, specs, on_done=done))
    else:
        results, detected = asyncio.run(poll_once(app, specs))
    for r in results:
        lines.append(r.summary())
    print("\n".join(lines))
    new = sum(r.new for r in results)
    failed = sum(1 for r in results if r.failed)
    print(f"{len(results)} feeds: {new} new items, {sum(r.duplicate for r in results)} duplicate, "
          f"{failed} failed; {detected} partnership events detected")
    return 1 if failed == len(results) else 0
