"""The daily digest job through a real PTB Bot against the fake Bot API server.

Time is injected twice: the wall clock (which chats are due, what was recorded when) is a Clock
the test sets; the Deliverer's limiter and retries sleep on virtual time.
"""
from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select

from bots.digests import DigestJob
from store.tables import events as events_table
from tests.botkit import Clock, VirtualTime, add_story, fast_deliverer, make_app, utc
from tests.fake_telegram import FakeBotAPI, fake_bot, fake_bot_api  # noqa: F401 - fixtures
from tests.fake_telegram import parse_telegram_html, utf16_len
from tracker.render import html_to_plain
from tracker.service_layer import services
from tracker.service_layer.services import ChatRef

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

SEOUL, LONDON, NEW_YORK = 101, 102, 103


@pytest.fixture
def clock() -> Clock:
    return Clock(utc(2024, 5, 1, 0, 0))


@pytest.fixture
def app(db_url, clock, tmp_path):  # type: ignore[no-untyped-def]
    a = make_app(db_url, clock, tmp_path)
    yield a
    a.close()


def subscribe(app, chat_id: int, tz: str | None = None, orgs=(), thread_id=None, lang="en"):  # type: ignore[no-untyped-def]
    services.subscribe(app, ChatRef(chat_id, "private" if chat_id > 0 else "supergroup", thread_id, lang), orgs)
    if tz:
        services.change_settings(app, chat_id, tz=tz)


def news(app, n: int = 3, title: str = "SK hynix and Nvidia sign HBM supply deal") -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        add_story(app, f"n{i}", "SK hynix", "Nvidia", "supply", f"{title} #{i}", published="2024-05-01")
    app.project()


def no_invalid(server: FakeBotAPI) -> None:
    assert server.invalid == []
    for s in server.sent:
        assert utf16_len(parse_telegram_html(s["text"])) <= 4096


async def test_each_chat_gets_its_digest_at_its_own_local_eight_oclock(app, clock, fake_bot, fake_bot_api) -> None:  # type: ignore[no-untyped-def]
    clock.now = utc(2024, 5, 1, 12, 30)  # after 08:00 in all three zones
    subscribe(app, SEOUL, "Asia/Seoul")
    subscribe(app, LONDON, "Europe/London")
    subscribe(app, NEW_YORK, "America/New_York")
    clock.advance(hours=1)
    news(app)
    job = DigestJob(app, fast_deliverer(fake_bot))

    # 22:59 UTC: nobody's 08:00 yet; 23:00 UTC is 08:00 in Seoul (KST, UTC+9)
    assert (await job.run(utc(2024, 5, 1, 22, 59))).sent == []
    assert (await job.run(utc(2024, 5, 1, 23, 0))).sent == [SEOUL]
    # 07:00 UTC is 08:00 in London (BST); 12:00 UTC is 08:00 in New York (EDT)
    assert (await job.run(utc(2024, 5, 2, 6, 59))).sent == []
    assert (await job.run(utc(2024, 5, 2, 7, 0))).sent == [LONDON]
    assert (await job.run(utc(2024, 5, 2, 12, 0))).sent == [NEW_YORK]
    # once a day: a minute later nobody is due again
    again = await job.run(utc(2024, 5, 2, 12, 1))
    assert again.sent == [] and again.empty == []
    assert [int(s["chat_id"]) for s in fake_bot_api.sent] == [SEOUL, LONDON, NEW_YORK]
    text = fake_bot_api.sent[0]["text"]
    assert "Nvidia – SK hynix" in text and "2024-05-02" in text  # the local date in Seoul
    assert "2024-05-02" in fake_bot_api.sent[1]["text"]
    assert fake_bot_api.sent[0]["link_preview_options"] == {"is_disabled": True}
    sub = services.subscription(app, SEOUL)
    assert sub.last_digest_at.startswith("2024-05-01T23:00") and sub.cursor > 0
    no_invalid(fake_bot_api)


async def test_nothing_new_sends_nothing_and_is_not_rebuilt_every_minute(app, clock, fake_bot, fake_bot_api) -> None:  # type: ignore[no-untyped-def]
    subscribe(app, SEOUL)
    job = DigestJob(app, fast_deliverer(fake_bot))
    first = await job.run(utc(2024, 5, 1, 23, 0))
    assert first.empty == [SEOUL] and fake_bot_api.sent == []
    later = await job.run(utc(2024, 5, 1, 23, 1))
    assert later.skipped == 1 and later.empty == []
    # news recorded later goes into the next day's digest, not the skipped moment
    clock.now = utc(2024, 5, 2, 3, 0)
    news(app, 1)
    assert (await job.run(utc(2024, 5, 2, 3, 1))).sent == []
    assert (await job.run(utc(2024, 5, 2, 23, 0))).sent == [SEOUL]


async def test_first_digest_holds_the_last_24_hours_by_record_time_and_follows_the_cursor(app, clock, fake_bot, fake_bot_api) -> None:  # type: ignore[no-untyped-def]
    clock.now = utc(2024, 4, 29, 12, 0)
    add_story(app, "old", "Samsung Electronics", "TSMC", "talks", "Old talks", published="2024-04-01")
    clock.now = utc(2024, 5, 1, 12, 0)
    add_story(app, "fresh", "Samsung Electronics", "TSMC", "mou", "Fresh MOU", published="2024-03-01")  # old story, new to us
    app.project()
    subscribe(app, SEOUL, orgs=["삼성전자"])
    clock.now = utc(2024, 5, 1, 14, 0)
    subscribe(app, LONDON, orgs=["Nvidia"])
    job = DigestJob(app, fast_deliverer(fake_bot))
    result = await job.run(utc(2024, 5, 1, 23, 0))
    assert result.sent == [SEOUL]
    text = fake_bot_api.texts(SEOUL)[0]
    assert "Fresh MOU" in text and "Old talks" not in text
    clock.now = utc(2024, 5, 2, 1, 0)
    add_story(app, "next", "Samsung Electronics", "TSMC", "agreement", "Next agreement")
    add_story(app, "other", "SK hynix", "Nvidia", "supply", "Other pair")
    app.project()
    await job.run(utc(2024, 5, 2, 23, 0))
    second = fake_bot_api.texts(SEOUL)[1]
    assert "Next agreement" in second and "Fresh MOU" not in second and "Other pair" not in second


async def test_restart_mid_delivery_sends_the_rest_and_nobody_twice(app, clock, fake_bot, fake_bot_api) -> None:  # type: ignore[no-untyped-def]
    chats = list(range(201, 209))
    for c in chats:
        subscribe(app, c)
    clock.advance(hours=1)
    news(app)
    now = utc(2024, 5, 1, 23, 0)

    crashed = asyncio.Event()

    class Crashing:
        """Delivers three digests, then hangs on the fourth until the process 'dies'."""

        def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
            self.inner, self.count = inner, 0

        async def send_text(self, *a, **kw):  # type: ignore[no-untyped-def]
            self.count += 1
            if self.count > 3:
                crashed.set()
                await asyncio.Event().wait()
            return await self.inner.send_text(*a, **kw)

    first = DigestJob(app, Crashing(fast_deliverer(fake_bot)), concurrency=1)  # type: ignore[arg-type]
    task = asyncio.create_task(first.run(now))
    await asyncio.wait_for(crashed.wait(), 10)
    for _ in range(100):  # the third chat's DigestSent is being appended
        if sum(1 for c in chats if services.subscription(app, c).last_digest_at) == 3:
            break
        await asyncio.sleep(0.05)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert len(fake_bot_api.sent) == 3

    restarted = DigestJob(app, fast_deliverer(fake_bot))  # a new process: nothing in memory
    result = await restarted.run(utc(2024, 5, 1, 23, 1))
    assert sorted(result.sent) == chats[3:]
    assert sorted(int(s["chat_id"]) for s in fake_bot_api.sent) == chats  # each exactly once
    assert (await DigestJob(app, fast_deliverer(fake_bot)).run(utc(2024, 5, 1, 23, 2))).sent == []


async def test_429_retry_after_is_honoured(app, clock, fake_bot, fake_bot_api) -> None:  # type: ignore[no-untyped-def]
    subscribe(app, SEOUL)
    clock.advance(hours=1)
    news(app)
    fake_bot_api.fail_next(SEOUL, 429, retry_after=7)
    vt = VirtualTime()
    result = await DigestJob(app, fast_deliverer(fake_bot, vt)).run(utc(2024, 5, 1, 23, 0))
    assert result.sent == [SEOUL]
    assert 7 in vt.sleeps and fake_bot_api.count_429 == 1
    assert len(fake_bot_api.texts(SEOUL)) == 1


async def test_403_unsubscribes_with_the_reason_in_the_log(app, clock, fake_bot, fake_bot_api, caplog) -> None:  # type: ignore[no-untyped-def]
    subscribe(app, SEOUL)
    subscribe(app, LONDON)
    clock.advance(hours=1)
    news(app)
    fake_bot_api.fail_next(SEOUL, 403)
    with caplog.at_level(logging.WARNING, logger="bots.digests"):
        result = await DigestJob(app, fast_deliverer(fake_bot)).run(utc(2024, 5, 1, 23, 0))
    assert result.blocked == [SEOUL] and result.sent == [LONDON]
    sub = services.subscription(app, SEOUL)
    assert not sub.active
    with app.store.engine.connect() as conn:
        rows = conn.execute(select(events_table.c.data).where(events_table.c.type == "Unsubscribed")).all()
    assert any("bot was blocked by the user" in r.data for r in rows)
    assert "bot was blocked by the user" in caplog.text


async def test_400_is_recorded_and_not_retried_forever(app, clock, fake_bot, fake_bot_api) -> None:  # type: ignore[no-untyped-def]
    subscribe(app, SEOUL)
    clock.advance(hours=1)
    news(app)
    fake_bot_api.fail_next(SEOUL, 400, description="Bad Request: chat not found")
    job = DigestJob(app, fast_deliverer(fake_bot))
    assert (await job.run(utc(2024, 5, 1, 23, 0))).rejected == [SEOUL]
    calls = len(fake_bot_api.requests)
    for minute in range(1, 5):
        assert (await job.run(utc(2024, 5, 1, 23, minute))).rejected == []
    assert len(fake_bot_api.requests) == calls
    assert app.recorder.count(["DigestFailed"]) == 1
    assert services.subscription(app, SEOUL).active


async def test_failures_after_retries_are_recorded_then_retried_later(app, clock, fake_bot, fake_bot_api) -> None:  # type: ignore[no-untyped-def]
    subscribe(app, SEOUL)
    clock.advance(hours=1)
    news(app)
    fake_bot_api.fail_next(SEOUL, 500, times=2)
    job = DigestJob(app, fast_deliverer(fake_bot, max_attempts=2))
    assert (await job.run(utc(2024, 5, 1, 23, 0))).failed == [SEOUL]
    assert (await job.run(utc(2024, 5, 1, 23, 1))).skipped == 1  # not hammered every minute
    assert (await job.run(utc(2024, 5, 1, 23, 11))).sent == [SEOUL]
    assert app.recorder.count(["DigestFailed"]) == 1


async def test_a_5000_character_digest_full_of_markup_is_split_into_valid_parts_in_its_topic(app, clock, fake_bot, fake_bot_api) -> None:  # type: ignore[no-untyped-def]
    subscribe(app, -100777, thread_id=42)
    clock.advance(hours=1)
    for i in range(40):
        add_story(app, f"x{i}", "SK hynix", "Nvidia" if i % 2 else "TSMC", "mou",
                  f"<b>Not bold</b> & \"quoted\" <script>alert({i})</script> R&D > profit < cost #{i}")
    app.project()
    result = await DigestJob(app, fast_deliverer(fake_bot)).run(utc(2024, 5, 1, 23, 0))
    assert result.sent == [-100777]
    parts = fake_bot_api.sent
    assert len(parts) >= 2
    assert all(p["message_thread_id"] == 42 for p in parts)
    no_invalid(fake_bot_api)
    shown = "\n".join(html_to_plain(p["text"]) for p in parts)
    assert len("".join(p["text"] for p in parts)) > 5000
    assert "<b>Not bold</b> & \"quoted\" <script>alert(7)</script> R&D > profit < cost #7" in shown
    assert services.subscription(app, -100777).last_digest_at is not None


async def test_the_same_story_from_several_outlets_is_one_line_with_all_sources(app, clock, fake_bot, fake_bot_api) -> None:  # type: ignore[no-untyped-def]
    subscribe(app, SEOUL)
    clock.advance(hours=1)
    for outlet in ("Hankyung", "Yonhap", "Reuters"):
        add_story(app, f"s-{outlet}", "SK hynix", "Nvidia", "supply", "SK하이닉스, 엔비디아에 HBM 공급", outlet=outlet,
                  story_id="story-1", url=f"https://{outlet.lower()}.test/a")
    app.project()
    await DigestJob(app, fast_deliverer(fake_bot)).run(utc(2024, 5, 1, 23, 0))
    (text,) = fake_bot_api.texts(SEOUL)
    assert text.count("SK하이닉스, 엔비디아에 HBM 공급") == 1
    for outlet in ("Hankyung", "Yonhap", "Reuters"):
        assert outlet in text


def test_build_digests_in_a_batch_equals_one_by_one(app, clock) -> None:  # type: ignore[no-untyped-def]
    subscribe(app, 1)
    subscribe(app, 2, orgs=["TSMC"])
    clock.advance(hours=1)
    news(app, 2)
    add_story(app, "t", "TSMC", "Apple", "supply", "TSMC supplies Apple")
    app.project()
    now = utc(2024, 5, 1, 23, 0)
    subs = [services.subscription(app, c) for c in (1, 2)]
    batch = services.build_digests(app, subs, now)
    single = [services.build_digest(app, s.chat_id, now) for s in subs]
    assert [[e.title for e in d.entries] for d in batch] == [[e.title for e in d.entries] for d in single]
    assert [e.title for e in batch[1].entries] == ["TSMC supplies Apple"]
    assert len(batch[0].entries) == 3
