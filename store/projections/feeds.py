"""rm_feeds: feeds added at run time, and the health of every feed as its events tell it."""
from __future__ import annotations

from sqlalchemy import Connection, select

from store.recorder import StoredEvent
from store.tables import feeds
from tracker.domain.events import (
    Event,
    FeedAdded,
    FeedFailed,
    FeedMarkedUnhealthy,
    FeedRecovered,
    FeedRemoved,
    ItemSeen,
)


class FeedsProjection:
    name = "feeds"
    tables = [feeds]
    types = frozenset({"FeedAdded", "FeedRemoved", "FeedFailed", "FeedRecovered", "FeedMarkedUnhealthy", "ItemSeen"})

    def process(self, conn: Connection, stored: StoredEvent, event: Event) -> None:
        if isinstance(event, FeedAdded):
            self._upsert(conn, event.name, url=event.url, lang=event.lang, interval=event.interval, removed=False)
        elif isinstance(event, FeedRemoved):
            self._upsert(conn, event.name, removed=True)
        elif isinstance(event, FeedFailed):
            self._upsert(conn, event.name, health="failing", last_error=event.reason, failing_since=event.failed_at)
        elif isinstance(event, FeedMarkedUnhealthy):
            self._upsert(conn, event.name, health="unhealthy", last_error=event.reason, failing_since=event.failing_since)
        elif isinstance(event, FeedRecovered):
            self._upsert(conn, event.name, health="ok", failing_since=None)
        elif isinstance(event, ItemSeen):
            row = self._row(conn, event.feed)
            self._upsert(conn, event.feed, items=(row.items if row else 0) + 1, last_item_at=stored.recorded_at)

    @staticmethod
    def _row(conn: Connection, name: str):  # type: ignore[no-untyped-def]
        return conn.execute(select(feeds).where(feeds.c.name == name)).first()

    def _upsert(self, conn: Connection, name: str, **values: object) -> None:
        if self._row(conn, name) is None:
            base = {"name": name, "removed": False, "health": "ok", "items": 0}
            conn.execute(feeds.insert().values({**base, **values}))
        else:
            conn.execute(feeds.update().where(feeds.c.name == name).values(**values))
