"""A throw-away PostgreSQL database for one benchmark run."""
from __future__ import annotations

import uuid
from typing import Callable, Dict

from sqlalchemy import create_engine, text

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def with_postgres(prefix: str, function: Callable[[str], Dict[str, object]]) -> Dict[str, object]:
    """Run `function(url)` on a fresh database, dropped afterwards; report if PostgreSQL is unavailable."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    except Exception as exc:  # reported, not hidden
        admin.dispose()
        return {"error": f"PostgreSQL unavailable: {type(exc).__name__}"}
    try:
        return function(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
