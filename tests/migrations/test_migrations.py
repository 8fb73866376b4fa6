from sqlalchemy import inspect

from storage import migrate


def test_downgrade_and_upgrade_round_trip(migrated_engine):
    migrate.downgrade(migrated_engine, "base")
    assert "procedures" not in inspect(migrated_engine).get_table_names()
    migrate.upgrade(migrated_engine)
    tables = set(inspect(migrated_engine).get_table_names())
    assert {"procedures", "submission_methods", "documents", "aliases", "import_runs"} <= tables
    assert {"handoff_tickets", "handoff_messages", "answer_feedback"} <= tables


def test_desk_tables_come_and_go_with_their_revision(migrated_engine):
    migrate.downgrade(migrated_engine, "0001_catalogue")
    tables = set(inspect(migrated_engine).get_table_names())
    assert "procedures" in tables and "handoff_tickets" not in tables
    migrate.upgrade(migrated_engine)
    assert "handoff_tickets" in inspect(migrated_engine).get_table_names()
