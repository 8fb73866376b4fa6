"""The storage core: engines that enforce foreign keys, sessions that keep loaded objects usable."""
from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, String, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import declarative_base

from storage.base import utcnow
from storage.engine import make_engine, make_session_factory


def test_a_sqlite_file_gets_its_folder_foreign_keys_and_wal(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'folder' / 'db.sqlite'}")
    try:
        with engine.begin() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            conn.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
            conn.execute(text("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))"))
        with pytest.raises(IntegrityError):
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO child (parent_id) VALUES (42)"))
        assert (tmp_path / "nested" / "folder" / "db.sqlite").exists()
    finally:
        engine.dispose()


def test_objects_stay_readable_after_commit(tmp_path):
    base = declarative_base()

    class Note(base):
        __tablename__ = "notes"
        id = Column(Integer, primary_key=True)
        body = Column(String(50), nullable=False)

    engine = make_engine(f"sqlite:///{tmp_path / 'notes.db'}")
    try:
        base.metadata.create_all(engine)
        sessions = make_session_factory(engine)
        with sessions.begin() as session:
            note = Note(body="hồ sơ")
            session.add(note)
        assert (note.id, note.body) == (1, "hồ sơ")  # expire_on_commit=False: readable after the session ended
    finally:
        engine.dispose()


def test_utcnow_is_naive_utc():
    now = utcnow()
    assert now.tzinfo is None
