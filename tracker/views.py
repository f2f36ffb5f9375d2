"""Plain renderings of stored events for terminals (events tail)."""
from __future__ import annotations

import json

from store.recorder import StoredEvent

SUMMARY_WIDTH = 110


def format_event_line(e: StoredEvent) -> str:
    when = e.recorded_at[:19].replace("T", " ")
    body = json.dumps(e.data, ensure_ascii=False, separators=(",", ":"))
    if len(body) > SUMMARY_WIDTH:
        body = body[: SUMMARY_WIDTH - 1] + "…"
    return f"{e.position:>8}  {when}  {e.type:<26} {e.stream_id}@{e.version}  {body}"
