"""The declarative Base every feature's models share, and the timestamp they use."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import declarative_base

Base = declarative_base()


def utcnow() -> dt.datetime:
    """The current time in UTC as a naive datetime (how every table stores times)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
