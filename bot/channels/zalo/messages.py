"""Rasa's replies as Zalo customer-service message bodies.

Zalo refuses a text over 2,000 characters and more than 5 buttons, so long
texts are cut into parts at paragraph, line, sentence or word boundaries (the
buttons go with the last part), and buttons become `oa.query.hide` template
buttons whose payload comes back as the user's next text.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Mapping

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 2000
MAX_BUTTONS = 5
MAX_TITLE_CHARS = 100
MAX_PAYLOAD_CHARS = 1000
CHOOSE = "Mời bạn chọn:"
_BREAKS = ("\n\n", "\n", ". ", "; ", ", ", " ")


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> List[str]:
    """Parts of at most `limit` characters, cut where a reader would pause."""
    text = (text or "").strip()
    parts: List[str] = []
    while len(text) > limit:
        cut = -1
        for mark in _BREAKS:
            position = text.rfind(mark, 0, limit)
            if position >= limit // 2:
                cut = position + (len(mark) if mark.strip() else 0)
                break
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def _button(item: Mapping[str, Any]) -> Dict[str, Any]:
    title = " ".join(str(item.get("title") or "").split())[:MAX_TITLE_CHARS]
    payload = str(item.get("payload") or title)
    if len(payload) > MAX_PAYLOAD_CHARS:
        payload = title  # the title, typed back, still reaches the NLU
    return {"title": title, "type": "oa.query.hide", "payload": payload}


def to_zalo(reply: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """The `message` objects, in order, that carry one of Rasa's replies."""
    text = reply.get("text") if isinstance(reply.get("text"), str) else ""
    if isinstance(reply.get("image"), str) and reply["image"].startswith(("http://", "https://")):
        text = f"{text}\n{reply['image']}".strip()
    buttons = [
        _button(item) for item in (reply.get("buttons") or []) if isinstance(item, Mapping) and item.get("title")
    ][:MAX_BUTTONS]
    if reply.get("custom") is not None and not text and not buttons:
        logger.info("zalo: custom payload not supported, skipped")
    parts = split_text(text)
    if buttons and not parts:
        parts = [CHOOSE]
    messages: List[Dict[str, Any]] = [{"text": part} for part in parts]
    if buttons:
        messages[-1]["attachment"] = {"type": "template", "payload": {"buttons": buttons}}
    return messages
