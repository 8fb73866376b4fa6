"""The Zalo OA webhook: POST /webhooks/zalo/webhook.

Each event is checked (signature, app id, age), recorded once by its id so
that Zalo's retries are not answered twice, acknowledged at once with 200,
and then processed in the background: the message goes through the same
citizen turn as the other channels, and the replies go back with the OA
customer-service message API. Officer replies to a Zalo conversation are
pushed as soon as the officer sends them.

Responses to Zalo: 200 accepted / duplicate / ignored; 400 a body that is
not a JSON event (nested too deep, an id with control characters...); 401 a missing or wrong signature, another app's event or a
stale one (a replay); 413 a body over 256 KiB; 503 not configured or the
database unavailable (Zalo will retry). Nothing is processed unless 200
"accepted".
"""
from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import logging
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot import runtime
from bot.channels import action_validation, errors, failures, push, validation
from bot.channels.citizen_turn import Message, citizen_turn
from bot.channels.desk_access import in_thread
from bot.channels.zalo import events, signature
from bot.channels.zalo.client import TokenKeeper, ZaloClient, ZaloError
from bot.channels.zalo.config import ZaloSettings
from bot.channels.zalo.messages import to_zalo
from bot.channels.zalo.store import ChannelStore

logger = logging.getLogger(__name__)

CHANNEL = "zalo"
SIGNATURE_HEADER = "X-ZEvent-Signature"
MAX_BODY_BYTES = 256 * 1024
PURGE_EVERY_SECONDS = 3600.0
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
        action_validation.install()
        failures.install()

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ZaloInput":
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

        @webhook.listener("before_server_stop")
        async def finish(app, loop) -> None:
            # Replies already on their way are finished before the server goes (up to 15 s).
            try:
                await asyncio.wait_for(self.wait_idle(), timeout=15)
            except asyncio.TimeoutError:
                logger.warning("zalo: stopped with replies still in progress")

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
            first = await in_thread(self.store().first_time, CHANNEL, event.event_id)
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
        """Answer one accepted event; the number of Zalo messages sent."""
        user_id = event.user_id or ""
        lock = self._user_locks.setdefault(user_id, asyncio.Lock())
        try:
            async with lock:  # one user's messages are answered in the order they came
                if event.kind == events.MEDIA:
                    replies: List[Message] = [{"text": MEDIA_REPLY}]
                elif event.kind == events.FOLLOW:
                    replies = [WELCOME]
                else:
                    replies = await citizen_turn(
                        agent, on_new_message, user_id, event.text or "", CHANNEL,
                        metadata={"zalo_event": event.name}, with_pending=False,
                    )
                sent = await self.send_all(user_id, replies)
                # Officer messages an earlier push could not deliver.
                return sent + await self.push(user_id)
        except Exception as exc:  # a background task: report, never raise
            logger.error("zalo: event not processed: %s", type(exc).__name__)
            return 0
        finally:
            if not lock.locked():
                self._user_locks.pop(user_id, None)
            await self._purge_now_and_then()

    async def send_all(self, user_id: str, replies: List[Message], retry: bool = True) -> int:
        sent = 0
        for reply in replies:
            for message in to_zalo(reply):
                try:
                    await self.client.send(user_id, message, retry=retry)
                except ZaloError as exc:
                    logger.error("zalo: reply not delivered (error %s)", exc.code)
                    return sent  # keep the order: nothing after a part that failed
                sent += 1
        return sent

    async def push(self, conversation_id: str) -> int:
        """Send the officer's waiting messages now; each is marked delivered once Zalo took it."""
        waiting = await in_thread(runtime.desk_store().undelivered, conversation_id)
        delivered: List[int] = []
        sent = 0
        try:
            for message_id, _author, text in waiting:
                parts = to_zalo({"text": text})
                count = await self.send_all(conversation_id, [{"text": text}], retry=False)
                if count < len(parts):
                    break
                delivered.append(message_id)
                sent += count
        finally:
            await in_thread(runtime.desk_store().mark_delivered, delivered)
        return sent

    async def _purge_now_and_then(self) -> None:
        now = time.monotonic()
        if now - self._last_purge < PURGE_EVERY_SECONDS:
            return
        self._last_purge = now
        keep = dt.timedelta(seconds=2 * self.settings.max_event_age)
        try:
            await in_thread(self.store().purge_events, keep)
        except Exception as exc:  # housekeeping: never the reason a reply fails
            logger.error("zalo: could not purge old events: %s", type(exc).__name__)
