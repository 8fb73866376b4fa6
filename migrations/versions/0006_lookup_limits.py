"""look-up limits: code look-ups and verification attempts counted per source and per code, as keyed hashes

Replaces dossier_lookup_attempts, which kept raw dossier codes; its rows only
mattered for 15 minutes, so they are not carried over.

Revision ID: 0006_lookup_limits
Revises: 0005_digest
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_lookup_limits"
down_revision = "0005_digest"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_lookup_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("conversation_key", sa.String(64), nullable=False),
        sa.Column("client_key", sa.String(64)),
        sa.Column("code_key", sa.String(64)),
        sa.Column("success", sa.Boolean, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_lookup_events_conversation", "dossier_lookup_events", ["conversation_key", "kind", "at"])
    op.create_index("ix_lookup_events_client", "dossier_lookup_events", ["client_key", "kind", "at"])
    op.create_index("ix_lookup_events_code", "dossier_lookup_events", ["code_key", "kind", "at"])
    op.create_index("ix_lookup_events_at", "dossier_lookup_events", ["at"])
    op.drop_index("ix_lookup_attempts_code_at", table_name="dossier_lookup_attempts")
    op.drop_index("ix_lookup_attempts_conversation_at", table_name="dossier_lookup_attempts")
    op.drop_table("dossier_lookup_attempts")


def downgrade() -> None:
    op.create_table(
        "dossier_lookup_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_key", sa.String(64), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("success", sa.Boolean, nullable=False),
    )
    op.create_index("ix_lookup_attempts_conversation_at", "dossier_lookup_attempts", ["conversation_key", "at"])
    op.create_index("ix_lookup_attempts_code_at", "dossier_lookup_attempts", ["dossier_code", "at"])
    op.drop_table("dossier_lookup_events")
