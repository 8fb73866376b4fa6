"""REST channel for citizens and integrations, aware of officer handoff.

Same URL and payload as Rasa's `rest` channel (`POST /webhooks/rest/webhook`
with `{"sender": ..., "message": ...}`), plus:

- input is checked (bot/channels/validation.py): a body that is not a JSON
  object, nests too deep or carries a large `metadata`, a sender that is
  missing or holds control characters, or a message that is not text gets a
  400 (413 over 1 MB) with a Vietnamese explanation; control characters are
  removed from the message and very long messages are cut to MAX_MESSAGE_CHARS;
- when the assistant cannot answer (a store down, the action server down or
  slow), the citizen gets a polite reply with the hotline (failures.py); any
  other error is a short JSON error, never a traceback (errors.py);
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
from bot.channels import action_validation, errors, failures, validation
from bot.channels.citizen_turn import citizen_turn, pending_messages
from bot.channels.sender_access import SenderGate


class CitizenRestInput(InputChannel):
    def __init__(self, gate: Optional[SenderGate] = None) -> None:
        action_validation.install()
        failures.install()
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
        errors.install(webhook, self.name())
        if type(self) is CitizenRestInput:  # once per server (the web page's channel derives from this one)
            errors.install_server_wide(webhook)

        self.add_page_routes(webhook)

        @webhook.route("/conversations", methods=["POST"])
        async def new_conversation(request: Request) -> HTTPResponse:
            return response.json({"sender": self.gate.issue()})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = validation.json_object(request.body or b"")
            sender = validation.identifier(body.get("sender"), "sender")
            text = validation.text(body.get("message"), "message")
            metadata = validation.metadata(body.get("metadata"))
            metadata = self.gate.with_client(request, metadata)
            conversation = self.conversation_id(request, sender)
            if isinstance(conversation, HTTPResponse):
                return conversation
            agent = getattr(request.app.ctx, "agent", None)
            # The channel is always this one: a caller must not pass itself off as Zalo,
            # where officer replies are pushed.
            return response.json(await citizen_turn(agent, on_new_message, conversation, text, self.name(), metadata))

        @webhook.route("/updates", methods=["GET"])
        async def updates(request: Request) -> HTTPResponse:
            sender = validation.identifier(request.args.get("sender"), "sender")
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
