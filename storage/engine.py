"""Engine and session factories. Nothing is created at import time; the URL is always passed in."""
from __future__ import annotations

import warnings
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

SQLITE_BUSY_TIMEOUT_S = 1.0


class MissingDatabase(RuntimeError):
    """DATABASE_URL names a SQLite file that does not exist (the message says to run `make db`)."""


def make_engine(database_url: str, must_exist: bool = False, **kwargs) -> Engine:
    """An engine for `database_url` (any SQLAlchemy URL, e.g. `Settings.database_url`).

    For SQLite the parent folder is created and foreign keys and WAL are
    switched on for every connection; a write waits at most
    SQLITE_BUSY_TIMEOUT_S seconds for another writer, then fails
    (OperationalError "database is locked") instead of holding a reply for 5 s.
    With `must_exist` (the servers' stores), a SQLite file that does not exist
    is MissingDatabase rather than a new empty database; the commands that
    create it (migrations, `make db`) leave it False. Extra keyword arguments
    go to `create_engine` (e.g. `pool_pre_ping=True`).
    """
    url = make_url(database_url)
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and url.database not in (None, "", ":memory:"):
        path = Path(url.database[len("file:"):].split("?", 1)[0] if url.database.startswith("file:") else url.database)
        if must_exist and not path.exists():
            raise MissingDatabase(
                f"Không tìm thấy cơ sở dữ liệu {path} (DATABASE_URL). Hãy chạy `make db` để tạo và nạp dữ liệu, "
                "hoặc đặt DATABASE_URL trỏ tới cơ sở dữ liệu đã có."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
    if sqlite:
        kwargs.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_S)
    engine = create_engine(url, future=True, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        # Amounts are whole đồng and day counts; SQLite's float storage is exact for them.
        warnings.filterwarnings("ignore", message="Dialect sqlite\\+pysqlite does \\*not\\* support Decimal")
    return engine


def pooled_options(database_url: str, size: int = 5) -> dict:
    """`make_engine` keyword arguments that keep up to `size` connections open for a long-lived process.

    SQLAlchemy 1.4 opens a new SQLite connection for every session of a file
    database (NullPool): a store asked on every citizen turn then spends its
    time connecting and setting pragmas. These options pool them (shared
    across threads, which SQLite allows once `check_same_thread` is off).
    Other databases pool already: nothing to add.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return {}
    return {"poolclass": QueuePool, "pool_size": size, "max_overflow": 2 * size,
            "connect_args": {"check_same_thread": False}}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)
