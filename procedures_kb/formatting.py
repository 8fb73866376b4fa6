"""Plain-text rendering of catalogue facts, in Vietnamese."""
from __future__ import annotations

from decimal import Decimal
from typing import List, Optional

from procedures_kb.models import Document, Procedure, SubmissionMethod
from procedures_kb.records import CHANNEL_LABELS, TIME_UNIT_LABELS

MAX_DOCUMENT_CHARS = 220


def title(procedure: Procedure) -> str:
    name = procedure.name
    if not name.lower().startswith("thủ tục"):
        name = f"Thủ tục {name[0].lower()}{name[1:]}" if name else "Thủ tục"
    return f"{name} (mã {procedure.code})"


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def format_time(method: SubmissionMethod) -> str:
    if method.time_value is not None and method.time_unit:
        return f"{_number(method.time_value)} {TIME_UNIT_LABELS[method.time_unit]}"
    if method.time_value is not None:
        return f"{_number(method.time_value)} (cổng quốc gia không ghi đơn vị)"
    return method.time_raw or "chưa có thông tin"


def format_fee(method: SubmissionMethod) -> str:
    if method.fee_is_free and not method.fee_note:
        return "miễn phí"
    if method.fee_amount is not None and method.fee_amount > 0:
        amount = f"{int(method.fee_amount):,}".replace(",", ".")
        unit = "đồng" if method.fee_currency == "VND" else (method.fee_currency or "")
        text = f"{amount} {unit}".strip()
    elif method.fee_is_free:
        text = "miễn phí"
    else:
        text = "chưa có thông tin"
    if method.fee_note:
        text += f" ({method.fee_note})"
    return text


def format_count(document: Document) -> str:
    parts = []
    if document.originals:
        parts.append(f"{document.originals} bản chính")
    if document.copies:
        parts.append(f"{document.copies} bản sao")
    return ", ".join(parts)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def document_lines(procedure: Procedure, max_items: Optional[int] = None) -> List[str]:
    lines: List[str] = []
    for case in procedure.document_cases:
        documents = [d for d in case.documents if d.kind == "document"]
        if not documents:
            continue
        if case.title and len(procedure.document_cases) > 1:
            lines.append(f"{shorten(case.title, 120)}:")
        for document in documents:
            form = f" [mẫu: {document.form_name}]" if document.form_name else ""
            lines.append(f"- {shorten(document.name, MAX_DOCUMENT_CHARS)} ({format_count(document)}){form}")
    if max_items is not None and len(lines) > max_items:
        hidden = len(lines) - max_items
        lines = lines[:max_items] + [f"… và {hidden} dòng nữa."]
    return lines


def method_lines(procedure: Procedure) -> List[str]:
    return [
        f"- {CHANNEL_LABELS.get(m.channel, m.channel)}: thời hạn {format_time(m)}; phí, lệ phí: {format_fee(m)}"
        for m in procedure.methods
    ]


def format_procedure(procedure: Procedure) -> str:
    out = [title(procedure)]
    if procedure.levels:
        out.append(f"Cấp thực hiện: {', '.join(procedure.levels)}")
    if procedure.field:
        out.append(f"Lĩnh vực: {procedure.field}")
    if procedure.summary:
        out.append(procedure.summary)
    if procedure.aliases:
        out.append("Tên thường gọi: " + "; ".join(a.text for a in procedure.aliases))
    if procedure.receiving_address:
        out.append(f"Nơi nộp: {procedure.receiving_address}")
    if procedure.methods:
        out.append("Cách thức nộp:")
        out.extend(method_lines(procedure))
    docs = document_lines(procedure)
    if docs:
        out.append("Giấy tờ cần nộp:")
        out.extend(docs)
    if procedure.conditions_text:
        out.append(f"Điều kiện: {shorten(procedure.conditions_text, 600)}")
    if procedure.result_text:
        out.append(f"Kết quả: {procedure.result_text}")
    if procedure.legal_bases:
        out.append("Căn cứ pháp lý:")
        out.extend(
            f"- {lb.number or ''} {shorten(lb.title or '', 160)}".rstrip() for lb in procedure.legal_bases
        )
    if procedure.source_url:
        out.append(f"Nguồn: {procedure.source_url}")
    return "\n".join(out)
