"""catalogue of procedures

Revision ID: 0001_catalogue
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_catalogue"
down_revision = None
branch_labels = None
depends_on = None


def _procedure_fk() -> sa.Column:
    return sa.Column(
        "procedure_id",
        sa.Integer,
        sa.ForeignKey("procedures.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "procedures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("decision_number", sa.String(255)),
        sa.Column("levels", sa.JSON, nullable=False),
        sa.Column("field", sa.String(255), index=True),
        sa.Column("procedure_type", sa.String(255)),
        sa.Column("target_groups", sa.JSON, nullable=False),
        sa.Column("implementing_agency", sa.Text),
        sa.Column("competent_agency", sa.Text),
        sa.Column("authorized_agency", sa.Text),
        sa.Column("coordinating_agency", sa.Text),
        sa.Column("receiving_address", sa.Text),
        sa.Column("steps_text", sa.Text),
        sa.Column("conditions_text", sa.Text),
        sa.Column("result_text", sa.Text),
        sa.Column("summary", sa.Text),
        sa.Column("source_url", sa.Text),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_group", sa.String(64)),
        sa.Column("imported_at", sa.DateTime),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "procedure_steps",
        sa.Column("id", sa.Integer, primary_key=True),
        _procedure_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "submission_methods",
        sa.Column("id", sa.Integer, primary_key=True),
        _procedure_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("time_value", sa.Numeric(10, 2)),
        sa.Column("time_unit", sa.String(16)),
        sa.Column("time_raw", sa.Text),
        sa.Column("fee_amount", sa.Numeric(18, 2)),
        sa.Column("fee_currency", sa.String(8)),
        sa.Column("fee_is_free", sa.Boolean),
        sa.Column("fee_raw", sa.Text),
        sa.Column("fee_note", sa.Text),
        sa.Column("description", sa.Text),
    )
    op.create_table(
        "document_cases",
        sa.Column("id", sa.Integer, primary_key=True),
        _procedure_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.Text),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "case_id",
            sa.Integer,
            sa.ForeignKey("document_cases.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("form_name", sa.Text),
        sa.Column("originals", sa.Integer, nullable=False),
        sa.Column("copies", sa.Integer, nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "legal_bases",
        sa.Column("id", sa.Integer, primary_key=True),
        _procedure_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("number", sa.String(255)),
        sa.Column("title", sa.Text),
    )
    op.create_table(
        "related_procedures",
        sa.Column("id", sa.Integer, primary_key=True),
        _procedure_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("related_code", sa.String(64)),
        sa.Column("name", sa.Text),
    )
    op.create_table(
        "aliases",
        sa.Column("id", sa.Integer, primary_key=True),
        _procedure_fk(),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("normalized", sa.String(255), nullable=False),
        sa.UniqueConstraint("procedure_id", "normalized", name="uq_alias_procedure"),
    )
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("source_format", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
        sa.Column("coverage", sa.JSON),
    )


def downgrade() -> None:
    for table in (
        "import_runs",
        "aliases",
        "related_procedures",
        "legal_bases",
        "documents",
        "document_cases",
        "submission_methods",
        "procedure_steps",
        "procedures",
    ):
        op.drop_table(table)
