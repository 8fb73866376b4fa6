"""One citizen message through the assistant, whatever channel it came from.

The REST, web chat and Zalo channels all do the same thing with a message:
clean it, cut it if it is very long, run it through Rasa, and, when an
officer has the conversation (the bot is paused), put it on the officer's
ticket and say so instead of staying silent. Officer replies and desk
notices that the citizen has not seen yet come first in the answer.

A turn that fails (a store down) or takes longer than REPLY_TIMEOUT gets the
polite failure reply with the hotline (bot/channels/failures.py).
"""
from __future__ import annotations

import asyncio
import functools
import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sqlalchemy.exc import SQLAlchemyError

from bot import runtime
from bot.channels import failures, push
from bot.channels.desk_access import in_thread, is_paused
from bot.channels.validation import MAX_IDENTIFIER_CHARS, clean_text

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
MAX_SENDER_CHARS = MAX_IDENTIFIER_CHARS
TOO_LONG_NOTE = "Tin nhắn của bạn rất dài; tôi chỉ đọc 4.000 ký tự đầu. Bạn hãy hỏi ngắn gọn từng ý nhé."
WAITING_NOTE = (
    "Tin nhắn của bạn đã được chuyển cho cán bộ (yêu cầu hỗ trợ số {ticket}). "
    "Cán bộ sẽ trả lời tại đây, bạn vui lòng chờ trong giây lát."
)
WAITING_NOTE_NO_TICKET = "Cuộc trò chuyện đang được chuyển cho cán bộ; bạn vui lòng chờ trong giây lát."

Message = Dict[str, Any]


def clean_message(text: str) -> str:
    """Control characters, lone surrogates and non-characters become spaces."""
    return clean_text(text)


async def citizen_turn(
    agent: Any,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    sender: str,
    text: str,
    channel: str,
    metadata: Optional[Dict[str, Any]] = None,
    with_pending: bool = True,
) -> List[Message]:
    """Everything the citizen should see after `text`, in order, as Rasa's message dicts.

    `sender` is the conversation id (already namespaced by the channel, see
    conversation_ids.py). With `with_pending`, officer messages of this
    conversation on this channel not yet delivered come first (and are marked
    delivered); channels that push deliver them themselves.
    """
    notes: List[Message] = []
    text = clean_message(text)
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS]
        notes.append({"recipient_id": sender, "text": TOO_LONG_NOTE})
    collector = CollectingOutputChannel()

    async def turn() -> List[Message]:
        await on_new_message(UserMessage(text, collector, sender, input_channel=channel, metadata=metadata))
        replies = list(collector.messages)
        if not replies and agent is not None and await is_paused(agent, sender):
            replies.append({"recipient_id": sender, "text": await forward_to_officer(sender, text)})
        return replies

    replies, state = await failures.guarded(turn(), runtime.settings().reply_timeout)
    if replies is None:  # failed or late: what was already said, then the failure (or "it will follow") reply
        said = list(collector.messages)
        if state is not None and state.late is not None:
            # An action that already failed was told (FAILURE_REPLY): no promise of an answer after it.
            promised = failures.failure_text() not in [message.get("text") for message in said]
            state.late.add_done_callback(functools.partial(_keep_late, collector, len(said), channel, sender, promised))
            replies = said + [failures.late_message(sender)] if promised else said
        else:
            replies = said + [failures.failure_message(sender)]
    pending = await pending_messages(sender, channel) if with_pending else []
    return pending + notes + replies


def _keep_late(collector: CollectingOutputChannel, said: int, channel: str, sender: str, promised: bool,
               task: "asyncio.Future") -> None:
    """When a late turn ends: what it said after the deadline goes to the outbox for `channel`, not lost.

    The citizen was promised an answer (LATE_REPLY): a late turn that failed,
    or whose action failed after the deadline, keeps LATE_FAILURE_REPLY in
    place of the failure reply, so the promise is taken back, not contradicted.
    """
    failure = failures.failure_text()
    failed = task.cancelled() or task.exception() is not None
    late = [] if failed else [_plain(message) for message in collector.messages[said:]]
    if promised and (failed or any(message.get("text") == failure for message in late)):
        late = [message for message in late if message.get("text") != failure]
        late.append({"text": failures.late_failure_text()})
    if late:
        asyncio.ensure_future(_store_late(channel, sender, late))


async def _store_late(channel: str, sender: str, late: List[Message]) -> None:
    try:
        await in_thread(runtime.channel_store().keep_replies, channel, sender, late, f"late:{uuid.uuid4().hex}")
    except Exception as exc:  # the database is away too: nothing more can be done than say so
        logger.error("late replies not kept: %s", type(exc).__name__)
        return
    await push.deliver(channel, sender)  # a channel that pushes (Zalo) sends them now


def _plain(message: Message) -> Message:
    """A reply as plain JSON (the outbox stores JSON), without its recipient."""
    kept = {key: value for key, value in message.items() if key != "recipient_id"}
    return json.loads(json.dumps(kept, default=str))


async def forward_to_officer(sender: str, text: str) -> str:
    try:
        ticket = await in_thread(runtime.desk_store().add_citizen_message, sender, text)
    except SQLAlchemyError as exc:
        logger.error("handoff queue unavailable: %s", type(exc).__name__)
        ticket = None
    return WAITING_NOTE.format(ticket=ticket) if ticket else WAITING_NOTE_NO_TICKET


async def pending_messages(sender: str, channel: str) -> List[Message]:
    """Officer replies and desk notices not yet shown to this citizen, then the replies of a late
    turn kept for them (ChannelStore.take_replies), all now marked delivered.

    Only those of tickets opened on `channel`: a conversation's replies never
    go out on another channel than its own.
    """
    def take() -> tuple:  # one hop off the loop, one statement when nothing waits (the usual case)
        desk, kept = runtime.pending_check().waiting(sender, channel)
        return (runtime.desk_store().take_undelivered(sender, channel) if desk else [],
                runtime.channel_store().take_replies(channel, sender) if kept else [])

    try:
        rows, kept = await in_thread(take)
    except Exception as exc:  # a database down or missing: the turn's answer still goes out
        logger.error("handoff queue unavailable: %s", type(exc).__name__)
        return []
    return ([{"recipient_id": sender, "text": text, "from": author} for author, text in rows]
            + [{"recipient_id": sender, **message} for message in kept])
