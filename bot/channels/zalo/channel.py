"""The Zalo OA webhook: POST /webhooks/zalo/webhook.

Each event is checked (signature, app id, age), recorded once by its id in
the database (the inbox: so that Zalo's retries are not answered twice and
an event survives a crash), acknowledged at once with 200, and then
processed in the background: the message goes through the same citizen turn
as the other channels; its replies are written to the outbox in the same
transaction that marks the event processed, and the outbox's sender sends
them with the OA customer-service message API (retried, in order, once).
Officer replies to a Zalo conversation go through the same outbox and are
sent as soon as the officer sends them. Events recorded but not processed
(the process died) are taken up again by any running server once their
lease is over, also at start-up.

A Zalo user's conversation id is "zalo:<user id>" (conversation_ids.py): no
other channel can reach it, and only this channel takes its officer replies.

Responses to Zalo: 200 accepted / duplicate / ignored; 400 a body that is
not a JSON event (nested too deep, an id with control characters...); 401 a missing or wrong signature, another app's event or a
stale one (a replay); 413 a body over 256 KiB; 503 not configured or the
database unavailable (Zalo will retry). Nothing is processed unless 200
"accepted".
"""
from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import inspect
import json
import logging
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

import safe_logging
from bot import runtime
from bot.channels import action_validation, errors, failures, push, validation
from bot.channels.citizen_turn import Message, citizen_turn
from bot.channels.conversation_ids import ZALO, channel_user, tracker_id
from bot.channels.desk_access import in_thread
from bot.channels.outbox import OutboxSender
from bot.channels.zalo import delivery, events, signature
from bot.channels.zalo.client import TokenKeeper, ZaloClient
from bot.channels.zalo.config import ZaloSettings
from bot.channels.zalo.messages import to_zalo
from bot.channels.zalo.store import ChannelStore
from officer_desk.store import DeskStore

logger = logging.getLogger(__name__)

CHANNEL = ZALO
SIGNATURE_HEADER = "X-ZEvent-Signature"
MAX_BODY_BYTES = 256 * 1024
PURGE_EVERY_SECONDS = 3600.0
INBOX_LEASE_SECONDS = 60.0  # an event's handler has this long before another process may take it up
INBOX_EVERY_SECONDS = 10.0  # how often events left by a dead process are looked for
KEEP_SENT_DAYS = 7
REPLY_KEYS = ("text", "image", "buttons", "custom")  # what to_zalo reads from a Rasa reply
NOT_AN_EVENT = "Nội dung không phải sự kiện Zalo hợp lệ (JSON có app_id, timestamp và mã người gửi hợp lệ)."

MEDIA_REPLY = (
    "Hiện tôi chỉ đọc được tin nhắn chữ, chưa xem được hình ảnh, nhãn dán hay tệp đính kèm. "
    "Bạn vui lòng gõ câu hỏi, ví dụ: “làm căn cước cần giấy tờ gì” hoặc “tra cứu hồ sơ”."
)
WELCOME = {
    "text": (
        "Cảm ơn bạn đã quan tâm! Tôi là trợ lý ảo về thủ tục hành chính: bạn có thể hỏi giấy tờ cần chuẩn bị, "
        "lệ phí, thời hạn, nơi nộp của một thủ tục, hoặc tra cứu tình trạng hồ sơ bằng mã hồ sơ."
    ),
    "buttons": [
        {"title": "Làm căn cước cần giấy tờ gì?", "payload": "làm căn cước cần giấy tờ gì"},
        {"title": "Tra cứu hồ sơ", "payload": "tra cứu hồ sơ"},
        {"title": "Gặp cán bộ", "payload": "cho tôi gặp cán bộ"},
    ],
}


def _reply(http_status: int, **body: Any) -> HTTPResponse:
    return response.json(body, status=http_status)


class ZaloInput(InputChannel):
    """The webhook over `settings`; `store` and `client` default to the Rasa server's (bot/runtime.py)."""

    def __init__(self, settings: ZaloSettings, store: Optional[ChannelStore] = None,
                 client: Optional[ZaloClient] = None):
        self.settings = settings
        self._store = store
        self.client = client or ZaloClient(settings, TokenKeeper(settings, self.store))
        self.tokens = self.client.tokens
        self._user_locks: Dict[str, asyncio.Lock] = {}
        self._tasks: Set[asyncio.Task] = set()
        self._last_purge = 0.0
        self.sender = OutboxSender(
            lambda: self.store().outbox, CHANNEL, lambda row, progress: delivery.deliver(self.client, row, progress),
            on_sent=DeskStore.delivered_in, on_failed=DeskStore.undeliverable_in,
        )
        self._inbox_task: Optional[asyncio.Task] = None
        action_validation.install()
        failures.install()

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ZaloInput":
        safe_logging.install()
        zalo = runtime.zalo_settings(credentials)
        return cls(zalo, client=runtime.zalo_client(zalo))

    def store(self) -> ChannelStore:
        return self._store if self._store is not None else runtime.channel_store()

    # --- the webhook ------------------------------------------------------------
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"zalo_webhook_{type(self).__name__}", module.__name__ if module else None)
        errors.install(webhook, CHANNEL)
        if self.settings.can_receive:
            push.register(CHANNEL, self.push)

        @webhook.listener("after_server_start")
        async def start(app, loop) -> None:
            if self.settings.can_receive:
                self.sender.start()
                self._inbox_task = asyncio.ensure_future(
                    self._inbox_loop(on_new_message, lambda: getattr(app.ctx, "agent", None)))

        @webhook.listener("before_server_stop")
        async def finish(app, loop) -> None:
            # Replies already on their way are finished before the server goes (up to 15 s).
            if self._inbox_task is not None:
                self._inbox_task.cancel()
            try:
                await asyncio.wait_for(self.wait_idle(), timeout=15)
            except asyncio.TimeoutError:
                logger.warning("zalo: stopped with replies still in progress")
            await self.sender.stop()

        @webhook.listener("after_server_stop")
        async def close(app, loop) -> None:
            push.unregister(CHANNEL)
            await self.client.close()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.settings.can_receive})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            event_or_error = await self._accept(request)
            if isinstance(event_or_error, HTTPResponse):
                return event_or_error
            agent = getattr(request.app.ctx, "agent", None)
            self._spawn(self.handle(event_or_error, on_new_message, agent))
            return _reply(200, status="accepted")

        return webhook

    async def _accept(self, request: Request):
        """The event to process, or the response that refuses it."""
        if not self.settings.can_receive:
            return _reply(503, error="Kênh Zalo chưa được cấu hình (ZALO_APP_ID, ZALO_OA_SECRET_KEY).")
        raw = request.body or b""
        if len(raw) > MAX_BODY_BYTES:
            return _reply(413, error="Sự kiện quá lớn.")
        header = request.headers.get(SIGNATURE_HEADER)
        if not header:
            return _reply(401, error="Thiếu chữ ký X-ZEvent-Signature.")
        try:
            body = validation.parse_json(raw, MAX_BODY_BYTES)
            app_id, timestamp = events.envelope(body)
        except (validation.InvalidInput, events.EventError):
            return _reply(400, error=NOT_AN_EVENT)
        if app_id != self.settings.app_id or not signature.verify(
            header, app_id, raw, timestamp, self.settings.oa_secret_key
        ):
            logger.warning("zalo: event with a wrong signature refused")
            return _reply(401, error="Chữ ký không hợp lệ.")
        try:
            event = events.parse(body)
        except events.EventError:
            return _reply(400, error=NOT_AN_EVENT)
        sent_at = event.timestamp_seconds
        if sent_at is None or abs(time.time() - sent_at) > self.settings.max_event_age:
            logger.warning("zalo: stale or undated event refused")
            return _reply(401, error="Sự kiện đã quá hạn (có thể bị gửi lại).")
        if event.kind == events.IGNORED:
            return _reply(200, status="ignored")
        try:
            first = await in_thread(self.store().record_event, CHANNEL, event.event_id,
                                    dataclasses.asdict(event), INBOX_LEASE_SECONDS)
        except SQLAlchemyError as exc:
            logger.error("zalo: event store unavailable: %s", type(exc).__name__)
            return _reply(503, error="Tạm thời không xử lý được, vui lòng gửi lại sau.")
        if not first:
            return _reply(200, status="duplicate")
        return event

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)  # keep a reference until it is done
        task.add_done_callback(self._tasks.discard)

    async def wait_idle(self) -> None:
        """Until the background work already started is done."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # --- processing ----------------------------------------------------------------
    async def handle(self, event: events.InboundEvent, on_new_message, agent) -> int:
        """Answer one accepted event; the number of outbox rows sent at once.

        The replies are written to the outbox with the event marked processed
        (one transaction), then sent. If the process dies before that, the
        event is processed again later (`_inbox_loop`); its replies are keyed
        by event id, so they are sent once.
        """
        user_id = event.user_id or ""
        conversation_id = tracker_id(CHANNEL, user_id)  # "zalo:<user id>": the tracker's id and the outbox recipient
        lock = self._user_locks.setdefault(user_id, asyncio.Lock())
        try:
            async with lock:  # one user's messages are answered in the order they came
                if event.kind == events.MEDIA:
                    replies: List[Message] = [{"text": MEDIA_REPLY}]
                elif event.kind == events.FOLLOW:
                    replies = [WELCOME]
                else:
                    replies = await citizen_turn(
                        agent, on_new_message, conversation_id, event.text or "", CHANNEL,
                        metadata={"zalo_event": event.name}, with_pending=False,
                    )
                rows = [(conversation_id, _payload(reply), f"{CHANNEL}:{event.event_id}:{number}")
                        for number, reply in enumerate(replies) if to_zalo(reply)]
                await in_thread(self.store().finish, CHANNEL, event.event_id, rows)
                return await self.sender.flush(conversation_id)
        except SQLAlchemyError as exc:  # left in the inbox: taken up again once its lease is over
            logger.error("zalo: event not processed, database unavailable: %s", type(exc).__name__)
            return 0
        except Exception as exc:  # a background task: report, never raise, never loop on it
            logger.error("zalo: event not processed: %s", type(exc).__name__)
            try:
                await in_thread(self.store().finish, CHANNEL, event.event_id, [])
            except Exception:
                pass
            return 0
        finally:
            if not lock.locked():
                self._user_locks.pop(user_id, None)
            await self._purge_now_and_then()

    async def push(self, conversation_id: str) -> int:
        """Send what waits in the outbox for this conversation now (officer replies); the number of rows sent.

        `conversation_id` is "zalo:<user id>"; any other id is not this
        channel's and nothing is sent (0).
        """
        if channel_user(CHANNEL, conversation_id) is None:
            logger.warning("zalo: push for a conversation of another channel refused")
            return 0
        return await self.sender.flush(conversation_id)

    async def take_up_unprocessed(self, on_new_message, agent) -> int:
        """Process the events recorded but left unprocessed (their lease over); how many were taken."""
        taken = await in_thread(self.store().claim_unprocessed, CHANNEL, INBOX_LEASE_SECONDS)
        for _event_id, fields in taken:
            try:
                event = events.InboundEvent(**fields)
            except TypeError:
                logger.error("zalo: a recorded event could not be read")
                continue
            self._spawn(self.handle(event, on_new_message, agent))
        return len(taken)

    async def _inbox_loop(self, on_new_message, agent: Callable[[], Any]) -> None:
        """At start-up and then every INBOX_EVERY_SECONDS: events a dead process left behind."""
        while True:
            try:
                await self.take_up_unprocessed(on_new_message, agent())
            except Exception as exc:  # the database is away: next time
                logger.error("zalo: inbox not read: %s", type(exc).__name__)
            await asyncio.sleep(INBOX_EVERY_SECONDS)

    async def _purge_now_and_then(self) -> None:
        now = time.monotonic()
        if now - self._last_purge < PURGE_EVERY_SECONDS:
            return
        self._last_purge = now
        keep = dt.timedelta(seconds=2 * self.settings.max_event_age)
        try:
            await in_thread(self.store().purge_events, keep)
            await in_thread(self.store().outbox.purge, dt.timedelta(days=KEEP_SENT_DAYS))
        except Exception as exc:  # housekeeping: never the reason a reply fails
            logger.error("zalo: could not purge old events: %s", type(exc).__name__)


def _payload(reply: Message) -> Dict[str, Any]:
    """The parts of a Rasa reply the Zalo message is made from, as plain JSON."""
    return json.loads(json.dumps({key: reply[key] for key in REPLY_KEYS if key in reply}, default=str))
