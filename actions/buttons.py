"""Buttons: plain Vietnamese labels, payloads that carry intents and codes.

A payload is Rasa's `/intent{"entity": "value"}` form, so a tap skips the
NLU and reaches the right action with the procedure code already known.
"""
from __future__ import annotations

import json
from typing import Dict, List, Optional

from actions.answers import DocumentsView, document_cases, shorten_text
from procedures_kb.models import Procedure

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
    label = " ".join((label or "").split())
    if label.lower().startswith("thủ tục "):
        label = label[len("thủ tục "):]
        label = label[:1].upper() + label[1:]
    return label if len(label) <= limit else label[: limit - 1].rstrip(" ,;(") + "…"


def feedback_buttons() -> List[Dict[str, str]]:
    return [
        button("Hữu ích", "feedback", feedback_value=HELPFUL),
        button("Chưa hữu ích", "feedback", feedback_value=NOT_HELPFUL),
    ]


def officer_button() -> Dict[str, str]:
    return button("Gặp cán bộ", "request_human")


def limit(buttons: List[Dict[str, str]], keep_last: int = 0) -> List[Dict[str, str]]:
    """At most MAX_BUTTONS, without duplicates, always keeping the last `keep_last`."""
    seen, unique = set(), []
    for item in buttons:
        if item["payload"] not in seen:
            seen.add(item["payload"])
            unique.append(item)
    if len(unique) <= MAX_BUTTONS:
        return unique
    tail = unique[len(unique) - keep_last:] if keep_last else []
    return unique[: MAX_BUTTONS - len(tail)] + tail


def document_buttons(procedure: Procedure, view: DocumentsView) -> List[Dict[str, str]]:
    """The next page of a long documents answer, then the procedure's other cases."""
    offered: List[Dict[str, str]] = []
    if view.page < view.pages:
        offered.append(button(
            f"Xem tiếp giấy tờ (trang {view.page + 1}/{view.pages})", "ask_documents",
            procedure_code=procedure.code, document_case=str(view.case), document_page=str(view.page + 1),
        ))
    cases = document_cases(procedure)
    offered += [
        button(
            f"Trường hợp {number}: {shorten_text(cases[number - 1].title or '', 45)}",
            "ask_documents", procedure_code=procedure.code, document_case=str(number),
        )
        for number in view.other_cases
    ]
    return offered
