"""outbox for outgoing channel messages; Zalo events kept until processed; delivery errors on desk lines

Revision ID: 0007_outbox
Revises: 0005_digest
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_outbox"
down_revision = "0006_lookup_limits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(255), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("parts_sent", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False),
        sa.Column("last_error", sa.String(32)),
        sa.Column("handoff_message_id", sa.Integer),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("sent_at", sa.DateTime),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_recipient", "outbox", ["channel", "recipient", "id"])
    with op.batch_alter_table("channel_events") as batch:
        batch.add_column(sa.Column("payload", sa.JSON))
        batch.add_column(sa.Column("processed_at", sa.DateTime))
        batch.add_column(sa.Column("locked_until", sa.DateTime))
        batch.create_index("ix_channel_events_processed_at", ["processed_at"])
    # Events taken before this revision were processed at once.
    op.execute("UPDATE channel_events SET processed_at = received_at")
    with op.batch_alter_table("handoff_messages") as batch:
        batch.add_column(sa.Column("delivery_error", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("handoff_messages") as batch:
        batch.drop_column("delivery_error")
    with op.batch_alter_table("channel_events") as batch:
        batch.drop_index("ix_channel_events_processed_at")
        batch.drop_column("locked_until")
        batch.drop_column("processed_at")
        batch.drop_column("payload")
    op.drop_index("ix_outbox_recipient", table_name="outbox")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_table("outbox")
