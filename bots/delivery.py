"""Sending messages well: flood limits, retries and a clear outcome per chat.

Digests go to many chats at once, so three things matter: staying under
Telegram's flood limits (30 messages/s overall, about 1 message/s per chat),
retrying what is transient, and telling the caller what happened to each
chat - a blocked bot should unsubscribe the chat, a rejected message is our
bug, a failure is worth trying again tomorrow.

Why not PTB's ``AIORateLimiter``: it throttles and retries *inside* the bot
call, so the caller cannot see a 429 or count attempts, its clock and sleep
cannot be driven by tests, and combining it with the retries here would
throttle and retry twice. This module owns the limits for the delivery path;
build the ``telegram.Bot`` used here without a PTB rate limiter.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import random
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

import telegram
from telegram import LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from tracker.render import TELEGRAM_CAPTION_LIMIT, html_to_plain, split_message, visible_length

log = logging.getLogger(__name__)

Status = Literal["sent", "blocked", "rejected", "failed"]
Sleep = Callable[[float], Awaitable[Any]]
Clock = Callable[[], float]


@dataclass(frozen=True)
class DeliveryOutcome:
    """What happened to one message (all its parts) for one chat.

    ``chat_id`` is where it ended up: it differs from the requested id when a
    group was upgraded to a supergroup, so callers can update their records.
    ``message_ids`` lists the parts that did arrive, even when a later part
    failed. ``error`` explains a non-"sent" status, or notes a degradation
    (sent as plain text) when the status is "sent". ``attempts`` counts HTTP
    calls, including those answered with 429.
    """

    chat_id: int
    status: Status
    message_ids: tuple[int, ...]
    error: str | None
    attempts: int


# --- rate limiting ------------------------------------------------------------------------------


class TokenBucket:
    """``capacity`` tokens, refilled continuously at ``rate`` per second."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.stamp = now

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now

    def wait_time(self, now: float) -> float:
        """Seconds until a token is available (0 if one is)."""
        self._refill(now)
        # The epsilon stops float rounding from leaving 0.99999... tokens after
        # sleeping exactly the computed time, which would spin forever.
        return 0.0 if self.tokens >= 1 - 1e-9 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1

    def is_full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.capacity


class RateLimiter:
    """Global and per-chat token buckets, shared by every send of a Deliverer.

    Telegram judges on its own clock when the request arrives, so network
    jitter can make two sends look closer than they left; ``margin`` keeps the
    rates a little under the limits (5 % by default) to absorb that. Buckets
    hold one token by default (``burst``): Telegram's limits are not
    documented as allowing bursts. The global bucket holds ``slack`` of a
    token more, so a timer that fires a few milliseconds late does not lose
    that time for good; it never allows more than ``burst + slack +
    rate x 1 s`` sends in any second, under 30 with the defaults. The
    per-chat rule is a minimum spacing, so chat buckets get no slack. A chat
    waits for its own token first and only then queues (FIFO) for the global
    one, so a busy chat never holds up the others.
    """

    def __init__(
        self,
        *,
        overall_per_second: float = 30.0,
        per_chat_per_second: float = 1.0,
        margin: float = 0.05,
        burst: int = 1,
        slack: float = 0.25,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if not 0 <= margin < 1:
            raise ValueError("margin must be in [0, 1)")
        self._overall_rate = overall_per_second * (1 - margin)
        self._chat_rate = per_chat_per_second * (1 - margin)
        self._burst = burst
        self._clock = clock
        self._sleep = sleep
        self._global = TokenBucket(self._overall_rate, burst + slack, clock())
        self._global_lock = asyncio.Lock()
        self._chats: dict[str, TokenBucket] = {}
        self._chat_locks: dict[str, tuple[asyncio.Lock, int]] = {}

    async def acquire(self, chat_id: int | str) -> None:
        """Wait until a message to ``chat_id`` may be sent, and claim the slot."""
        key = str(chat_id)
        lock, users = self._chat_locks.get(key) or (asyncio.Lock(), 0)
        self._chat_locks[key] = (lock, users + 1)
        try:
            async with lock:
                bucket = self._chats.get(key)
                if bucket is None:
                    bucket = self._chats[key] = TokenBucket(
                        self._chat_rate, self._burst, self._clock()
                    )
                await self._wait_for(bucket)
                async with self._global_lock:
                    await self._wait_for(self._global)
                    now = self._clock()
                    self._global.take(now)
                    bucket.take(now)
        finally:
            lock, users = self._chat_locks[key]
            if users <= 1:
                del self._chat_locks[key]
            else:
                self._chat_locks[key] = (lock, users - 1)
        self._forget_idle_chats()

    async def _wait_for(self, bucket: TokenBucket) -> None:
        while (wait := bucket.wait_time(self._clock())) > 0:
            await self._sleep(wait)

    def _forget_idle_chats(self) -> None:
        """Keep memory flat over millions of chats: a full bucket carries no state."""
        if len(self._chats) < 4096:
            return
        now = self._clock()
        for key in [k for k, b in self._chats.items() if b.is_full(now)]:
            if key not in self._chat_locks:
                del self._chats[key]


# --- delivery -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Attempted:
    """Result of sending one part, with retries."""

    chat_id: int
    status: Status
    message_id: int | None
    error: str | None
    attempts: int


SendCall = Callable[[int, bool], Awaitable[Message]]
"""Sends one part to a chat id; the bool asks for plain text instead of HTML."""


class Deliverer:
    """Sends text and pictures to chats, deciding retries in one place.

    - 429 (RetryAfter): sleep what Telegram asks, then retry; this is not a
      failure and does not advance the backoff (bounded by ``max_flood_waits``).
    - Network errors, timeouts and 5xx (PTB raises NetworkError/TimedOut):
      exponential backoff with jitter, at most ``max_attempts`` tries, then
      "failed". A timed-out send may have arrived, so a retry can duplicate
      a message; for digests that beats losing it.
    - 403 (Forbidden: blocked, kicked, chat deleted): "blocked" at once.
    - 400 (BadRequest): "rejected" at once - except "can't parse entities",
      which is retried once as plain text so the reader still gets the news.
    - A group upgraded to a supergroup (ChatMigrated) is followed once.
    """

    def __init__(
        self,
        bot: telegram.Bot,
        *,
        limiter: RateLimiter | None = None,
        max_attempts: int = 5,
        base_backoff: float = 1.0,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        max_backoff: float = 60.0,
        max_flood_waits: int = 10,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._bot = bot
        self._limiter = limiter if limiter is not None else RateLimiter()
        self._max_attempts = max_attempts
        self._base_backoff = base_backoff
        self._max_backoff = max_backoff
        self._max_flood_waits = max_flood_waits
        self._sleep = sleep
        self._rng = rng if rng is not None else random.Random()

    async def send_text(
        self,
        chat_id: int,
        html_text: str,
        *,
        message_thread_id: int | None = None,
        disable_preview: bool = True,
        reply_markup: Any = None,
    ) -> DeliveryOutcome:
        """Send Telegram-HTML text, split into parts that fit, in order.

        The keyboard goes on the last part, where the reader ends up. Sending
        stops at the first part that does not arrive.
        """
        parts = split_message(html_text)
        if not parts:
            return DeliveryOutcome(chat_id, "rejected", (), "message text is empty", 0)
        preview = LinkPreviewOptions(is_disabled=True) if disable_preview else None

        def sender(part: str, markup: Any) -> SendCall:
            async def send(target: int, plain: bool) -> Message:
                return await self._bot.send_message(
                    target,
                    html_to_plain(part) if plain else part,
                    parse_mode=None if plain else ParseMode.HTML,
                    message_thread_id=message_thread_id,
                    link_preview_options=preview,
                    reply_markup=markup,
                )
            return send

        last = len(parts) - 1
        return await self._send_all(
            chat_id, [sender(part, reply_markup if i == last else None)
                      for i, part in enumerate(parts)]
        )

    async def send_photo(
        self,
        chat_id: int,
        png: bytes,
        *,
        caption: str | None = None,
        message_thread_id: int | None = None,
    ) -> DeliveryOutcome:
        """Send a picture with an optional Telegram-HTML caption.

        A caption over Telegram's 1024-unit limit follows the photo as a text
        message instead of being cut.
        """
        long_caption = caption is not None and visible_length(caption) > TELEGRAM_CAPTION_LIMIT
        photo_caption = None if long_caption else caption

        async def send(target: int, plain: bool) -> Message:
            text = photo_caption
            if text is not None and plain:
                text = html_to_plain(text)
            return await self._bot.send_photo(
                target,
                photo=png,
                caption=text,
                parse_mode=ParseMode.HTML if text is not None and not plain else None,
                message_thread_id=message_thread_id,
            )

        outcome = await self._send_all(chat_id, [send])
        if not long_caption or outcome.status != "sent" or caption is None:
            return outcome
        rest = await self.send_text(outcome.chat_id, caption, message_thread_id=message_thread_id)
        return DeliveryOutcome(
            rest.chat_id, rest.status, outcome.message_ids + rest.message_ids,
            rest.error, outcome.attempts + rest.attempts,
        )

    async def _send_all(self, chat_id: int, calls: list[SendCall]) -> DeliveryOutcome:
        ids: list[int] = []
        attempts = 0
        notes: list[str] = []
        target = chat_id
        for call in calls:
            result = await self._send_one(target, call)
            attempts += result.attempts
            target = result.chat_id
            if result.status != "sent":
                return DeliveryOutcome(target, result.status, tuple(ids), result.error, attempts)
            assert result.message_id is not None
            ids.append(result.message_id)
            if result.error and result.error not in notes:
                notes.append(result.error)
        return DeliveryOutcome(target, "sent", tuple(ids), "; ".join(notes) or None, attempts)

    async def _send_one(self, chat_id: int, call: SendCall) -> _Attempted:
        attempts = failures = flood_waits = 0
        plain = migrated = False
        note: str | None = None
        while True:
            await self._limiter.acquire(chat_id)
            attempts += 1
            try:
                message = await call(chat_id, plain)
            except RetryAfter as exc:
                flood_waits += 1
                if flood_waits > self._max_flood_waits:
                    return _Attempted(chat_id, "failed", None, f"flood control: {exc}", attempts)
                log.info("chat %s: flood control, waiting %.1fs", chat_id, _seconds(exc))
                await self._sleep(_seconds(exc))
            except ChatMigrated as exc:
                if migrated:
                    return _Attempted(chat_id, "failed", None, str(exc), attempts)
                log.info("chat %s migrated to %s", chat_id, exc.new_chat_id)
                chat_id, migrated = int(exc.new_chat_id), True
            except Forbidden as exc:
                return _Attempted(chat_id, "blocked", None, exc.message, attempts)
            except BadRequest as exc:
                if not plain and "can't parse entities" in exc.message.lower():
                    log.warning("chat %s: %s; resending as plain text", chat_id, exc.message)
                    plain, note = True, f"sent as plain text after: {exc.message}"
                    continue
                return _Attempted(chat_id, "rejected", None, exc.message, attempts)
            except NetworkError as exc:  # also TimedOut, and 5xx which PTB maps here
                failures += 1
                if failures >= self._max_attempts:
                    return _Attempted(chat_id, "failed", None, exc.message, attempts)
                delay = self._backoff(failures)
                log.info("chat %s: %s; retry %d in %.2fs", chat_id, exc.message, failures, delay)
                await self._sleep(delay)
            except (InvalidToken, TelegramError) as exc:  # bad token, conflicts: not ours to fix
                return _Attempted(chat_id, "failed", None, exc.message, attempts)
            else:
                return _Attempted(chat_id, "sent", message.message_id, note, attempts)

    def _backoff(self, failures: int) -> float:
        """Equal jitter: half the exponential step fixed, half random."""
        step = min(self._max_backoff, self._base_backoff * 2 ** (failures - 1))
        return step / 2 + self._rng.uniform(0, step / 2)


def _seconds(exc: RetryAfter) -> float:
    """RetryAfter.retry_after in seconds, whichever type PTB is set to return."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)
