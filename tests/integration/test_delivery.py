"""Deliverer through a real PTB Bot against the fake Bot API server.

Time is virtual: the limiter and the retries sleep on a VirtualClock, so a
429 with retry_after=7 costs nothing on the wall clock but is still checked.
"""

from __future__ import annotations

import asyncio
import random

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bots.delivery import Deliverer, RateLimiter
from tests.fake_telegram import FakeBotAPI, fake_bot, fake_bot_api  # noqa: F401 - fixtures
from tracker.render import html_escape, html_to_plain, link

CHAT = 4242


# PTB itself reads RetryAfter.retry_after while building the exception.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class VirtualClock:
    """A monotonic clock that only moves when something sleeps on it.

    ``sleeps`` records the Deliverer's own waits (429s, backoff),
    ``limiter_sleeps`` the rate limiter's; both advance the same time.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.limiter_sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await self._advance(seconds)

    async def limiter_sleep(self, seconds: float) -> None:
        self.limiter_sleeps.append(seconds)
        await self._advance(seconds)

    async def _advance(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def deliverer(fake_bot: Bot, clock: VirtualClock) -> Deliverer:  # noqa: F811
    limiter = RateLimiter(clock=clock, sleep=clock.limiter_sleep)
    return Deliverer(fake_bot, limiter=limiter, sleep=clock.sleep, rng=random.Random(7))


def send_calls(server: FakeBotAPI, method: str = "sendMessage") -> int:
    return sum(1 for r in server.requests if r["method"] == method)


async def test_sends_html_without_preview_into_a_topic(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    text = f"<b>{html_escape('삼성 & LG <MOU>')}</b> {link('https://example.com/a?b=1&c=2', 'news')}"
    outcome = await deliverer.send_text(-100777, text, message_thread_id=12)

    assert outcome.status == "sent"
    assert outcome.error is None and outcome.attempts == 1
    (sent,) = fake_bot_api.sent
    assert sent["text"] == text
    assert sent["parse_mode"] == "HTML"
    assert sent["message_thread_id"] == 12
    assert sent["link_preview_options"] == {"is_disabled": True}
    assert outcome.message_ids == (sent["message_id"],)


async def test_retry_after_is_honoured_without_backoff(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI, clock: VirtualClock  # noqa: F811
) -> None:
    fake_bot_api.fail_next(CHAT, 429, retry_after=7)

    outcome = await deliverer.send_text(CHAT, "hello")

    assert outcome.status == "sent"
    assert outcome.attempts == 2
    assert clock.sleeps == [7]
    assert fake_bot_api.count_429 == 1
    assert fake_bot_api.texts(CHAT) == ["hello"]


async def test_forbidden_means_blocked_at_once(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI, clock: VirtualClock  # noqa: F811
) -> None:
    fake_bot_api.fail_next(CHAT, 403, description="Forbidden: bot was blocked by the user")

    outcome = await deliverer.send_text(CHAT, "hello")

    assert outcome.status == "blocked"
    assert outcome.attempts == 1 and outcome.message_ids == ()
    assert "blocked" in (outcome.error or "")
    assert send_calls(fake_bot_api) == 1
    assert clock.sleeps == []


async def test_bad_request_is_rejected_without_retry(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI, clock: VirtualClock  # noqa: F811
) -> None:
    fake_bot_api.fail_next(CHAT, 400, description="Bad Request: message thread not found")

    outcome = await deliverer.send_text(CHAT, "hello", message_thread_id=99)

    assert outcome.status == "rejected"
    assert outcome.attempts == 1
    assert "thread not found" in (outcome.error or "")
    assert send_calls(fake_bot_api) == 1
    assert fake_bot_api.sent == []


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_retried_with_backoff_then_succeed(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI, clock: VirtualClock,  # noqa: F811
    status: int,
) -> None:
    fake_bot_api.fail_next(CHAT, status, times=2)

    outcome = await deliverer.send_text(CHAT, "hello")

    assert outcome.status == "sent"
    assert outcome.attempts == 3
    first, second = clock.sleeps
    assert 0.5 <= first <= 1.0  # base 1 s, equal jitter
    assert 1.0 <= second <= 2.0
    assert fake_bot_api.texts(CHAT) == ["hello"]


async def test_dropped_connection_is_retried(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    fake_bot_api.drop_next(CHAT)

    outcome = await deliverer.send_text(CHAT, "hello")

    assert outcome.status == "sent" and outcome.attempts == 2


async def test_dead_server_fails_after_max_attempts(
    fake_bot: Bot, fake_bot_api: FakeBotAPI, clock: VirtualClock  # noqa: F811
) -> None:
    limiter = RateLimiter(clock=clock, sleep=clock.limiter_sleep)
    deliverer = Deliverer(fake_bot, limiter=limiter, max_attempts=3, sleep=clock.sleep,
                          rng=random.Random(1))
    fake_bot_api.stop()

    outcome = await deliverer.send_text(CHAT, "hello")

    assert outcome.status == "failed"
    assert outcome.attempts == 3
    assert outcome.message_ids == ()
    assert len(clock.sleeps) == 2  # two backoffs between three tries
    assert 0.5 <= clock.sleeps[0] <= 1.0 and 1.0 <= clock.sleeps[1] <= 2.0


async def test_long_message_is_split_and_sent_in_order(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI, clock: VirtualClock  # noqa: F811
) -> None:
    lines = [f"<b>{i:04d}</b> {html_escape('Hyundai & Kia <-> 협력')} " + "x" * 60
             for i in range(160)]
    text = "\n".join(lines)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("more", callback_data="more:1")]])

    outcome = await deliverer.send_text(CHAT, text, reply_markup=keyboard)

    assert outcome.status == "sent"
    texts = fake_bot_api.texts(CHAT)
    assert len(texts) == len(outcome.message_ids) >= 3
    assert list(outcome.message_ids) == sorted(outcome.message_ids)
    assert "\n".join(html_to_plain(t) for t in texts) == html_to_plain(text)
    markups = [s["reply_markup"] for s in fake_bot_api.sent]
    assert markups[:-1] == [None] * (len(texts) - 1)
    assert markups[-1]["inline_keyboard"][0][0]["callback_data"] == "more:1"
    assert fake_bot_api.invalid == []
    # one chat gets at most one message per second (of virtual time)
    assert clock.now >= (len(texts) - 1) * 1.0


async def test_unparsable_html_falls_back_to_plain_text(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    outcome = await deliverer.send_text(CHAT, "<blink>news</blink> &amp; more")

    assert outcome.status == "sent"
    assert "plain text" in (outcome.error or "")
    assert len(fake_bot_api.invalid) == 1
    (sent,) = fake_bot_api.sent
    assert sent["text"] == "news & more"
    assert sent["parse_mode"] is None


async def test_migrated_group_is_followed(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    fake_bot_api.fail_next(-555, 400, description="Bad Request: group chat was upgraded to "
                           "a supergroup chat", migrate_to_chat_id=-100555)

    outcome = await deliverer.send_text(-555, "hello")

    assert outcome.status == "sent"
    assert outcome.chat_id == -100555
    assert fake_bot_api.sent[0]["chat_id"] == -100555


async def test_empty_text_is_rejected_locally(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    outcome = await deliverer.send_text(CHAT, "  \n ")

    assert outcome.status == "rejected" and outcome.attempts == 0
    assert send_calls(fake_bot_api) == 0


async def test_photo_arrives_intact_with_caption(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") \
        + (480).to_bytes(4, "big") + bytes(range(256)) * 4

    outcome = await deliverer.send_photo(CHAT, png, caption="<b>네트워크</b>",
                                         message_thread_id=3)

    assert outcome.status == "sent" and len(outcome.message_ids) == 1
    (photo,) = fake_bot_api.photos
    assert photo["photo"] == png
    assert photo["caption"] == "<b>네트워크</b>"
    assert photo["parse_mode"] == "HTML"
    assert photo["message_thread_id"] == 3


async def test_photo_with_overlong_caption_sends_the_caption_as_text(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    caption = "<i>" + "가" * 1500 + "</i>"

    outcome = await deliverer.send_photo(CHAT, b"\x89PNG\r\n\x1a\nrest", caption=caption)

    assert outcome.status == "sent" and len(outcome.message_ids) == 2
    assert [s["method"] for s in fake_bot_api.sent] == ["sendPhoto", "sendMessage"]
    assert fake_bot_api.sent[0]["caption"] is None
    assert fake_bot_api.sent[1]["text"] == caption


async def test_photo_to_blocked_chat(
    deliverer: Deliverer, fake_bot_api: FakeBotAPI  # noqa: F811
) -> None:
    fake_bot_api.fail_next(CHAT, 403, description="Forbidden: bot was kicked from the group chat")

    outcome = await deliverer.send_photo(CHAT, b"\x89PNG\r\n\x1a\n", caption="x")

    assert outcome.status == "blocked" and fake_bot_api.photos == []


async def test_limiter_spaces_sends_globally_and_per_chat(clock: VirtualClock) -> None:
    limiter = RateLimiter(clock=clock, sleep=clock.limiter_sleep)
    stamps: list[tuple[int, float]] = []

    async def one(chat: int) -> None:
        await limiter.acquire(chat)
        stamps.append((chat, clock.now))

    await asyncio.gather(*(one(chat) for chat in list(range(60)) + [0, 0, 1]))

    times = sorted(t for _, t in stamps)
    for a, b in zip(times, times[30:]):
        assert b - a >= 1.0  # never 31 sends within one second
    for chat in (0, 1):
        mine = sorted(t for c, t in stamps if c == chat)
        assert all(b - a >= 1.0 for a, b in zip(mine, mine[1:]))


async def test_limiter_is_no_slower_than_its_margin(clock: VirtualClock) -> None:
    # Sequential, because VirtualClock adds up concurrent sleeps instead of overlapping them.
    limiter = RateLimiter(clock=clock, sleep=clock.limiter_sleep)
    for chat in range(60):
        await limiter.acquire(chat)
    # the global bucket starts with its quarter-token of slack, then spaces evenly
    assert clock.now == pytest.approx((59 - 0.25) / (30 * 0.95))
