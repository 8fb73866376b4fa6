"""What the channels do on the Rasa side around the desk: blocking work off the
event loop, and tracker edits under the conversation's lock.

The desk store itself is the Rasa server's, from bot/runtime.py.
"""
from __future__ import annotations

import asyncio
from typing import Any, Callable, Iterable, Optional, TypeVar

from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

T = TypeVar("T")


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
