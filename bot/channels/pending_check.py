"""Whether anything waits for a citizen: one statement, one round trip, asked on every turn.

On every citizen turn the channels look for officer replies and desk notices
not yet shown (officer_desk) and for replies of a late turn kept in the
outbox (storage/outbox.py). Nearly always nothing waits. Asked through both
stores, that cost two pooled checkouts, each with the pool's pre-ping, and
two queries: an eighth of the Rasa server's CPU in a profile of the load
benchmark. Here it is one SELECT of two EXISTS over a small pool of its own,
in autocommit mode (no BEGIN / ROLLBACK) and without pre-ping: a connection
the database dropped (a restart) is replaced and the statement tried once
more. Only when something waits do the stores take it, under their locks.
"""
from __future__ import annotations

import logging
from typing import Tuple

from sqlalchemy import exists, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from officer_desk.models import HandoffMessage
from officer_desk.store import DeskStore
from storage.engine import make_engine, pooled_options
from storage.outbox import UNFINISHED, OutboxMessage

logger = logging.getLogger(__name__)


class PendingCheck:
    """`waiting(conversation_id, channel)`: (desk messages wait, kept replies wait)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def beside(cls, engine: Engine) -> "PendingCheck":
        """A check over the database of `engine`, with a pool of its own (an in-memory SQLite
        database exists only in its engine: that engine is used)."""
        url = engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return cls(engine)
        address = url.render_as_string(hide_password=False)
        return cls(make_engine(address, must_exist=True, isolation_level="AUTOCOMMIT", **pooled_options(address)))

    def waiting(self, conversation_id: str, channel: str) -> Tuple[bool, bool]:
        """Whether officer / desk messages (on tickets of `channel`) and whether kept replies of
        `channel` wait for `conversation_id`. Raises SQLAlchemyError if the database is unreachable."""
        desk = DeskStore.waiting_query(select(HandoffMessage.id), conversation_id, channel).order_by(None)
        kept = select(OutboxMessage.id).where(
            OutboxMessage.channel == channel, OutboxMessage.recipient == conversation_id[:255],
            OutboxMessage.status.in_(UNFINISHED))
        query = select(exists(desk), exists(kept))
        try:
            return self._ask(query)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            logger.warning("pending check: a dropped database connection was replaced")
            return self._ask(query)

    def _ask(self, query) -> Tuple[bool, bool]:
        with self.engine.connect() as connection:
            desk, kept = connection.execute(query).one()
        return bool(desk), bool(kept)
