"""channel state: seen webhook events, messaging tokens

Revision ID: 0004_channels
Revises: 0003_dossiers
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_channels"
down_revision = "0003_dossiers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False, index=True),
        sa.UniqueConstraint("channel", "event_id", name="uq_channel_events_event"),
    )
    op.create_table(
        "channel_tokens",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("access_token", sa.Text),
        sa.Column("refresh_token", sa.Text),
        sa.Column("expires_at", sa.DateTime),
        sa.Column("seed_fingerprint", sa.String(64)),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("channel_tokens")
    op.drop_table("channel_events")
