"""Plain renderings of stored events for terminals (events tail)."""
from __future__ import annotations

import json

from store.recorder import StoredEvent

SUMMARY_WIDTH = 120

# The fields that say what an event is about, shown first and without their keys' noise.
HEADLINE_FIELDS = {
    "ItemSeen": ("feed", "title"),
    "PartnershipEventDetected": ("parties", "kind", "confidence", "item_id"),
    "PartnershipEventRetracted": ("parties", "kind", "item_id"),
    "FeedAdded": ("name", "url"),
    "FeedRemoved": ("name",),
    "FeedFailed": ("name", "reason"),
    "FeedRecovered": ("name",),
    "FeedMarkedUnhealthy": ("name", "failing_since", "reason"),
    "Subscribed": ("chat_id", "orgs"),
    "Unsubscribed": ("chat_id", "orgs", "reason"),
    "SettingsChanged": ("chat_id", "digest_time", "timezone", "language"),
    "DigestSent": ("chat_id", "events", "up_to_position"),
    "DigestFailed": ("chat_id", "reason"),
}


def _value(v: object) -> str:
    if isinstance(v, list):
        return "–".join(str(x) for x in v) if v else "all"
    return str(v)


def summarize(e: StoredEvent) -> str:
    fields = HEADLINE_FIELDS.get(e.type)
    if fields is None:
        body = json.dumps(e.data, ensure_ascii=False, separators=(",", ":"))
    else:
        body = " ".join(f"{k}={_value(e.data[k])}" for k in fields if e.data.get(k) not in (None, ""))
    return body if len(body) <= SUMMARY_WIDTH else body[: SUMMARY_WIDTH - 1] + "…"


def format_event_line(e: StoredEvent) -> str:
    when = e.recorded_at[:19].replace("T", " ")
    return f"{e.position:>8}  {when}  {e.type:<26} {e.stream_id}@{e.version}  {summarize(e)}"
