"""Helpers for the bot, digest and console tests: an app on a test database with a settable clock,
seeded news, and a Deliverer whose limiter and sleeps run on virtual time."""
from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from store.recorder import NewEvent
from tracker.bootstrap import App, bootstrap
from tracker.config import Config, parse_settings
from tracker.domain.events import ItemSeen, PartnershipEventDetected


class Clock:
    """A wall clock the test sets; the store stamps recorded_at with it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


class VirtualTime:
    """Monotonic time that moves only when the Deliverer or its limiter sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)

    async def limiter_sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


def make_app(db_url: str, clock: Clock, tmp: Path, **settings: Any) -> App:
    config = Config(parse_settings(settings), tmp / "config.toml", env={})
    return bootstrap(config, clock=clock, database_url=db_url)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)  # type: ignore[misc]


def add_story(app: App, item_id: str, a: str, b: str, kind: str, title: str, *, published: str = "2024-05-01",
              outlet: str = "Hankyung", url: str | None = None, story_id: str | None = None) -> None:
    """One news item and its detection, as polling and detection would append them."""
    story = story_id or item_id
    app.recorder.append(f"item-{item_id}", [
        NewEvent.of(ItemSeen(item_id=item_id, feed=outlet.lower(), url=url or f"https://news.test/{item_id}?a=1&b=2",
                             title=title, outlet=outlet, published=f"{published}T01:00:00+00:00", story_id=story),
                    key=f"item:{item_id}"),
        NewEvent.of(PartnershipEventDetected(item_id=item_id, parties=(a, b), kind=kind, confidence=0.9,
                                             evidence=title, published=published, story_id=story,
                                             detector_version="test")),
    ])


def fast_deliverer(bot: Any, vt: VirtualTime | None = None, **kw: Any) -> Any:
    from bots.delivery import Deliverer, RateLimiter

    vt = vt or VirtualTime()
    limiter = RateLimiter(clock=vt, sleep=vt.limiter_sleep)
    return Deliverer(bot, limiter=limiter, sleep=vt.sleep, rng=random.Random(1), **kw)
