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
  or from `GET /webhooks/rest/updates?sender=...` for pages that poll;
- senders are issued by the server (`POST /webhooks/rest/conversations` ->
  `{"sender": "..."}`, signed); /webhook and /updates refuse any other with a
  4xx, except for trusted integrations with `Authorization: Bearer
  <REST_API_TOKEN>` (see sender_access.py).
"""
from __future__ import annotations

import inspect
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Union

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

import safe_logging
from bot import runtime
from bot.channels import action_validation
from bot.channels.citizen_turn import MAX_SENDER_CHARS, citizen_turn, pending_messages
from bot.channels.sender_access import SenderGate


def _error(message: str, status: int = 400) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class CitizenRestInput(InputChannel):
    def __init__(self, gate: Optional[SenderGate] = None) -> None:
        action_validation.install()
        self._gate = gate  # None: the Rasa server's, from bot/runtime.py

    @property
    def gate(self) -> SenderGate:
        if self._gate is None:
            self._gate = runtime.sender_gate(self.name())
        return self._gate

    def conversation_id(self, request: Request, sender: str) -> Union[str, HTTPResponse]:
        """The conversation `sender` may use on this channel, or the 4xx that refuses it."""
        return self.gate.resolve(request, sender)

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "CitizenRestInput":
        safe_logging.install()  # Rasa creates the channels at start: from then on, no personal data in its logs
        return cls(runtime.sender_gate(cls.name()))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

        self.add_page_routes(webhook)

        @webhook.route("/conversations", methods=["POST"])
        async def new_conversation(request: Request) -> HTTPResponse:
            return response.json({"sender": self.gate.issue()})

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
                return _error("\"sender\" (mã cuộc trò chuyện) phải là chuỗi không rỗng, tối đa 255 ký tự.")
            text = body.get("message")
            if text is None:
                text = ""
            if not isinstance(text, str):
                return _error("\"message\" phải là chuỗi văn bản.")
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
            conversation = self.conversation_id(request, sender)
            if isinstance(conversation, HTTPResponse):
                return conversation
            agent = getattr(request.app.ctx, "agent", None)
            # The channel is always this one: a caller must not pass itself off as Zalo,
            # where officer replies are pushed.
            return response.json(await citizen_turn(agent, on_new_message, conversation, text, self.name(), metadata))

        @webhook.route("/updates", methods=["GET"])
        async def updates(request: Request) -> HTTPResponse:
            sender = request.args.get("sender")
            if not sender or len(sender) > MAX_SENDER_CHARS:
                return _error("Tham số sender phải có, tối đa 255 ký tự.")
            conversation = self.conversation_id(request, sender)
            if isinstance(conversation, HTTPResponse):
                return conversation
            return response.json(await pending_messages(conversation, self.name()))

        return webhook

    def add_page_routes(self, webhook: Blueprint) -> None:
        """What GET on the channel's root shows; the REST channel answers a health check."""

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})
