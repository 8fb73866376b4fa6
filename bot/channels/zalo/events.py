"""What an inbound Zalo event is, read defensively from its JSON body.

Ids, names and the timestamp must be short strings (or numbers) without
control characters, lone surrogates or non-characters: one that is not is an
EventError (the webhook answers 400), never a conversation id.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional

from bot.channels.validation import is_identifier

TEXT = "text"  # a message to answer (a typed text or a tapped button's payload)
MEDIA = "media"  # an image, sticker, file...: answered with a polite note
FOLLOW = "follow"  # the user followed the OA: greeted
IGNORED = "ignored"  # delivery receipts, seen marks, OA's own messages...

MEDIA_EVENTS = frozenset(
    {
        "user_send_image",
        "user_send_sticker",
        "user_send_gif",
        "user_send_file",
        "user_send_audio",
        "user_send_video",
        "user_send_location",
        "user_send_link",
        "user_send_business_card",
    }
)
MAX_ID_CHARS = 128


class EventError(ValueError):
    """The body is not a Zalo event we can read."""


@dataclass(frozen=True)
class InboundEvent:
    name: str
    kind: str
    app_id: str
    timestamp: str  # as sent, milliseconds since the epoch
    user_id: Optional[str] = None
    text: Optional[str] = None
    msg_id: Optional[str] = None

    @property
    def event_id(self) -> str:
        """What identifies a retried delivery of the same event."""
        if self.msg_id:
            return self.msg_id
        return f"{self.name}:{self.user_id}:{self.timestamp}"[:MAX_ID_CHARS]

    @property
    def timestamp_seconds(self) -> Optional[float]:
        try:
            return int(self.timestamp) / 1000.0
        except (TypeError, ValueError):
            return None


def _text(value: Any) -> Optional[str]:
    """A string or number as a stripped string, None when absent or empty; EventError when unusable."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = str(value).strip()
        if not value:
            return None
        if len(value) > MAX_ID_CHARS or not is_identifier(value):
            raise EventError("an id, name or timestamp is not a short plain string")
        return value
    return None


def envelope(body: Any) -> tuple:
    """The (app_id, timestamp) the signature covers; EventError when absent."""
    if not isinstance(body, Mapping):
        raise EventError("body is not a JSON object")
    app_id, timestamp = _text(body.get("app_id")), _text(body.get("timestamp"))
    if not app_id or not timestamp:
        raise EventError("app_id or timestamp missing")
    return app_id, timestamp


def parse(body: Any) -> InboundEvent:
    app_id, timestamp = envelope(body)
    name = _text(body.get("event_name")) or ""
    message = body.get("message") if isinstance(body.get("message"), Mapping) else {}
    sender = body.get("sender") if isinstance(body.get("sender"), Mapping) else {}
    msg_id = _text(message.get("msg_id"))
    if name == "user_send_text":
        text = message.get("text")
        user_id = _text(sender.get("id"))
        if user_id is None:
            return InboundEvent(name, IGNORED, app_id, timestamp)
        return InboundEvent(name, TEXT, app_id, timestamp, user_id, text if isinstance(text, str) else "", msg_id)
    if name in MEDIA_EVENTS:
        user_id = _text(sender.get("id"))
        kind = MEDIA if user_id else IGNORED
        return InboundEvent(name, kind, app_id, timestamp, user_id, None, msg_id)
    if name == "follow":
        follower = body.get("follower") if isinstance(body.get("follower"), Mapping) else {}
        user_id = _text(follower.get("id")) or _text(sender.get("id"))
        return InboundEvent(name, FOLLOW if user_id else IGNORED, app_id, timestamp, user_id)
    return InboundEvent(name or "unknown", IGNORED, app_id, timestamp, None, None, msg_id)
