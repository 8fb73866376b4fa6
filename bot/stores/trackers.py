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

Each turn costs two statements (a profile of the load benchmark showed Rasa's
ORM queries, its count of stored events before every save and the pool's
pre-ping as the largest part of the Rasa server's CPU):

- retrieve: one SELECT of the latest session's events, compiled once (Core,
  not ORM), events rebuilt with an event-type table built once (Rasa looks
  the type up among all Event subclasses for every event);
- save: one INSERT (psycopg2: one multi-row statement) of the events the
  tracker did not have when it was retrieved (the tracker carries that count; Rasa counts the stored
  events with an extra query). A tracker this store did not retrieve falls
  back to Rasa's count.

Connections are pooled in autocommit mode (one statement needs no BEGIN,
COMMIT or the pool's ROLLBACK) without a pre-ping: a connection the database
dropped (a restart) invalidates the pool and the statement is tried once more
on a fresh one.

Rasa loads a `type: module.Class` store by name and silently falls back to the
in-memory store if it cannot import it; tests/bot/test_stores.py imports this
one the same way.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Type, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.utils.common import all_subclasses

logger = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_THREADS = 8
SQLITE_BUSY_TIMEOUT_S = 5.0
# Set on a tracker by retrieve and save: how many of its events are stored (its latest session's).
STORED_EVENTS = "_tthc_stored_events"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def pooled_engine(url: Any, threads: int) -> sa.engine.Engine:
    """An engine with `threads` pooled autocommit connections for `url` (SQLite: shared across threads, WAL)."""
    url = sa.engine.make_url(url)
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(
            url,
            poolclass=sa.pool.QueuePool,
            pool_size=threads,
            max_overflow=0,
            isolation_level="AUTOCOMMIT",
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S},
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs = create_engine_kwargs(url)
    kwargs.update(pool_size=threads, max_overflow=threads, isolation_level="AUTOCOMMIT")
    return sa.create_engine(url, **kwargs)


_EVENT_TYPES: Optional[Dict[str, Type[Event]]] = None


def _event_types() -> Dict[str, Type[Event]]:
    global _EVENT_TYPES
    if _EVENT_TYPES is None:
        _EVENT_TYPES = {cls.type_name: cls for cls in all_subclasses(Event)}
    return _EVENT_TYPES


def deserialise_events(dumps: Iterable[Dict[str, Any]]) -> List[Event]:
    """Events from their dicts, as rasa.shared.core.events.deserialise_events (same results, same
    errors for an unknown type), with the type table built once instead of per event."""
    types, events = _event_types(), []
    for dump in dumps:
        name = dump.get("event")
        if name is None:
            continue
        cls = types.get(name)
        event = cls._from_parameters(dump) if cls is not None else Event.from_parameters(dump)
        if event is not None:
            events.append(event)
    return events


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
        table = self.SQLEvent.__table__
        self._table = table
        sender = sa.bindparam("sender_id")
        session_start = (
            sa.select(sa.func.max(table.c.timestamp))
            .where(table.c.sender_id == sender, table.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        latest = sa.or_(table.c.timestamp >= session_start, session_start.is_(None))
        self._latest_session = sa.select(table.c.data).where(table.c.sender_id == sender, latest).order_by(table.c.id)
        self._all_sessions = sa.select(table.c.data).where(table.c.sender_id == sender).order_by(table.c.id)
        self._insert = table.insert()
        self._count_latest = sa.select(sa.func.count()).select_from(table).where(table.c.sender_id == sender, latest)

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    def _run(self, work: Callable[[sa.engine.Connection], T]) -> T:
        """`work` on a pooled connection; once more on a fresh one if the database had dropped it."""
        try:
            with self.engine.connect() as connection:
                return work(connection)
        except sa.exc.DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            logger.warning("tracker store: a dropped database connection was replaced")
            with self.engine.connect() as connection:
                return work(connection)

    async def keys(self) -> Iterable[str]:
        return await self._in_thread(self._keys)

    def _keys(self) -> List[str]:
        table = self._table
        return self._run(lambda c: list(c.execute(sa.select(table.c.sender_id).distinct()).scalars()))

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """The tracker of the conversation's latest session, or None if there is none."""
        return await self._in_thread(self._retrieve_events, sender_id, False)

    async def retrieve_full_tracker(self, conversation_id: str) -> Optional[DialogueStateTracker]:
        """The tracker with the events of every session."""
        return await self._in_thread(self._retrieve_events, conversation_id, True)

    def _retrieve_events(self, sender_id: str, all_sessions: bool) -> Optional[DialogueStateTracker]:
        query = self._all_sessions if all_sessions else self._latest_session
        rows = self._run(lambda c: c.execute(query, {"sender_id": sender_id}).scalars().all())
        if not (self.domain and rows):
            return None
        tracker = DialogueStateTracker.from_events(
            sender_id, deserialise_events(json.loads(data) for data in rows), self.domain.slots)
        if not all_sessions:
            setattr(tracker, STORED_EVENTS, len(rows))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the tracker's events not stored yet (and stream them to the event broker, if any)."""
        await self.stream_events(tracker)
        await self._in_thread(self._save_events, tracker)

    def _save_events(self, tracker: DialogueStateTracker) -> None:
        stored = getattr(tracker, STORED_EVENTS, None)

        def insert(connection: sa.engine.Connection) -> None:
            start = stored
            if start is None:  # a tracker this store did not retrieve: count, as Rasa does
                start = connection.execute(self._count_latest, {"sender_id": tracker.sender_id}).scalar_one()
            rows = [self._values(tracker.sender_id, event) for event in itertools.islice(tracker.events, start, None)]
            if rows:  # compiled once; psycopg2 sends up to 1,000 rows as one multi-row INSERT
                connection.execute(self._insert, rows)

        self._run(insert)
        setattr(tracker, STORED_EVENTS, len(tracker.events))

    @staticmethod
    def _values(sender_id: str, event: Event) -> Dict[str, Any]:
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
