"""Shared fixtures: a migrated catalogue database on SQLite and on PostgreSQL.

Each test run creates its own PostgreSQL database (127.0.0.1:5432, user
postgres, or TEST_POSTGRES_URL) and drops it at the end; every test starts
from empty tables.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from migrations.registry import metadata  # every feature's tables: all are emptied between tests
from storage import migrate
from storage.engine import make_engine, make_session_factory

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NATIONAL_CATALOGUE = Path(
    os.environ.get("NATIONAL_CATALOGUE", PROJECT_ROOT.parent / "shared" / "catalogue" / "national_catalogue.jsonl.gz")
)
CURATED_DIR = PROJECT_ROOT / "procedures_kb" / "data" / "curated"
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this test run, dropped afterwards."""
    name = f"tthc_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    except Exception as exc:  # pragma: no cover - environment problem, reported clearly
        pytest.fail(f"PostgreSQL is required for the catalogue tests ({POSTGRES_ADMIN_URL}): {exc}")
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'catalogue.db'}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def migrated_engine(request):
    """An engine on a migrated database, once per backend per test run."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    engine = make_engine(url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def _empty_tables(engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(table.name for table in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def engine(migrated_engine):
    _empty_tables(migrated_engine)
    yield migrated_engine
    _empty_tables(migrated_engine)


@pytest.fixture
def session(engine):
    sessions = make_session_factory(engine)
    with sessions() as s:
        yield s


def pytest_collection_modifyitems(config, items):
    if NATIONAL_CATALOGUE.exists():
        return
    skip = pytest.mark.skip(reason=f"national catalogue not found at {NATIONAL_CATALOGUE}")
    for item in items:
        if "national" in item.keywords:
            item.add_marker(skip)
