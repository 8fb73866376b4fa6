"""handoff queue and answer feedback

Revision ID: 0002_officer_desk
Revises: 0001_catalogue
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_officer_desk"
down_revision = "0001_catalogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_tickets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("procedure_code", sa.String(64)),
        sa.Column("officer", sa.String(255)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("claimed_at", sa.DateTime),
        sa.Column("closed_at", sa.DateTime),
    )
    op.create_table(
        "handoff_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("handoff_tickets.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("officer", sa.String(255)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("delivered_at", sa.DateTime),
    )
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
        sa.Column("channel", sa.String(64)),
        sa.Column("helpful", sa.Boolean, nullable=False, index=True),
        sa.Column("question", sa.Text),
        sa.Column("intent", sa.String(64)),
        sa.Column("procedure_code", sa.String(64), index=True),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("answer_feedback")
    op.drop_table("handoff_messages")
    op.drop_table("handoff_tickets")
