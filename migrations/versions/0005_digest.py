"""answer digests: short titles, the curated lead, the digest each answer is rendered from; import fingerprints

Revision ID: 0005_digest
Revises: 0004_channels
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_digest"
down_revision = "0004_channels"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("procedures") as batch:
        batch.add_column(sa.Column("short_title", sa.String(120)))
        batch.add_column(sa.Column("curated_lead", sa.JSON))
        batch.add_column(sa.Column("digest", sa.JSON))
        batch.add_column(sa.Column("digest_version", sa.Integer))
    with op.batch_alter_table("import_runs") as batch:
        batch.add_column(sa.Column("source_sha256", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("import_runs") as batch:
        batch.drop_column("source_sha256")
    with op.batch_alter_table("procedures") as batch:
        batch.drop_column("digest_version")
        batch.drop_column("digest")
        batch.drop_column("curated_lead")
        batch.drop_column("short_title")
