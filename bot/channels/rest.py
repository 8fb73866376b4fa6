"""REST channel for citizens and integrations, aware of officer handoff.

Same URL and payload as Rasa's `rest` channel (`POST /webhooks/rest/webhook`
with `{"sender": ..., "message": ...}`), plus:

- input is checked: a body that is not a JSON object, a missing sender or a
  message that is not text gets a 400 with a Vietnamese explanation; control
  characters are removed and very long messages are cut to MAX_MESSAGE_CHARS;
- while an officer has the conversation (the bot is paused), the citizen's
  messages go to the officer's ticket and the citizen is told so, instead of
  silence;
- officer replies waiting for the citizen come first in the next response,
  or from `GET /webhooks/rest/updates?sender=...` for pages that poll.
"""
from __future__ import annotations

import inspect
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.channels import action_validation
from bot.channels.desk_access import desk_store, in_thread, is_paused
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
MAX_SENDER_CHARS = 255
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
TOO_LONG_NOTE = "Tin nhắn của bạn rất dài; tôi chỉ đọc 4.000 ký tự đầu. Bạn hãy hỏi ngắn gọn từng ý nhé."
WAITING_NOTE = (
    "Tin nhắn của bạn đã được chuyển cho cán bộ (yêu cầu hỗ trợ số {ticket}). "
    "Cán bộ sẽ trả lời tại đây, bạn vui lòng chờ trong giây lát."
)
WAITING_NOTE_NO_TICKET = "Cuộc trò chuyện đang được chuyển cho cán bộ; bạn vui lòng chờ trong giây lát."


def _error(message: str, status: int = 400) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def clean_message(text: str) -> str:
    return _CONTROL_RE.sub(" ", text)


class CitizenRestInput(InputChannel):
    def __init__(self) -> None:
        action_validation.install()

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "CitizenRestInput":
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # sanic raises its own BadRequest on invalid JSON
                body = None
            if not isinstance(body, dict):
                return _error("Nội dung gửi lên phải là JSON dạng {\"sender\": \"...\", \"message\": \"...\"}.")
            sender = body.get("sender")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
                return _error("Thiếu \"sender\" (mã cuộc trò chuyện, chuỗi tối đa 255 ký tự).")
            text = body.get("message")
            if text is None:
                text = ""
            if not isinstance(text, str):
                return _error("\"message\" phải là chuỗi văn bản.")
            notes: List[Dict[str, Any]] = []
            text = clean_message(text)
            if len(text) > MAX_MESSAGE_CHARS:
                text = text[:MAX_MESSAGE_CHARS]
                notes.append({"recipient_id": sender, "text": TOO_LONG_NOTE})
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
            channel = body.get("input_channel") if isinstance(body.get("input_channel"), str) else self.name()
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(text, collector, sender, input_channel=channel, metadata=metadata))
            replies = list(collector.messages)
            agent = getattr(request.app.ctx, "agent", None)
            if not replies and agent is not None and await is_paused(agent, sender):
                replies.append({"recipient_id": sender, "text": await self._forward_to_officer(sender, text)})
            pending = await self._pending(sender)
            return response.json(pending + notes + replies)

        @webhook.route("/updates", methods=["GET"])
        async def updates(request: Request) -> HTTPResponse:
            sender = request.args.get("sender")
            if not sender or len(sender) > MAX_SENDER_CHARS:
                return _error("Thiếu tham số sender.")
            return response.json(await self._pending(sender))

        return webhook

    @staticmethod
    async def _forward_to_officer(sender: str, text: str) -> str:
        try:
            ticket = await in_thread(desk_store().add_citizen_message, sender, text)
        except SQLAlchemyError as exc:
            logger.error("handoff queue unavailable: %s", type(exc).__name__)
            ticket = None
        return WAITING_NOTE.format(ticket=ticket) if ticket else WAITING_NOTE_NO_TICKET

    @staticmethod
    async def _pending(sender: str) -> List[Dict[str, Any]]:
        """Officer replies and desk notices not yet shown to this citizen."""
        try:
            rows = await in_thread(desk_store().take_undelivered, sender)
        except SQLAlchemyError as exc:
            logger.error("handoff queue unavailable: %s", type(exc).__name__)
            return []
        return [{"recipient_id": sender, "text": text, "from": author} for author, text in rows]
