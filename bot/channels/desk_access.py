"""What both channels need from the Rasa side: the desk store and tracker edits."""
from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable, Iterable, Optional, TypeVar

from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from officer_desk.store import DeskStore
from settings import Settings

T = TypeVar("T")
_lock = threading.Lock()
_store: Optional[DeskStore] = None


def desk_store() -> DeskStore:
    global _store
    with _lock:
        if _store is None:
            _store = DeskStore.from_url(Settings.from_env().database_url)
        return _store


def set_desk_store(store: Optional[DeskStore]) -> None:
    global _store
    with _lock:
        _store = store


async def in_thread(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking database work off the event loop."""
    return await asyncio.to_thread(function, *args, **kwargs)


async def append_events(agent, conversation_id: str, events: Iterable[Event]) -> Optional[DialogueStateTracker]:
    """Add events to a conversation under its lock; None if there is no such conversation."""
    async with agent.lock_store.lock(conversation_id):
        tracker = await agent.tracker_store.retrieve(conversation_id)
        if tracker is None:
            return None
        for event in events:
            tracker.update(event)
        await agent.tracker_store.save(tracker)
        return tracker


async def is_paused(agent, conversation_id: str) -> bool:
    tracker = await agent.tracker_store.retrieve(conversation_id)
    return bool(tracker is not None and tracker.is_paused())
