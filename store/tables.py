"""SQLAlchemy Core metadata: the event log, projection checkpoints and every read model.

The events table is the only source of truth. Everything under READ_MODELS belongs to one
projection and may be dropped and rebuilt from the log at any time; ``feed_state`` is ordinary
bookkeeping (ETag, next poll) that is not worth an event per poll.
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# SQLite only treats "INTEGER PRIMARY KEY" as the rowid alias; PostgreSQL needs 64 bits.
Position = BigInteger().with_variant(Integer(), "sqlite")

events = Table(
    "events",
    metadata,
    Column("position", Position, primary_key=True, autoincrement=False),
    Column("stream_id", String(255), nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(100), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("data", Text, nullable=False),  # JSON
    Column("metadata", Text, nullable=False),  # JSON: causation_id, correlation_id, source
    Column("recorded_at", String(32), nullable=False),  # ISO 8601 UTC, microseconds
    Column("idempotency_key", String(255), nullable=True),
    UniqueConstraint("stream_id", "version", name="uq_events_stream_version"),
    UniqueConstraint("idempotency_key", name="uq_events_idempotency_key"),
    Index("ix_events_type_position", "type", "position"),
)

checkpoints = Table(
    "projection_checkpoints",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("position", Position, nullable=False),
)

feed_state = Table(
    "feed_state",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_attempt", String(32)),
    Column("last_success", String(32)),
    Column("last_error", Text),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("failing_since", String(32)),
    Column("next_poll", String(32)),
)

# --- read models (projections) ---------------------------------------------------------------

items = Table(
    "rm_items",
    metadata,
    Column("item_id", String(64), primary_key=True),
    Column("story_id", String(64), nullable=False, index=True),
    Column("feed", String(200), nullable=False),
    Column("outlet", String(200), nullable=False),
    Column("url", Text, nullable=False),
    Column("guid", Text),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("lang", String(8), nullable=False),
    Column("published", String(32), nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("position", Position, nullable=False),
    Index("ix_rm_items_guid", "guid"),
    Index("ix_rm_items_published", "published"),
)

detections = Table(
    "rm_detections",
    metadata,
    Column("position", Position, primary_key=True),  # of the PartnershipEventDetected event
    Column("item_id", String(64), nullable=False),
    Column("story_id", String(64), nullable=False),
    Column("party_a", String(100), nullable=False),
    Column("party_b", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("published", String(32), nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("detector_version", String(40), nullable=False),
    Column("retracted", Boolean, nullable=False, default=False),
    Index("ix_rm_detections_pair", "party_a", "party_b", "published"),
    Index("ix_rm_detections_item", "item_id"),
    Index("ix_rm_detections_party_b", "party_b"),
)

partnerships = Table(
    "rm_partnerships",
    metadata,
    Column("party_a", String(100), primary_key=True),
    Column("party_b", String(100), primary_key=True),
    Column("status", String(20), nullable=False),  # kind of the latest event by publication time
    Column("stage", String(20), nullable=False),  # furthest stage reached
    Column("open", Boolean, nullable=False),  # False after "ended" until a later event reopens it
    Column("first_date", String(32), nullable=False),
    Column("last_date", String(32), nullable=False),
    Column("events", Integer, nullable=False),
    Column("sources", Integer, nullable=False),
    Column("last_position", Position, nullable=False),
    Index("ix_rm_partnerships_b", "party_b"),
)

subscriptions = Table(
    "rm_subscriptions",
    metadata,
    Column("chat_id", BigInteger, primary_key=True),
    Column("active", Boolean, nullable=False),
    Column("all_orgs", Boolean, nullable=False),
    Column("orgs", Text, nullable=False),  # JSON list of canonical names
    Column("chat_type", String(20), nullable=False),
    Column("thread_id", BigInteger),
    Column("language", String(8)),
    Column("digest_time", String(5)),
    Column("timezone", String(64)),
    Column("cursor", Position, nullable=False),  # log position covered by the last digest
    Column("last_digest_at", String(32)),
    Column("subscribed_at", String(32), nullable=False),
    Column("unsubscribe_reason", Text),
)

feeds = Table(
    "rm_feeds",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("url", Text),
    Column("lang", String(8)),
    Column("interval", Integer),
    Column("removed", Boolean, nullable=False, default=False),
    Column("health", String(20), nullable=False),  # ok | failing | unhealthy
    Column("last_error", Text),
    Column("failing_since", String(32)),
    Column("items", Integer, nullable=False, default=0),
    Column("last_item_at", String(32)),
)

READ_MODELS: dict[str, list[Table]] = {
    "items": [items],
    "partnerships": [detections, partnerships],
    "subscriptions": [subscriptions],
    "feeds": [feeds],
}
