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


def test_the_sql_runs_off_the_event_loop_and_rasas_own_store_does_not(tmp_path):
    """The fault: Rasa's store queries on the loop's thread, so every other turn waits."""
    db = str(tmp_path / "tracker.db")
    seen = {}

    def watch(store, name):
        scope = store.session_scope

        def watched():
            seen[name] = threading.current_thread()
            return scope()

        store.session_scope = watched
        return store

    ours = watch(create_tracker_store(_endpoint(dialect="sqlite", db=db), DOMAIN), "ours")
    stock = watch(SQLTrackerStore(DOMAIN, dialect="sqlite", db=db), "stock")

    async def turn():
        loop_thread = threading.current_thread()
        await ours.save(_conversation("citizen-3"))
        await ours.retrieve("citizen-3")
        await stock.retrieve("citizen-3")
        return loop_thread

    loop_thread = asyncio.run(turn())
    assert seen["ours"] is not loop_thread
    assert seen["stock"] is loop_thread
