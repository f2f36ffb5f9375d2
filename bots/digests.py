"""The daily digest job: every minute, send each due chat its digest at its own local time.

For every subscription whose scheduled time has passed since its last digest
(services.due_subscriptions) the job builds the digests in one batch (services.build_digests),
renders them (messages.render_digest) and delivers them through the Deliverer, which splits long
messages, turns link previews off and keeps to Telegram's flood limits; chats are served in
parallel and the Deliverer's limiter decides the pace.

Restart safety: DigestSent is appended right after each chat's delivery succeeds, so a crash
resends at most the digests that were in flight and skips none (a chat whose DigestSent is in the
log is no longer due). Nothing new: no message, and the chat is remembered (in memory) as checked
for that moment so it is not rebuilt every minute. A 403 unsubscribes the chat with the reason; a
400 is recorded as DigestFailed and not retried for that moment; a failure after the Deliverer's
retries is recorded and tried again a few times, then left for the next day (the cursor did not
move, so nothing is lost).
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bots.delivery import Deliverer, DeliveryOutcome
from tracker import messages
from tracker.service_layer import services
from tracker.service_layer.services import Digest

if TYPE_CHECKING:
    from store.queries import Subscription
    from tracker.bootstrap import App

log = logging.getLogger(__name__)

RETRY_FAILED_AFTER = timedelta(minutes=10)
MAX_FAILED_ATTEMPTS = 3


@dataclass
class RunResult:
    """What one run did, chat ids per outcome."""

    sent: list[int] = field(default_factory=list)
    empty: list[int] = field(default_factory=list)
    blocked: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: int = 0  # due, but already checked or given up for this moment


def render_all(digests: list[Digest]) -> list[str]:
    """messages.render_digest for each digest; chats that share an entry list share the text."""
    done: dict[tuple[int, str, str], str] = {}
    lines: dict[tuple[int, str, str], str] = {}
    out = []
    for d in digests:
        key = (id(d.entries), d.local_date, d.language)
        text = done.get(key)
        if text is None:
            text = done[key] = messages.render_digest(d.entries, d.local_date, d.language, lines) if d.entries else ""
        out.append(text)
    return out


class DigestJob:
    """Call ``await job.run(now)`` every minute (the scheduler passes its clock's ``now``)."""

    def __init__(self, app: "App", deliverer: Deliverer, *, concurrency: int = 64) -> None:
        self.app = app
        self.deliverer = deliverer
        self.concurrency = concurrency
        # (chat, moment) → why it is not to be tried again now: "empty", "rejected", or failed attempts
        self._done: dict[tuple[int, datetime], str] = {}
        self._failures: dict[tuple[int, datetime], tuple[int, datetime]] = {}
        self._running = asyncio.Lock()

    async def run(self, now: datetime) -> RunResult:
        """One pass; overlapping calls wait for each other instead of sending twice."""
        async with self._running:
            return await self._run(now)

    async def _run(self, now: datetime) -> RunResult:
        result = RunResult()
        due = await asyncio.to_thread(services.due_subscriptions, self.app, now)
        todo: list[tuple["Subscription", datetime]] = []
        for sub in due:
            moment = services.digest_moment(self.app, sub, now)
            if self._skip(sub.chat_id, moment, now):
                result.skipped += 1
            else:
                todo.append((sub, moment))
        self._forget_before(now - timedelta(days=2))
        if not todo:
            return result
        digests = await asyncio.to_thread(services.build_digests, self.app, [s for s, _ in todo], now)
        texts = await asyncio.to_thread(render_all, digests)
        gate = asyncio.Semaphore(self.concurrency)
        record = asyncio.Lock()  # appends one at a time: short transactions, no writer contention

        async def one(sub: "Subscription", moment: datetime, digest: Digest, text: str) -> None:
            if digest.empty:
                self._done[(sub.chat_id, moment)] = "empty"
                result.empty.append(sub.chat_id)
                return
            async with gate:
                outcome = await self._deliver(sub, text)
            async with record:
                await asyncio.to_thread(self._record, sub, moment, digest, outcome, now, result)

        outcomes = await asyncio.gather(*(one(s, m, d, x) for (s, m), d, x in zip(todo, digests, texts)), return_exceptions=True)
        for (sub, _), err in zip(todo, outcomes):
            if isinstance(err, BaseException):
                log.error("digest for chat %s: %s", sub.chat_id, err, exc_info=err)
        if result.sent or result.blocked or result.failed or result.rejected:
            log.info("digests: %d sent, %d nothing new, %d blocked, %d rejected, %d failed", len(result.sent),
                     len(result.empty), len(result.blocked), len(result.rejected), len(result.failed))
        return result

    def _skip(self, chat_id: int, moment: datetime, now: datetime) -> bool:
        if (chat_id, moment) in self._done:
            return True
        failed = self._failures.get((chat_id, moment))
        return failed is not None and now < failed[1] + RETRY_FAILED_AFTER

    def _forget_before(self, cutoff: datetime) -> None:
        for key in [k for k in self._done if k[1] < cutoff]:
            del self._done[key]
        for key in [k for k in self._failures if k[1] < cutoff]:
            del self._failures[key]

    async def _deliver(self, sub: "Subscription", text: str) -> DeliveryOutcome:
        try:
            return await self.deliverer.send_text(sub.chat_id, text, message_thread_id=sub.thread_id,
                                                  disable_preview=True)
        except Exception as exc:  # a bug or an unexpected error for one chat must not stop the others
            log.exception("digest for chat %s: unexpected error", sub.chat_id)
            return DeliveryOutcome(sub.chat_id, "failed", (), f"{type(exc).__name__}: {exc}", 0)

    def _record(self, sub: "Subscription", moment: datetime, digest: Digest, outcome: DeliveryOutcome,
                now: datetime, result: RunResult) -> None:
        chat_id = sub.chat_id
        if outcome.status == "sent":
            services.record_digest_sent(self.app, digest, now)
            result.sent.append(chat_id)
            if outcome.chat_id != chat_id:
                log.warning("chat %s now lives at %s (group upgraded); its subscription stays under the old id",
                            chat_id, outcome.chat_id)
        elif outcome.status == "blocked":
            reason = f"telegram: {outcome.error}"
            log.warning("chat %s: %s; unsubscribing it", chat_id, reason)
            services.chat_gone(self.app, chat_id, reason)
            result.blocked.append(chat_id)
        elif outcome.status == "rejected":
            log.error("chat %s: digest rejected: %s", chat_id, outcome.error)
            services.record_digest_failed(self.app, chat_id, f"rejected: {outcome.error}", now)
            self._done[(chat_id, moment)] = "rejected"
            result.rejected.append(chat_id)
        else:
            attempts = self._failures.get((chat_id, moment), (0, now))[0] + 1
            log.warning("chat %s: digest failed (attempt %d): %s", chat_id, attempts, outcome.error)
            services.record_digest_failed(self.app, chat_id, f"failed: {outcome.error}", now)
            if attempts >= MAX_FAILED_ATTEMPTS:
                self._done[(chat_id, moment)] = "failed"
            self._failures[(chat_id, moment)] = (attempts, now)
            result.failed.append(chat_id)
