"""Event log, projection checkpoints, feed state and the first read models.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("position", Position, primary_key=True, autoincrement=False),
        sa.Column("stream_id", sa.String(255), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("metadata", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=True),
        sa.UniqueConstraint("stream_id", "version", name="uq_events_stream_version"),
        sa.UniqueConstraint("idempotency_key", name="uq_events_idempotency_key"),
    )
    op.create_index("ix_events_type_position", "events", ["type", "position"])
    op.create_table(
        "projection_checkpoints",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("position", Position, nullable=False),
    )
    op.create_table(
        "feed_state",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_attempt", sa.String(32)),
        sa.Column("last_success", sa.String(32)),
        sa.Column("last_error", sa.Text),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
        sa.Column("failing_since", sa.String(32)),
        sa.Column("next_poll", sa.String(32)),
    )
    # Read models are created here too; `pactwatch rebuild` drops and recreates them from
    # store.tables, which must stay in step with the newest migration.
    op.create_table(
        "rm_items",
        sa.Column("item_id", sa.String(64), primary_key=True),
        sa.Column("story_id", sa.String(64), nullable=False, index=True),
        sa.Column("feed", sa.String(200), nullable=False),
        sa.Column("outlet", sa.String(200), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("guid", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("published", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("position", Position, nullable=False),
    )
    op.create_index("ix_rm_items_guid", "rm_items", ["guid"])
    op.create_index("ix_rm_items_published", "rm_items", ["published"])
    op.create_table(
        "rm_detections",
        sa.Column("position", Position, primary_key=True),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("story_id", sa.String(64), nullable=False),
        sa.Column("party_a", sa.String(100), nullable=False),
        sa.Column("party_b", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("published", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("detector_version", sa.String(40), nullable=False),
        sa.Column("retracted", sa.Boolean, nullable=False),
    )
    op.create_index("ix_rm_detections_pair", "rm_detections", ["party_a", "party_b", "published"])
    op.create_index("ix_rm_detections_item", "rm_detections", ["item_id"])
    op.create_index("ix_rm_detections_party_b", "rm_detections", ["party_b"])
    op.create_table(
        "rm_partnerships",
        sa.Column("party_a", sa.String(100), primary_key=True),
        sa.Column("party_b", sa.String(100), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("open", sa.Boolean, nullable=False),
        sa.Column("first_date", sa.String(32), nullable=False),
        sa.Column("last_date", sa.String(32), nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("sources", sa.Integer, nullable=False),
        sa.Column("last_position", Position, nullable=False),
    )
    op.create_index("ix_rm_partnerships_b", "rm_partnerships", ["party_b"])
    op.create_table(
        "rm_subscriptions",
        sa.Column("chat_id", sa.BigInteger, primary_key=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("all_orgs", sa.Boolean, nullable=False),
        sa.Column("orgs", sa.Text, nullable=False),
        sa.Column("chat_type", sa.String(20), nullable=False),
        sa.Column("thread_id", sa.BigInteger),
        sa.Column("language", sa.String(8)),
        sa.Column("digest_time", sa.String(5)),
        sa.Column("timezone", sa.String(64)),
        sa.Column("cursor", Position, nullable=False),
        sa.Column("last_digest_at", sa.String(32)),
        sa.Column("subscribed_at", sa.String(32), nullable=False),
        sa.Column("unsubscribe_reason", sa.Text),
    )
    op.create_table(
        "rm_feeds",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("lang", sa.String(8)),
        sa.Column("interval", sa.Integer),
        sa.Column("removed", sa.Boolean, nullable=False),
        sa.Column("health", sa.String(20), nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("failing_since", sa.String(32)),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("last_item_at", sa.String(32)),
    )


def downgrade() -> None:
    for name in ("rm_feeds", "rm_subscriptions", "rm_partnerships", "rm_detections", "rm_items",
                 "feed_state", "projection_checkpoints", "events"):
        op.drop_table(name)
