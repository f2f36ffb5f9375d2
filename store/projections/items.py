"""rm_items: every news item seen, with the story (near-duplicate group) it belongs to."""
from __future__ import annotations

from sqlalchemy import Connection

from store.recorder import StoredEvent
from store.tables import items
from tracker.domain.events import ItemSeen

_INSERT = items.insert()


class ItemsProjection:
    name = "items"
    tables = [items]
    types = frozenset({"ItemSeen"})

    def process_batch(self, conn: Connection, batch: list[StoredEvent]) -> None:
        rows = []
        for stored in batch:
            event = stored.event()
            assert isinstance(event, ItemSeen)
            rows.append({
                "item_id": event.item_id,
                "story_id": event.story_id or event.item_id,
                "feed": event.feed,
                "outlet": event.outlet or event.feed,
                "url": event.url,
                "guid": event.guid,
                "title": event.title,
                "summary": event.summary,
                "lang": event.lang,
                "published": event.published or stored.recorded_at,
                "recorded_at": stored.recorded_at,
                "position": stored.position,
            })
        if rows:
            conn.execute(_INSERT, rows)
