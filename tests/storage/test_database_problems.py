"""A database that is missing, locked or down: the servers say so clearly and fast (issue 15, item 8)."""
from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from storage.engine import MissingDatabase, make_engine


def test_the_servers_stores_refuse_a_missing_sqlite_file_and_name_make_db(tmp_path):
    from bot.channels.zalo.store import ChannelStore
    from officer_desk.store import DeskStore
    from procedures_kb.service import ProcedureService

    url = f"sqlite:///{tmp_path / 'var' / 'catalogue.db'}"
    for build in (DeskStore.from_url, ChannelStore.from_url, ProcedureService.from_url):
        with pytest.raises(MissingDatabase, match="make db"):
            build(url)
    assert not (tmp_path / "var" / "catalogue.db").exists(), "nothing was created"
    # The commands that create the database still may.
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SELECT 1"))
    engine.dispose()
    assert (tmp_path / "var" / "catalogue.db").exists()
    DeskStore.from_url(url).engine.dispose()


def test_the_rasa_server_refuses_to_start_on_a_missing_database(tmp_path):
    from bot import runtime
    from bot.channels.officer import OfficerDeskInput
    from settings import Settings

    runtime.reset()
    runtime.configure(Settings(database_url=f"sqlite:///{tmp_path / 'missing.db'}"))
    try:
        with pytest.raises(MissingDatabase, match="make db"):
            OfficerDeskInput.from_credentials({})  # Rasa builds the channels before it serves
    finally:
        runtime.reset()


def test_the_action_server_refuses_to_start_on_a_missing_database(tmp_path, capsys):
    from actions import runtime
    from rasa_sdk_plugins import ActionServerStart
    from settings import Settings

    runtime.reset()
    runtime.configure(Settings(app_env="development", database_url=f"sqlite:///{tmp_path / 'missing.db'}",
                               action_server_token="test-action-token"))
    try:
        with pytest.raises(SystemExit) as stopped:
            ActionServerStart().attach_sanic_app_extensions(None)
        assert stopped.value.code == 2 and "make db" in capsys.readouterr().err
    finally:
        runtime.reset()


def test_a_locked_sqlite_database_fails_fast_instead_of_holding_the_reply(tmp_path):
    path = tmp_path / "locked.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="locked"):
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t VALUES (1)"))
        assert time.monotonic() - started < 4.5  # SQLite's own default waits 5 s
        with engine.connect() as conn:  # reading is not blocked (WAL)
            assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()
