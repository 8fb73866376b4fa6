"""The SQL tracker store: conversations survive a new store, and the SQL runs off the event loop."""
from __future__ import annotations

import asyncio
import threading
import uuid

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ConversationPaused, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.stores.trackers import ThreadedSQLTrackerStore
from tests.conftest import POSTGRES_ADMIN_URL

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet]
slots:
  dossier_code:
    type: text
    mappings: [{type: custom}]
"""
)


def _endpoint(**kwargs) -> EndpointConfig:
    return EndpointConfig(type="bot.stores.trackers.ThreadedSQLTrackerStore", **kwargs)


@pytest.fixture(params=["sqlite", "postgresql"])
def endpoint(request, tmp_path):
    if request.param == "sqlite":
        yield _endpoint(dialect="sqlite", db=str(tmp_path / "var" / "tracker.db"), threads=3)
        return
    name = f"tthc_tracker_{uuid.uuid4().hex[:8]}"
    admin = sa.engine.make_url(POSTGRES_ADMIN_URL)
    yield _endpoint(url=admin.host, port=admin.port or 5432, username=admin.username, password=admin.password,
                    dialect="postgresql", db=name, login_db=admin.database or "postgres", threads=3)
    engine = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    engine.dispose()


def _conversation(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for event in (ActionExecuted("action_listen"), UserUttered("hồ sơ 000.00.07.H29-240315-0012"),
                  SlotSet("dossier_code", "000.00.07.H29-240315-0012"), ConversationPaused()):
        tracker.update(event)
    return tracker


def test_rasa_builds_it_from_the_endpoint_config_and_a_new_store_sees_the_conversation(endpoint):
    store = create_tracker_store(endpoint, DOMAIN)
    assert isinstance(store, ThreadedSQLTrackerStore)  # not Rasa's silent in-memory fallback
    asyncio.run(store.save(_conversation("citizen-1")))
    again = create_tracker_store(endpoint, DOMAIN)  # as after a restart
    tracker = asyncio.run(again.retrieve("citizen-1"))
    assert tracker.is_paused() and tracker.get_slot("dossier_code") == "000.00.07.H29-240315-0012"
    assert asyncio.run(again.retrieve("someone-else")) is None
    assert list(asyncio.run(again.keys())) == ["citizen-1"]


def test_saving_twice_stores_each_event_once(endpoint):
    store = create_tracker_store(endpoint, DOMAIN)
    tracker = _conversation("citizen-2")
    asyncio.run(store.save(tracker))
    tracker.update(UserUttered("cảm ơn"))
    asyncio.run(store.save(tracker))
    assert len(asyncio.run(store.retrieve_full_tracker("citizen-2")).events) == len(tracker.events)


def _statements(engine, seen: list) -> None:
    """Record (thread, SQL) of every statement `engine` runs from now on."""
    sa.event.listen(engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *rest: seen.append((threading.current_thread(), statement)))


def test_the_sql_runs_off_the_event_loop_and_rasas_own_store_does_not(tmp_path):
    """The fault: Rasa's store queries on the loop's thread, so every other turn waits."""
    db = str(tmp_path / "tracker.db")
    ours_seen, stock_seen = [], []
    ours = create_tracker_store(_endpoint(dialect="sqlite", db=db), DOMAIN)
    stock = SQLTrackerStore(DOMAIN, dialect="sqlite", db=db)
    _statements(ours.engine, ours_seen)
    _statements(stock.engine, stock_seen)

    async def turn():
        await ours.save(_conversation("citizen-3"))
        await ours.retrieve("citizen-3")
        await stock.retrieve("citizen-3")
        return threading.current_thread()

    loop_thread = asyncio.run(turn())
    assert ours_seen and all(thread is not loop_thread for thread, _ in ours_seen)
    assert stock_seen and all(thread is loop_thread for thread, _ in stock_seen)


def test_a_turn_costs_one_select_and_one_insert(endpoint):
    """Retrieve is one SELECT; saving the tracker it gave is one INSERT, with no count of the stored
    events (Rasa's store counts them before every save) and no BEGIN / COMMIT round trips."""
    store = create_tracker_store(endpoint, DOMAIN)
    asyncio.run(store.save(_conversation("citizen-4")))
    seen = []
    _statements(store.engine, seen)
    tracker = asyncio.run(store.retrieve("citizen-4"))
    tracker.update(UserUttered("cảm ơn"))
    tracker.update(ActionExecuted("utter_you_are_welcome"))
    asyncio.run(store.save(tracker))
    kinds = [statement.split()[0].upper() for _, statement in seen]
    assert kinds == ["SELECT", "INSERT"], [statement for _, statement in seen]
    stored = asyncio.run(store.retrieve_full_tracker("citizen-4")).events
    assert [type(event).__name__ for event in stored][-2:] == ["UserUttered", "ActionExecuted"]
    assert len(stored) == len(tracker.events)


def test_a_tracker_it_did_not_retrieve_is_saved_after_counting_what_is_stored(endpoint):
    """A tracker built elsewhere (Rasa's HTTP API, an import) has no count from a retrieve: the
    store counts, as Rasa does, and still writes each event once."""
    store = create_tracker_store(endpoint, DOMAIN)
    asyncio.run(store.save(_conversation("citizen-5")))
    rebuilt = DialogueStateTracker.from_events("citizen-5", list(_conversation("citizen-5").events), DOMAIN.slots)
    rebuilt.update(UserUttered("còn lệ phí?"))
    asyncio.run(store.save(rebuilt))
    stored = asyncio.run(store.retrieve_full_tracker("citizen-5")).events
    assert len(stored) == len(rebuilt.events) and stored[-1].text == "còn lệ phí?"


def test_events_come_back_as_rasa_rebuilds_them():
    """The cached event-type table gives what Rasa's own deserialisation gives, unknown types included."""
    from rasa.shared.core.events import deserialise_events as rasa_deserialise

    from bot.stores.trackers import deserialise_events

    dumps = [event.as_dict() for event in _conversation("citizen-6").events]
    dumps += [{"event": "session_started"}, {"no": "event"}, {"event": "topic", "topic": "x"}]
    assert deserialise_events(dumps) == rasa_deserialise(dumps)
    with pytest.raises(ValueError):
        deserialise_events([{"event": "no-such-event"}])


def test_a_connection_the_database_dropped_is_replaced_and_the_turn_goes_on(tmp_path, caplog):
    """No pre-ping on every checkout: a PostgreSQL restart kills the pooled connections, the next
    statement fails on a dead one, the pool is invalidated and the statement runs again on a new one."""
    name = f"tthc_tracker_{uuid.uuid4().hex[:8]}"
    admin = sa.engine.make_url(POSTGRES_ADMIN_URL)
    endpoint = _endpoint(url=admin.host, port=admin.port or 5432, username=admin.username,
                         password=admin.password, dialect="postgresql", db=name,
                         login_db=admin.database or "postgres", threads=2)
    killer = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        store = create_tracker_store(endpoint, DOMAIN)
        asyncio.run(store.save(_conversation("citizen-7")))
        assert asyncio.run(store.retrieve("citizen-7")) is not None  # a pooled connection now
        with killer.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                         {"n": name})
        tracker = asyncio.run(store.retrieve("citizen-7"))
        assert tracker is not None and tracker.is_paused()
        assert "dropped database connection was replaced" in caplog.text  # the dead one was tried first
        store.engine.dispose()
    finally:
        with killer.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                         {"n": name})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        killer.dispose()
