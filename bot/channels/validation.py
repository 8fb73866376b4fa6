"""What the public channels accept from the outside, checked before anything is stored.

A sender id (conversation id), an officer's name or a Zalo user id is an
*identifier*: it is refused (InvalidInput, a 400 with a Vietnamese message)
when it is not a non-empty string of at most MAX_IDENTIFIER_CHARS characters,
or holds a control character, a lone surrogate or a Unicode non-character
(a NUL in a conversation id once made the PostgreSQL tracker store stop the
Rasa server). A *text* (a message, an officer's reply) is cleaned instead:
those characters become spaces.

Bodies are read with a size limit (413 past it) and a nesting limit (400),
and the REST `metadata` is kept only when it is a small flat object.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional

MAX_IDENTIFIER_CHARS = 255
# A REST or web page message: 4,000 characters fit many times over; a longer one (even 50,000 emoji
# sent as \u escapes) is still read, cut and answered with a note, as before.
MAX_BODY_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 10  # levels of objects and arrays; Zalo's events use 4
MAX_METADATA_KEYS = 10
MAX_METADATA_KEY_CHARS = 64
MAX_METADATA_VALUE_CHARS = 200

# C0 and C1 controls except tab, line feed and carriage return; lone surrogates; non-characters.
_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_BAD_TEXT_RE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")
_BAD_IDENTIFIER_RE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")

BODY_NOT_OBJECT = "Nội dung gửi lên phải là JSON dạng {\"sender\": \"...\", \"message\": \"...\"}."
BODY_TOO_LARGE = "Nội dung gửi lên quá lớn (tối đa {kib} KB)."  # kib: the limit in KiB
BODY_TOO_DEEP = "Nội dung JSON lồng nhau quá sâu (tối đa {depth} tầng)."
BAD_IDENTIFIER = (
    "\"{field}\" phải là chuỗi không rỗng, tối đa 255 ký tự, không chứa ký tự điều khiển hay ký tự không hợp lệ."
)
BAD_TEXT = "\"{field}\" phải là chuỗi văn bản."
BAD_METADATA = (
    "\"metadata\" phải là một đối tượng JSON nhỏ: tối đa 10 khóa (mỗi khóa tối đa 64 ký tự), "
    "giá trị là chuỗi tối đa 200 ký tự, số, true/false hoặc null."
)


class InvalidInput(ValueError):
    """A request the channel refuses; `status` is the HTTP status, the message is for the caller (Vietnamese)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def clean_text(text: str) -> str:
    """Control characters, lone surrogates and non-characters become spaces; the rest is kept."""
    return _BAD_TEXT_RE.sub(" ", text)


def is_identifier(value: Any) -> bool:
    """True for a usable id: a non-blank string of at most MAX_IDENTIFIER_CHARS, with no character refused above."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_IDENTIFIER_CHARS
        and bool(value.strip())
        and not _BAD_IDENTIFIER_RE.search(value)
    )


def identifier(value: Any, field: str) -> str:
    """`value` if it is a usable id (see is_identifier); InvalidInput (400) naming `field` otherwise."""
    if not is_identifier(value):
        raise InvalidInput(BAD_IDENTIFIER.format(field=field))
    return value


def text(value: Any, field: str, default: Optional[str] = "") -> str:
    """A cleaned text; a missing value gives `default` (None: refused); anything but a string: InvalidInput."""
    if value is None and default is not None:
        return default
    if not isinstance(value, str):
        raise InvalidInput(BAD_TEXT.format(field=field))
    return clean_text(value)


def metadata(value: Any) -> Optional[Dict[str, Any]]:
    """A small flat object kept as it is, None when absent; InvalidInput otherwise (BAD_METADATA).

    Rasa stores metadata with every message in the tracker: an unbounded one
    made trackers of tens of megabytes.
    """
    if value is None:
        return None
    if not isinstance(value, dict) or len(value) > MAX_METADATA_KEYS:
        raise InvalidInput(BAD_METADATA)
    for key, item in value.items():
        if not is_identifier(key) or len(key) > MAX_METADATA_KEY_CHARS:
            raise InvalidInput(BAD_METADATA)
        if isinstance(item, str):
            if len(item) > MAX_METADATA_VALUE_CHARS or _BAD_TEXT_RE.search(item):
                raise InvalidInput(BAD_METADATA)
        elif item is not None and not isinstance(item, (bool, int, float)):
            raise InvalidInput(BAD_METADATA)
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) >= 2**63:
            raise InvalidInput(BAD_METADATA)
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(raw: bytes, max_bytes: int = MAX_BODY_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The JSON value of a request body.

    InvalidInput: 413 over `max_bytes`; 400 for a body that is not UTF-8 JSON
    (NaN and Infinity included), or nests objects and arrays deeper than `max_depth`.
    """
    if len(raw) > max_bytes:
        raise InvalidInput(BODY_TOO_LARGE.format(kib=max_bytes // 1024), 413)
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except RecursionError:
        raise InvalidInput(BODY_TOO_DEEP.format(depth=max_depth)) from None
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(BODY_NOT_OBJECT) from None
    if depth(value, max_depth) > max_depth:
        raise InvalidInput(BODY_TOO_DEEP.format(depth=max_depth))
    return value


def json_object(raw: bytes, max_bytes: int = MAX_BODY_BYTES) -> Dict[str, Any]:
    """parse_json(raw), which must be an object (InvalidInput BODY_NOT_OBJECT otherwise)."""
    value = parse_json(raw, max_bytes)
    if not isinstance(value, dict):
        raise InvalidInput(BODY_NOT_OBJECT)
    return value


def depth(value: Any, stop_after: int = MAX_JSON_DEPTH) -> int:
    """Levels of nested objects and arrays in `value` (a scalar is 0), counted without recursion.

    Counting stops once it passes `stop_after`.
    """
    deepest = 0
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > stop_after:
            return deepest
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def is_ticket_id(value: int) -> bool:
    """True for an id a ticket can have: a positive integer that fits PostgreSQL's bigint."""
    return 0 < value < 2**63
