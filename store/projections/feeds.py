"""rm_feeds: feeds added at run time, and the health of every feed as its events tell it."""
from __future__ import annotations

from sqlalchemy import Connection, and_, bindparam, select

from store.recorder import StoredEvent
from store.tables import feeds
from tracker.domain.events import (
    FeedAdded,
    FeedFailed,
    FeedMarkedUnhealthy,
    FeedRecovered,
    FeedRemoved,
    ItemSeen,
)

_COLUMNS = ("url", "lang", "interval", "removed", "health", "last_error", "failing_since", "items", "last_item_at")
_UPDATE = feeds.update().where(and_(feeds.c.name == bindparam("key"))).values({c: bindparam(c) for c in _COLUMNS})


class FeedsProjection:
    name = "feeds"
    tables = [feeds]
    types = frozenset({"FeedAdded", "FeedRemoved", "FeedFailed", "FeedRecovered", "FeedMarkedUnhealthy", "ItemSeen"})

    def process_batch(self, conn: Connection, batch: list[StoredEvent]) -> None:
        typed = [(stored, stored.event()) for stored in batch]
        names = sorted({e.feed if isinstance(e, ItemSeen) else getattr(e, "name") for _, e in typed})
        rows: dict[str, dict] = {}
        for k in range(0, len(names), 500):
            for r in conn.execute(select(feeds).where(feeds.c.name.in_(names[k : k + 500]))):
                rows[r.name] = dict(r._mapping)
        existing = set(rows)
        for stored, event in typed:
            name = event.feed if isinstance(event, ItemSeen) else getattr(event, "name")
            row = rows.setdefault(name, {"name": name, "url": None, "lang": None, "interval": None, "removed": False,
                                         "health": "ok", "last_error": None, "failing_since": None, "items": 0,
                                         "last_item_at": None})
            if isinstance(event, FeedAdded):
                row.update(url=event.url, lang=event.lang, interval=event.interval, removed=False)
            elif isinstance(event, FeedRemoved):
                row.update(removed=True)
            elif isinstance(event, FeedFailed):
                row.update(health="failing", last_error=event.reason, failing_since=event.failed_at)
            elif isinstance(event, FeedMarkedUnhealthy):
                row.update(health="unhealthy", last_error=event.reason, failing_since=event.failing_since)
            elif isinstance(event, FeedRecovered):
                row.update(health="ok", failing_since=None)
            elif isinstance(event, ItemSeen):
                row.update(items=row["items"] + 1, last_item_at=stored.recorded_at)
        new = [r for n, r in rows.items() if n not in existing]
        old = [{**{c: r[c] for c in _COLUMNS}, "key": n} for n, r in rows.items() if n in existing]
        if new:
            conn.execute(feeds.insert(), new)
        if old:
            conn.execute(_UPDATE, old)
