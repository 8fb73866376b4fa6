"""The models (migrations.registry) describe exactly the schema the migrations build.

Alembic's autogenerate comparison between `migrations.registry.metadata` and
a database upgraded to head, on SQLite and on PostgreSQL: any table, column,
type, nullability, index, unique or foreign key that one side has and the
other lacks, and any server default that differs, is a difference.
"""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table

from migrations.registry import metadata


def _differences(engine, target: MetaData):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, target)


def test_models_match_the_migrated_schema(migrated_engine):
    differences = _differences(migrated_engine, metadata)
    assert differences == [], "models and migrations disagree:\n" + "\n".join(map(repr, differences))


def test_a_column_missing_from_the_migrations_is_found(migrated_engine):
    """The comparison itself can fail: a model with one column more than the schema."""
    extended = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(extended)
    Table("procedures", extended, Column("extra_for_test", Integer), extend_existing=True)
    differences = _differences(migrated_engine, extended)
    assert [(d[0], d[2], d[3].name) for d in differences] == [("add_column", "procedures", "extra_for_test")]
