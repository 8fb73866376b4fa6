"""Delivery of officer replies to channels that can send on their own (Zalo).

A channel that can push registers a function when Rasa builds its blueprint;
the officers' desk calls `deliver` after a reply or a hand-back, and the
channel sends at once what its outbox holds for the conversation (the desk
wrote it there with the reply; if this call fails, the channel's background
sender still sends it). Channels without one (REST, the web page) get the
messages with the citizen's next message or when the page polls `/updates`.
A pusher is given the conversation id as the desk knows it ("zalo:<user id>")
and maps it to its own user, refusing ids outside its namespace
(see conversation_ids.py).
"""
from __future__ import annotations

import logging
from typing import Awaitable, Callable, Dict

logger = logging.getLogger(__name__)

Pusher = Callable[[str], Awaitable[int]]
_pushers: Dict[str, Pusher] = {}


def register(channel: str, pusher: Pusher) -> None:
    _pushers[channel] = pusher


def unregister(channel: str) -> None:
    _pushers.pop(channel, None)


async def deliver(channel: str, conversation_id: str) -> int:
    """Push what waits for this conversation; the number of messages sent (0 if none or no pusher)."""
    pusher = _pushers.get(channel or "")
    if pusher is None:
        return 0
    try:
        return await pusher(conversation_id)
    except Exception as exc:  # the messages stay in the outbox; the background sender sends them
        logger.error("push to %s failed: %s", channel, type(exc).__name__)
        return 0
