"""Conversations in SQL with the database work off the event loop.

Rasa 3.6's `SQLTrackerStore` declares `retrieve` and `save` async but runs its
queries, JSON decoding and tracker rebuilding right on the event loop: while
one turn waits for PostgreSQL, every other citizen of the process waits too
(a third of the loop's time under load). This subclass keeps Rasa's table and
queries (trackers written by either store read the same) and runs each
retrieve / save in a small thread pool of its own, over a pooled engine with
one connection per thread (SQLite too: WAL, a busy timeout, connections shared
across threads). Configured in endpoints.yml / endpoints.production.yml:

    tracker_store:
      type: bot.stores.trackers.ThreadedSQLTrackerStore
      dialect: sqlite          # or postgresql, with url / port / username ...
      db: var/tracker.db       # SQLite: a file, relative to the server's folder
      threads: 8               # optional: thread pool = connection pool size

Rasa loads a `type: module.Class` store by name and silently falls back to the
in-memory store if it cannot import it; tests/bot/test_stores.py imports this
one the same way.
"""
from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable, List, Optional, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_THREADS = 8
SQLITE_BUSY_TIMEOUT_S = 5.0


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def pooled_engine(url: Any, threads: int) -> sa.engine.Engine:
    """An engine with `threads` pooled connections for `url` (SQLite: shared across threads, WAL)."""
    url = sa.engine.make_url(url)
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(
            url,
            poolclass=sa.pool.QueuePool,
            pool_size=threads,
            max_overflow=0,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S},
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs = create_engine_kwargs(url)
    kwargs.update(pool_size=threads, max_overflow=threads, pool_pre_ping=True)
    return sa.create_engine(url, **kwargs)


class ThreadedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store whose queries run in a thread pool, not on the event loop."""

    def __init__(self, *args: Any, threads: int = DEFAULT_THREADS, **kwargs: Any) -> None:
        threads = max(1, int(threads))
        dialect, db = kwargs.get("dialect", "sqlite"), kwargs.get("db")
        if dialect == "sqlite" and db and db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(*args, **kwargs)  # creates the database (login_db) and the table
        url = self.engine.url
        self.engine.dispose()
        self.engine = pooled_engine(url, threads)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="tracker-sql")

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    async def keys(self) -> Iterable[str]:
        return await self._in_thread(self._keys)

    def _keys(self) -> List[str]:
        with self.session_scope() as session:
            return [sender_id for (sender_id,) in session.query(self.SQLEvent.sender_id).distinct().all()]

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """The tracker of the conversation's latest session, or None if there is none."""
        return await self._in_thread(self._retrieve_events, sender_id, False)

    async def retrieve_full_tracker(self, conversation_id: str) -> Optional[DialogueStateTracker]:
        """The tracker with the events of every session."""
        return await self._in_thread(self._retrieve_events, conversation_id, True)

    def _retrieve_events(self, sender_id: str, all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=all_sessions).all()
            events = [json.loads(row.data) for row in rows]
        if not (self.domain and events):
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the tracker's events not stored yet (and stream them to the event broker, if any)."""
        await self.stream_events(tracker)
        await self._in_thread(self._save_events, tracker)

    def _save_events(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                session.add(self._row(tracker.sender_id, event))
            session.commit()

    def _row(self, sender_id: str, event: Event) -> Any:
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )
