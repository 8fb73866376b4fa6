from sqlalchemy import inspect

from procedures_kb import migrate


def test_downgrade_and_upgrade_round_trip(migrated_engine):
    migrate.downgrade(migrated_engine, "base")
    assert "procedures" not in inspect(migrated_engine).get_table_names()
    migrate.upgrade(migrated_engine)
    tables = set(inspect(migrated_engine).get_table_names())
    assert {"procedures", "submission_methods", "documents", "aliases", "import_runs"} <= tables
