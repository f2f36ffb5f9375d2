"""rm_subscriptions: who gets digests, about what, when, and how far their digest has come."""
from __future__ import annotations

import json

from sqlalchemy import Connection, select

from store.recorder import StoredEvent
from store.tables import subscriptions
from tracker.domain.events import DigestSent, Event, SettingsChanged, Subscribed, Unsubscribed


class SubscriptionsProjection:
    name = "subscriptions"
    tables = [subscriptions]
    types = frozenset({"Subscribed", "Unsubscribed", "SettingsChanged", "DigestSent"})

    def process_batch(self, conn: Connection, batch: list[StoredEvent]) -> None:
        for stored in batch:  # rare events: one at a time is plenty
            self._apply(conn, stored, stored.event())

    def _apply(self, conn: Connection, stored: StoredEvent, event: Event) -> None:
        chat_id = getattr(event, "chat_id")
        row = conn.execute(select(subscriptions).where(subscriptions.c.chat_id == chat_id)).first()
        if row is None:
            conn.execute(
                subscriptions.insert().values(
                    chat_id=chat_id, active=False, all_orgs=False, orgs="[]", chat_type="private",
                    cursor=0, subscribed_at=stored.recorded_at,
                )
            )
            row = conn.execute(select(subscriptions).where(subscriptions.c.chat_id == chat_id)).first()
        orgs = set(json.loads(row.orgs))
        values: dict[str, object] = {}
        if isinstance(event, Subscribed):
            if event.orgs:
                orgs = (orgs if row.active and not row.all_orgs else set()) | set(event.orgs)
                values.update(all_orgs=False)
            else:
                orgs = set()
                values.update(all_orgs=True)
            values.update(active=True, chat_type=event.chat_type, thread_id=event.thread_id, unsubscribe_reason=None)
            if not row.active:
                values["subscribed_at"] = stored.recorded_at
            if event.language and not row.language:
                values["language"] = event.language
        elif isinstance(event, Unsubscribed):
            if event.orgs and row.active and not row.all_orgs:
                orgs -= set(event.orgs)
                if not orgs:
                    values.update(active=False, unsubscribe_reason=event.reason)
            elif not event.orgs:
                orgs = set()
                values.update(active=False, all_orgs=False, unsubscribe_reason=event.reason)
        elif isinstance(event, SettingsChanged):
            for key in ("digest_time", "timezone", "language"):
                if getattr(event, key) is not None:
                    values[key] = getattr(event, key)
        elif isinstance(event, DigestSent):
            values.update(cursor=max(row.cursor, event.up_to_position), last_digest_at=event.sent_at)
        values["orgs"] = json.dumps(sorted(orgs), ensure_ascii=False)
        conn.execute(subscriptions.update().where(subscriptions.c.chat_id == chat_id).values(**values))
