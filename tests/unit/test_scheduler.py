"""The polling schedule: pure planning with an injected clock and rng, and its APScheduler wiring
inspected through the jobs' next run times (nothing sleeps on the wall clock)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bots.scheduler import (
    STARTUP_SPREAD,
    JOB_PREFIX,
    REFRESH_JOB,
    diff_jobs,
    next_run,
    plan_first_runs,
    schedule_polling,
)
from store.recorder import NewEvent
from tests.conftest_feeds import feed_server, feed_server_session  # noqa: F401
from tests.feedserver import FeedServer
from tracker.bootstrap import bootstrap
from tracker.config import Config, parse_settings
from tracker.domain.events import FeedAdded, FeedRemoved
from tracker.service_layer.polling import FeedPollResult, FeedSpec, Poller, active_feeds

NOW = datetime(2025, 4, 1, 9, 0, tzinfo=timezone.utc)


def specs(n: int, interval: int = 15) -> list[FeedSpec]:
    return [FeedSpec(f"feed{i}", f"https://news{i}.example/rss", "en", interval) for i in range(n)]


def test_first_runs_come_soon_after_start_but_are_spread():
    plan = plan_first_runs(specs(40), NOW, random.Random(7))
    times = sorted(plan.values())
    assert all(NOW <= t < NOW + STARTUP_SPREAD for t in times)  # news right after start
    assert len(set(times)) == 40
    assert times[-1] - times[0] > STARTUP_SPREAD / 2  # spread, not all in the same second


def test_first_runs_are_deterministic_for_a_seed_and_honour_each_interval():
    hourly = [FeedSpec("slow", "https://slow.example/rss", interval=60)]
    a = plan_first_runs(specs(5) + hourly, NOW, random.Random(3))
    b = plan_first_runs(specs(5) + hourly, NOW, random.Random(3))
    assert a == b
    assert a["slow"] < NOW + STARTUP_SPREAD
    one_minute = [FeedSpec("fast", "https://fast.example/rss", interval=1)]
    assert plan_first_runs(one_minute, NOW, random.Random(3))["fast"] < NOW + timedelta(minutes=1)


def test_a_stored_future_next_poll_survives_a_restart_a_past_one_does_not():
    later = NOW + timedelta(hours=5)  # a dead feed backing off before the restart
    plan = plan_first_runs(specs(2), NOW, random.Random(1), {"feed0": later, "feed1": NOW - timedelta(hours=1)})
    assert plan["feed0"] == later
    assert NOW <= plan["feed1"] < NOW + STARTUP_SPREAD


def test_next_run_follows_the_poll_result_and_never_lies_in_the_past():
    backoff = NOW + timedelta(hours=2)
    assert next_run(FeedPollResult("a", error="HTTP 500", next_poll=backoff), NOW) == backoff
    assert next_run(FeedPollResult("a", next_poll=NOW - timedelta(minutes=5)), NOW) == NOW + timedelta(seconds=1)
    assert next_run(FeedPollResult("a"), NOW, 30) == NOW + timedelta(minutes=30)


def test_diff_jobs_adds_new_feeds_and_drops_removed_ones():
    assert diff_jobs(["feed0", "gone"], specs(2)) == (["feed1"], ["gone"])
    assert diff_jobs([], []) == ([], [])


# --- wiring --------------------------------------------------------------------------------------


def make_app(tmp_path: Path, feeds: list[dict], clock=lambda: NOW):  # type: ignore[no-untyped-def]
    settings = parse_settings({"feeds": feeds, "polling": {"read_timeout": 2, "connect_timeout": 1}})
    config = Config(settings, tmp_path / "config.toml", env={})
    return bootstrap(config, clock=clock, database_url=f"sqlite:///{tmp_path / 'pw.db'}")


@pytest.fixture
async def scheduler():  # type: ignore[no-untyped-def]
    s = AsyncIOScheduler(timezone=timezone.utc)
    s.start(paused=True)  # jobs are stored and planned, never run by the clock
    try:
        yield s
    finally:
        s.shutdown(wait=False)


def poll_jobs(s: AsyncIOScheduler) -> dict[str, object]:
    return {j.id: j for j in s.get_jobs() if j.id.startswith(JOB_PREFIX)}


async def test_one_job_per_feed_with_planned_first_runs(tmp_path: Path, scheduler: AsyncIOScheduler):
    feeds = [{"name": f"f{i}", "url": f"https://f{i}.example/rss", "interval": 10 * (i + 1)} for i in range(3)]
    app = make_app(tmp_path, feeds)
    poller = Poller(app)
    schedule_polling(scheduler, app, poller, now=NOW, rng=random.Random(11))
    jobs = poll_jobs(scheduler)
    assert set(jobs) == {"poll:f0", "poll:f1", "poll:f2"}
    expected = plan_first_runs(active_feeds(app), NOW, random.Random(11))
    for name, when in expected.items():
        job = jobs[f"poll:{name}"]
        assert job.next_run_time == when
        assert job.max_instances == 1 and job.coalesce is True and job.misfire_grace_time is None
    refresh = scheduler.get_job(REFRESH_JOB)
    assert refresh is not None and refresh.next_run_time == NOW + timedelta(minutes=1)
    await poller.aclose()


async def test_refresh_picks_up_feeds_added_and_removed_at_run_time(tmp_path: Path, scheduler: AsyncIOScheduler):
    app = make_app(tmp_path, [{"name": "cfg", "url": "https://cfg.example/rss"}])
    poller = Poller(app)
    schedule = schedule_polling(scheduler, app, poller, now=NOW, rng=random.Random(2))
    app.recorder.append("feed-extra", [NewEvent.of(FeedAdded(name="extra", url="https://extra.example/rss",
                                                             lang="ko", interval=1800))])
    schedule.refresh(active_feeds(app), NOW)
    job = scheduler.get_job("poll:extra")
    assert job is not None and NOW <= job.next_run_time < NOW + timedelta(minutes=30)
    assert schedule.specs["extra"].interval == 30
    app.recorder.append("feed-extra", [NewEvent.of(FeedRemoved(name="extra"))])
    await schedule.refresh_job()
    assert set(poll_jobs(scheduler)) == {"poll:cfg"}
    await poller.aclose()


async def test_a_run_moves_its_job_to_the_feeds_next_poll_and_backs_off(tmp_path: Path, scheduler: AsyncIOScheduler,
                                                                         feed_server: FeedServer):
    clock = {"now": NOW}
    app = make_app(tmp_path, [{"name": "dead", "url": feed_server.url("/status/500"), "interval": 15},
                              {"name": "busy", "url": feed_server.url("/status/429?retry_after=7200")},
                              {"name": "good", "url": feed_server.url("/feeds/atom_en.xml")}],
                   clock=lambda: clock["now"])
    poller = Poller(app, rng=random.Random(5))
    schedule = schedule_polling(scheduler, app, poller, now=NOW, rng=random.Random(5))
    gaps = []
    for _ in range(4):
        result = await schedule.run_feed("dead")
        assert result is not None and result.failed
        assert scheduler.get_job("poll:dead").next_run_time == result.next_poll
        gaps.append(result.next_poll - clock["now"])
        clock["now"] = result.next_poll
    assert gaps[-1] > gaps[0]  # polled less and less
    assert gaps[-1] > timedelta(minutes=60)
    busy = await schedule.run_feed("busy")
    assert busy is not None and busy.next_poll >= clock["now"] + timedelta(seconds=7200)  # Retry-After honoured
    assert scheduler.get_job("poll:busy").next_run_time == busy.next_poll
    good = await schedule.run_feed("good")
    assert good is not None and good.new == 3 and not good.failed
    when = scheduler.get_job("poll:good").next_run_time
    assert timedelta(minutes=13) <= when - clock["now"] <= timedelta(minutes=17)  # interval ± jitter
    await poller.aclose()
