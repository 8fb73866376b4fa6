"""dossier store: dossiers, status history, look-up attempts

Revision ID: 0003_dossiers
Revises: 0002_officer_desk
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_dossiers"
down_revision = "0002_officer_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True, index=True),
        sa.Column("procedure_code", sa.String(64), sa.ForeignKey("procedures.code"), nullable=False, index=True),
        sa.Column("procedure_name", sa.Text, nullable=False),
        sa.Column("agency_code", sa.String(32), nullable=False),
        sa.Column("receiving_agency", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("due_date", sa.Date),
        sa.Column("completed_at", sa.DateTime),
        sa.Column("returned_at", sa.DateTime),
        sa.Column("status", sa.String(32), nullable=False, index=True),
        sa.Column("pickup_place", sa.Text),
        sa.Column("applicant_name_masked", sa.String(255)),
        sa.Column("result_summary", sa.Text),
        sa.Column("officer_note", sa.Text),
        sa.Column("phone_salt", sa.String(32), nullable=False),
        sa.Column("phone_hash", sa.String(64), nullable=False),
        sa.Column("phone_tail_hash", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "dossier_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dossier_id", sa.Integer, sa.ForeignKey("dossiers.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("step", sa.Text, nullable=False),
        sa.Column("handled_by", sa.String(255)),
    )
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


def downgrade() -> None:
    op.drop_table("dossier_lookup_attempts")
    op.drop_table("dossier_events")
    op.drop_table("dossiers")
