"""Buttons: plain Vietnamese labels, payloads that carry intents and codes.

A payload is Rasa's `/intent{"entity": "value"}` form, so a tap skips the
NLU and reaches the right action with the procedure code already known.
"""
from __future__ import annotations

import json
from typing import Dict, List, Optional

from procedures_kb.digest import cut

MAX_BUTTONS = 5
MAX_LABEL_CHARS = 60

HELPFUL = "helpful"
NOT_HELPFUL = "not_helpful"

# What to offer after an answer to each question, as (intent, label).
FOLLOW_UPS = {
    "ask_documents": [("ask_fee", "Lệ phí"), ("ask_processing_time", "Thời hạn"), ("ask_where", "Nộp ở đâu")],
    "ask_procedure": [("ask_documents", "Giấy tờ cần nộp"), ("ask_steps", "Các bước"), ("ask_online", "Nộp trực tuyến")],
    "ask_fee": [("ask_documents", "Giấy tờ cần nộp"), ("ask_processing_time", "Thời hạn"), ("ask_where", "Nộp ở đâu")],
    "ask_processing_time": [("ask_documents", "Giấy tờ cần nộp"), ("ask_fee", "Lệ phí"), ("ask_online", "Nộp trực tuyến")],
    "ask_where": [("ask_documents", "Giấy tờ cần nộp"), ("ask_online", "Nộp trực tuyến"), ("ask_fee", "Lệ phí")],
    "ask_online": [("ask_documents", "Giấy tờ cần nộp"), ("ask_steps", "Các bước"), ("ask_fee", "Lệ phí")],
}
DEFAULT_FOLLOW_UPS = [("ask_documents", "Giấy tờ cần nộp"), ("ask_fee", "Lệ phí"), ("ask_processing_time", "Thời hạn")]


def payload(intent: str, **entities: Optional[str]) -> str:
    values = {key: value for key, value in entities.items() if value is not None}
    return f"/{intent}{json.dumps(values, ensure_ascii=False)}" if values else f"/{intent}"


def button(label: str, intent: str, **entities: Optional[str]) -> Dict[str, str]:
    return {"title": shorten(label), "payload": payload(intent, **entities)}


def shorten(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """A plain label: no "Thủ tục" prefix, within `limit`, cut between words (never mid-word)."""
    label = " ".join((label or "").split())
    if label.lower().startswith("thủ tục "):
        label = label[len("thủ tục "):]
        label = label[:1].upper() + label[1:]
    return cut(label, limit)


LEVEL_LABELS = {
    "Cấp xã": "Nộp ở cấp xã, phường",
    "Cấp tỉnh": "Nộp ở cấp tỉnh, thành phố",
    "Cấp bộ": "Nộp ở cơ quan trung ương",
    "Cơ quan khác": "Nộp ở cơ quan khác",
}


def level_label(levels: Optional[List[str]]) -> str:
    """The button for the same procedure at another level, in plain words."""
    level = levels[0] if levels else "Cơ quan khác"
    return LEVEL_LABELS.get(level, f"Nộp ở {level.lower()}")


def feedback_buttons() -> List[Dict[str, str]]:
    return [
        button("Hữu ích", "feedback", feedback_value=HELPFUL),
        button("Chưa hữu ích", "feedback", feedback_value=NOT_HELPFUL),
    ]


def officer_button() -> Dict[str, str]:
    return button("Gặp cán bộ", "request_human")


def none_of_these_button() -> Dict[str, str]:
    """The last button of every choice of procedures (actions.procedures.ActionNoneOfThese)."""
    return button("Không phải các thủ tục này", "none_of_these")


def limit(buttons: List[Dict[str, str]], keep_last: int = 0) -> List[Dict[str, str]]:
    """At most MAX_BUTTONS, without duplicate payloads or labels, always keeping the last `keep_last`."""
    seen, titles, unique = set(), set(), []
    for item in buttons:
        if item["payload"] not in seen and item["title"].lower() not in titles:
            seen.add(item["payload"])
            titles.add(item["title"].lower())
            unique.append(item)
    if len(unique) <= MAX_BUTTONS:
        return unique
    tail = unique[len(unique) - keep_last:] if keep_last else []
    return unique[: MAX_BUTTONS - len(tail)] + tail
