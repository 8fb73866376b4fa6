"""Sending one outbox row to Zalo: the message in its 2,000-character parts,
each part remembered once Zalo took it, Zalo's errors turned into what the
outbox does next (bot/channels/outbox.py):

    -216, -220 (token)    the client refreshes and sends again; if the
                          refresh is refused: retried later
    -32 (rate limit),     the channel pauses, the row waits
    HTTP 429
    network, 5xx          retried with backoff
    other Zalo errors     failed for good (e.g. -201 invalid, -213 not a
                          follower, -230 outside the reply window)
"""
from __future__ import annotations

from typing import Awaitable, Callable

from bot.channels.outbox import PERMANENT, RATE_LIMITED, RETRY, DeliveryError
from bot.channels.zalo.client import OUTAGE, RATE_LIMITED_KIND, REFUSED, TOKEN, ZaloClient, ZaloError
from bot.channels.zalo.messages import to_zalo
from storage.outbox import Claimed

CONVERSATION_PREFIX = "zalo:"
_KINDS = {OUTAGE: RETRY, TOKEN: RETRY, RATE_LIMITED_KIND: RATE_LIMITED, REFUSED: PERMANENT}


def zalo_user_id(recipient: str) -> str:
    """The Zalo user id of an outbox recipient (a conversation id, `zalo:<user id>` or the bare id)."""
    return recipient[len(CONVERSATION_PREFIX):] if recipient.startswith(CONVERSATION_PREFIX) else recipient


async def deliver(client: ZaloClient, row: Claimed, progress: Callable[[int], Awaitable[None]]) -> None:
    """Send the parts of `row.payload` (a Rasa-style message) not yet taken; DeliveryError when Zalo did not."""
    parts = to_zalo(row.payload)
    for index in range(row.parts_sent, len(parts)):
        try:
            await client.send(zalo_user_id(row.recipient), parts[index], retry=False)
        except ZaloError as exc:
            raise DeliveryError(exc.code, _KINDS.get(exc.kind, RETRY)) from None
        if index + 1 < len(parts):
            await progress(index + 1)
