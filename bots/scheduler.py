"""The polling schedule of ``pactwatch run``, on APScheduler 3's AsyncIOScheduler.

One job per feed (``poll:<name>``, never two runs of one feed at once). After each poll the job
moves its own next run to the poll result's ``next_poll``, which already holds the jitter, the
exponential backoff of a failing feed and any Retry-After, so a dead feed is polled less and less
while the others keep their pace. First runs are spread over each feed's first interval so a
restart does not fire every feed at once; a feed that was backing off before the restart keeps
its stored next poll. ``feeds:refresh`` adds and removes jobs as feeds are added and removed at
run time. The planning is pure (``plan_first_runs``, ``next_run``, ``diff_jobs``) and takes its
clock and randomness as arguments.
"""
from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Iterable, Mapping

from apscheduler.jobstores.base import JobLookupError
from apscheduler.triggers.interval import IntervalTrigger

from tracker.service_layer.polling import FeedPollResult, FeedSpec, Poller, active_feeds, after_poll

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from tracker.bootstrap import App

log = logging.getLogger(__name__)

JOB_PREFIX = "poll:"
REFRESH_JOB = "feeds:refresh"
REFRESH_SECONDS = 60


def job_id(name: str) -> str:
    return JOB_PREFIX + name


STARTUP_SPREAD = timedelta(seconds=90)


def plan_first_runs(specs: Iterable[FeedSpec], now: datetime, rng: random.Random,
                    known_next: Mapping[str, datetime] | None = None) -> dict[str, datetime]:
    """When each feed is first polled: a stored future next poll if any (a feed backing off keeps
    backing off across restarts), else a random moment within the start-up window, so news
    arrives right after start without every feed being hit in the same second."""
    known_next = known_next or {}
    plan = {}
    for spec in specs:
        stored = known_next.get(spec.name)
        if stored is not None and stored > now:
            plan[spec.name] = stored
        else:
            window = min(spec.interval * 60, STARTUP_SPREAD.total_seconds())
            plan[spec.name] = now + timedelta(seconds=rng.uniform(0, window))
    return plan


def next_run(result: FeedPollResult, now: datetime, interval_minutes: int = 15) -> datetime:
    """The poll result's own next poll; never in the past (a stale result polls again soon, not in a loop)."""
    if result.next_poll is None:
        return now + timedelta(minutes=interval_minutes)
    return max(result.next_poll, now + timedelta(seconds=1))


def diff_jobs(scheduled: Iterable[str], specs: Iterable[FeedSpec]) -> tuple[list[str], list[str]]:
    """(feed names to add, feed names to drop) given the feed names scheduled now."""
    have = set(scheduled)
    want = [s.name for s in specs]
    return [n for n in want if n not in have], sorted(have - set(want))


@dataclass
class PollingSchedule:
    """What the scheduled jobs share: the app, one Poller, the current feed specs."""

    scheduler: "AsyncIOScheduler"
    app: "App"
    poller: Poller
    rng: random.Random
    specs: dict[str, FeedSpec] = field(default_factory=dict)
    _after_poll_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def scheduled_feeds(self) -> list[str]:
        return [j.id.removeprefix(JOB_PREFIX) for j in self.scheduler.get_jobs() if j.id.startswith(JOB_PREFIX)]

    def add_feeds(self, specs: Iterable[FeedSpec], now: datetime, known_next: Mapping[str, datetime] | None = None
                  ) -> None:
        specs = list(specs)
        for name, when in plan_first_runs(specs, now, self.rng, known_next).items():
            spec = next(s for s in specs if s.name == name)
            self.specs[name] = spec
            self.scheduler.add_job(
                self.run_feed, IntervalTrigger(minutes=spec.interval), args=[name], id=job_id(name),
                name=f"poll {name}", next_run_time=when, max_instances=1, coalesce=True,
                misfire_grace_time=None,  # a late poll is still wanted, however late
                replace_existing=True,
            )

    def drop_feeds(self, names: Iterable[str]) -> None:
        for name in names:
            self.specs.pop(name, None)
            try:
                self.scheduler.remove_job(job_id(name))
            except JobLookupError:
                pass

    def refresh(self, specs: list[FeedSpec], now: datetime) -> None:
        """Bring the jobs in line with the active feeds (added/removed at run time, URL changes)."""
        to_add, to_drop = diff_jobs(self.scheduled_feeds(), specs)
        self.drop_feeds(to_drop)
        by_name = {s.name: s for s in specs}
        for name, spec in by_name.items():
            if name in self.specs and self.specs[name] != spec:
                self.specs[name] = spec  # picked up by its next run
        if to_add:
            self.add_feeds([by_name[n] for n in to_add], now)

    async def refresh_job(self) -> None:
        try:
            specs = await asyncio.to_thread(active_feeds, self.app)
        except Exception:  # the database may be briefly away; try again next minute
            log.exception("feeds refresh failed")
            return
        self.refresh(specs, self.app.clock())

    async def run_feed(self, name: str) -> FeedPollResult | None:
        """Poll one feed, run detection and projections, then move this job to the feed's next poll."""
        spec = self.specs.get(name)
        if spec is None:
            return None
        result = await self.poller.poll(spec)
        if result.new or result.failed:  # items to detect, or a health change to project
            async with self._after_poll_lock:
                try:
                    await asyncio.to_thread(after_poll, self.app)
                except Exception:
                    log.exception("after poll of %s failed", name)
        when = next_run(result, self.app.clock(), spec.interval)
        try:
            self.scheduler.modify_job(job_id(name), next_run_time=when)
        except JobLookupError:
            pass  # removed while it ran
        log.info("%s; next poll %s", result.summary(), when.astimezone(timezone.utc).isoformat(timespec="seconds"))
        return result


def _known_next(app: "App") -> dict[str, datetime]:
    from tracker.service_layer.services import feeds_health

    out = {}
    for row in feeds_health(app):
        if row.next_poll:
            out[row.name] = datetime.fromisoformat(row.next_poll)
    return out


def schedule_polling(scheduler: "AsyncIOScheduler", app: "App", poller: Poller, *,
                     now: datetime | None = None, rng: random.Random | None = None) -> PollingSchedule:
    """Add one job per active feed and the ``feeds:refresh`` job; returns the shared state."""
    now = now or app.clock()
    schedule = PollingSchedule(scheduler, app, poller, rng or random.Random())
    schedule.add_feeds(active_feeds(app), now, _known_next(app))
    scheduler.add_job(schedule.refresh_job, IntervalTrigger(seconds=REFRESH_SECONDS), id=REFRESH_JOB,
                      name="pick up added/removed feeds", max_instances=1, coalesce=True,
                      next_run_time=now + timedelta(seconds=REFRESH_SECONDS), replace_existing=True)
    return schedule
