"""The officers' desk API, served by the Rasa server under /webhooks/officer/.

Every call needs `Authorization: Bearer <OFFICER_API_TOKEN>`; without a
configured token the API is off (503). Calls:

    GET  /webhooks/officer/tickets[?status=all]     the queue, with transcripts
    GET  /webhooks/officer/tickets/<id>
    POST /webhooks/officer/tickets/<id>/claim       {"officer": "..."}
    POST /webhooks/officer/tickets/<id>/reply       {"officer": "...", "text": "..."}
                                                    (Zalo: through the outbox, sent at once and retried;
                                                    REST and web get it next turn/poll)
    POST /webhooks/officer/tickets/<id>/release     {"officer": "..."}  hands back to the bot
    GET  /webhooks/officer/feedback[?helpful=false&limit=50]
    GET  /webhooks/officer/outbox[?status=failed&limit=50]   messages to Zalo and how they fared

A message Zalo refused for good shows `"delivery_error": "<Zalo's code>"` on
its ticket line and `"status": "failed"` in the outbox list.

A ticket id that no ticket can have (0, or past 2^63 - 1) is 404; an officer
name with control characters is 400, a reply's control characters are
removed; a token that is not ASCII is 401; a database down is 503. Errors
are JSON `{"error": ...}`, never a traceback (bot/channels/errors.py).
"""
from __future__ import annotations

import hmac
import inspect
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationResumed, SlotSet
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

import safe_logging
from bot import runtime
from bot.channels import action_validation, errors, failures, push, validation
from bot.channels.desk_access import append_events, in_thread
from officer_desk.models import Feedback, HandoffTicket
from officer_desk.store import DeskError
from storage.outbox import OutboxMessage

logger = logging.getLogger(__name__)

HANDED_BACK = "Cán bộ đã kết thúc hỗ trợ. Bạn có thể tiếp tục hỏi trợ lý ảo về thủ tục hành chính."
MAX_OFFICER_NAME = 255


def _time(value) -> Optional[str]:
    return value.isoformat() + "Z" if value else None


def ticket_json(ticket: HandoffTicket, with_messages: bool = True) -> Dict[str, Any]:
    data = {
        "id": ticket.id,
        "conversation_id": ticket.conversation_id,
        "channel": ticket.channel,
        "reason": ticket.reason,
        "status": ticket.status,
        "procedure_code": ticket.procedure_code,
        "officer": ticket.officer,
        "created_at": _time(ticket.created_at),
        "claimed_at": _time(ticket.claimed_at),
        "closed_at": _time(ticket.closed_at),
    }
    if with_messages:
        data["messages"] = [
            {"author": m.author, "officer": m.officer, "text": m.text, "created_at": _time(m.created_at),
             "delivered": m.delivered_at is not None, "delivery_error": m.delivery_error}
            for m in ticket.messages
        ]
    return data


def feedback_json(row: Feedback) -> Dict[str, Any]:
    return {
        "id": row.id,
        "conversation_id": row.conversation_id,
        "channel": row.channel,
        "helpful": row.helpful,
        "question": row.question,
        "intent": row.intent,
        "procedure_code": row.procedure_code,
        "created_at": _time(row.created_at),
    }


def outbox_json(row: OutboxMessage) -> Dict[str, Any]:
    return {
        "id": row.id,
        "channel": row.channel,
        "conversation_id": row.recipient,
        "status": row.status,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "text": (row.payload or {}).get("text"),
        "created_at": _time(row.created_at),
        "sent_at": _time(row.sent_at),
        "next_attempt_at": _time(row.next_attempt_at),
    }


def _error(message: str, status: int) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class OfficerDeskInput(InputChannel):
    def __init__(self, token: str = ""):
        self.token = token  # empty: the API is off (503)
        action_validation.install()
        failures.install()

    @classmethod
    def name(cls) -> Text:
        return "officer"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "OfficerDeskInput":
        safe_logging.install()
        runtime.start()  # Rasa builds the channels first: a missing database stops the server here
        token = (credentials or {}).get("token") or runtime.desk_settings().api_token
        return cls(token)

    def _authorised(self, request: Request) -> Optional[HTTPResponse]:
        if not self.token:
            return _error("API cán bộ chưa bật: hãy đặt biến môi trường OFFICER_API_TOKEN.", 503)
        header = request.headers.get("Authorization", "")
        given = header[7:] if header.startswith("Bearer ") else ""
        if not given.isascii() or not hmac.compare_digest(given.encode(), self.token.encode()):
            return _error("Sai hoặc thiếu mã truy cập (Authorization: Bearer ...).", 401)
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        desk = Blueprint(f"officer_desk_{type(self).__name__}", module.__name__ if module else None)
        errors.install(desk, self.name())

        @desk.middleware("request")
        async def authorise(request: Request):
            refused = self._authorised(request)
            if refused is None and not validation.is_ticket_id(request.match_info.get("ticket_id", 1)):
                return _error("Không có yêu cầu hỗ trợ này.", 404)
            return refused

        @desk.route("/tickets", methods=["GET"])
        async def queue(request: Request) -> HTTPResponse:
            include_closed = request.args.get("status") == "all"
            return await self._call(
                lambda: {"tickets": [ticket_json(t) for t in runtime.desk_store().queue(include_closed)]}
            )

        @desk.route("/tickets/<ticket_id:int>", methods=["GET"])
        async def show(request: Request, ticket_id: int) -> HTTPResponse:
            return await self._call(lambda: ticket_json(runtime.desk_store().ticket(ticket_id)))

        @desk.route("/tickets/<ticket_id:int>/claim", methods=["POST"])
        async def claim(request: Request, ticket_id: int) -> HTTPResponse:
            officer = _officer(request)
            if officer is None:
                return _error("Thiếu tên cán bộ (\"officer\").", 400)
            return await self._call(lambda: ticket_json(runtime.desk_store().claim(ticket_id, officer), False))

        @desk.route("/tickets/<ticket_id:int>/reply", methods=["POST"])
        async def reply(request: Request, ticket_id: int) -> HTTPResponse:
            officer = _officer(request)
            text = (_body(request).get("text") or "")
            if officer is None or not isinstance(text, str) or not validation.clean_text(text).strip():
                return _error("Cần \"officer\" và \"text\" (nội dung trả lời).", 400)
            text = validation.clean_text(text)
            result = await self._call(lambda: runtime.desk_store().add_officer_message(ticket_id, officer, text))
            if isinstance(result, HTTPResponse):
                return result
            await append_events(
                request.app.ctx.agent, result.conversation_id,
                [BotUttered(text.strip(), metadata={"officer": officer})],
            )
            await push.deliver(result.channel, result.conversation_id)
            return response.json(ticket_json(await in_thread(runtime.desk_store().ticket, ticket_id)))

        @desk.route("/tickets/<ticket_id:int>/release", methods=["POST"])
        async def release(request: Request, ticket_id: int) -> HTTPResponse:
            result = await self._call(lambda: runtime.desk_store().close(ticket_id))
            if isinstance(result, HTTPResponse):
                return result
            await in_thread(runtime.desk_store().add_bot_notice, ticket_id, HANDED_BACK)
            await append_events(
                request.app.ctx.agent, result.conversation_id,
                # The bot was paused right after action_handoff; listening again lets the
                # rules see the citizen's next message as a fresh turn.
                [ConversationResumed(), ActionExecuted(ACTION_LISTEN_NAME), SlotSet("failures", 0),
                 SlotSet("pending_offer", None), BotUttered(HANDED_BACK)],
            )
            await push.deliver(result.channel, result.conversation_id)
            return response.json(ticket_json(result, False))

        @desk.route("/feedback", methods=["GET"])
        async def feedback(request: Request) -> HTTPResponse:
            helpful = {"true": True, "false": False}.get((request.args.get("helpful") or "").lower())
            try:
                limit = max(1, min(1000, int(request.args.get("limit", "200"))))
            except ValueError:
                return _error("limit phải là số.", 400)
            return await self._call(
                lambda: {"feedback": [feedback_json(r) for r in runtime.desk_store().feedback(helpful, limit)]}
            )

        @desk.route("/outbox", methods=["GET"])
        async def outbox(request: Request) -> HTTPResponse:
            status = request.args.get("status") or None
            if status not in (None, "pending", "sending", "sent", "failed"):
                return _error("status phải là pending, sending, sent hoặc failed.", 400)
            try:
                limit = max(1, min(1000, int(request.args.get("limit", "200"))))
            except ValueError:
                return _error("limit phải là số.", 400)
            rows = await in_thread(runtime.channel_store().outbox.rows, status, limit)
            return response.json({"outbox": [outbox_json(r) for r in rows]})

        return desk

    @staticmethod
    async def _call(function: Callable[[], Any]) -> Any:
        try:
            result = await in_thread(function)
        except DeskError as exc:
            return _error(str(exc), 404 if "Không có" in str(exc) else 409)
        except SQLAlchemyError as exc:
            logger.error("desk database unavailable: %s", type(exc).__name__)
            return _error("Cơ sở dữ liệu đang bận, vui lòng thử lại.", 503)
        return response.json(result) if isinstance(result, dict) else result


def _body(request: Request) -> Dict[str, Any]:
    """The JSON object sent, {} for none; InvalidInput (400, 413) for one too large or too deep."""
    try:
        body = validation.parse_json(request.body or b"")
    except validation.InvalidInput as exc:
        if exc.message == validation.BODY_NOT_OBJECT:
            return {}
        raise
    return body if isinstance(body, dict) else {}


def _officer(request: Request) -> Optional[str]:
    officer = _body(request).get("officer")
    if not isinstance(officer, str) or not officer.strip():
        return None
    officer = officer.strip()[:MAX_OFFICER_NAME]
    return validation.identifier(officer, "officer")
