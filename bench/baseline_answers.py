"""The pre-issue-13 answer renderer, frozen: kept only as the baseline of bench/answers_bench.py.

A copy of actions/answers.py (documents, fee, time and overview answers) and
of the helpers it used from procedures_kb/formatting.py, as they were on main
at commit 399e2df, before issue 13 rewrote them. It renders the same
`procedures_kb.models.Procedure` objects as the current renderer, so one
benchmark run can compare both. Do not fix or improve it: its faults are what
the benchmark measures against. Nothing but the benchmark imports it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import List, Optional

from dossiers.service import today_in_vietnam

MAX_MESSAGE_CHARS = 2000
MAX_DOCUMENT_CHARS = 220
HELP_ELSEWHERE = (
    "Bạn có thể tra cứu thêm trên Cổng dịch vụ công quốc gia (dichvucong.gov.vn) "
    "hoặc hỏi bộ phận một cửa nơi nộp hồ sơ."
)
CHANNEL_LABELS = {"in_person": "Trực tiếp", "online": "Trực tuyến", "postal": "Dịch vụ bưu chính"}
TIME_UNIT_LABELS = {"working_day": "ngày làm việc", "day": "ngày", "hour": "giờ", "month": "tháng", "year": "năm"}


# --- from procedures_kb/formatting.py ---------------------------------------------------
def title(procedure) -> str:
    name = procedure.name
    if not name.lower().startswith("thủ tục"):
        name = f"Thủ tục {name[0].lower()}{name[1:]}" if name else "Thủ tục"
    return f"{name} (mã {procedure.code})"


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def format_time(method) -> str:
    if method.time_value is not None and method.time_unit:
        return f"{_number(method.time_value)} {TIME_UNIT_LABELS[method.time_unit]}"
    if method.time_value is not None:
        return f"{_number(method.time_value)} (cổng quốc gia không ghi đơn vị)"
    return method.time_raw or "chưa có thông tin"


def format_fee(method) -> str:
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


def format_count(document) -> str:
    parts = []
    if document.originals:
        parts.append(f"{document.originals} bản chính")
    if document.copies:
        parts.append(f"{document.copies} bản sao")
    return ", ".join(parts)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def document_lines(procedure, max_items: Optional[int] = None) -> List[str]:
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


def method_lines(procedure) -> List[str]:
    return [
        f"- {CHANNEL_LABELS.get(m.channel, m.channel)}: thời hạn {format_time(m)}; phí, lệ phí: {format_fee(m)}"
        for m in procedure.methods
    ]


# --- from actions/answers.py ------------------------------------------------------------
def fit(lines: List[str], limit: int = MAX_MESSAGE_CHARS) -> str:
    """Join lines, dropping from the end (with a note) to fit one chat bubble."""
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    kept: List[str] = []
    for line in lines:
        candidate = "\n".join(kept + [line])
        if len(candidate) > limit - 80:
            break
        kept.append(line)
    hidden = len(lines) - len(kept)
    kept.append(f"… còn {hidden} dòng nữa, bạn hỏi tiếp để xem chi tiết.")
    return "\n".join(kept)


def _alternatives(hit) -> List[str]:
    if not hit.alternatives:
        return []
    levels = ", ".join(
        f"{', '.join(v.levels) or 'cấp khác'} (mã {v.code})" for v in hit.alternatives[:3]
    )
    return [f"Thủ tục này còn được thực hiện ở: {levels}."]


def document_cases(procedure) -> List:
    """The cases (trường hợp) that list documents to bring, in catalogue order."""
    return [case for case in procedure.document_cases if any(d.kind == "document" for d in case.documents)]


def _case_lines(case) -> List[str]:
    lines = []
    for document in case.documents:
        if document.kind != "document":
            continue
        form = f" [mẫu: {document.form_name}]" if document.form_name else ""
        count = format_count(document)
        lines.append(f"- {shorten(document.name, 220)}" + (f" ({count})" if count else "") + form)
    return lines


@dataclass
class DocumentsView:
    text: str
    pages: int = 1  # pages of the case shown
    page: int = 1
    case: Optional[int] = None  # None: every case is shown
    other_cases: List[int] = field(default_factory=list)


def _pages(lines: List[str], budget: int) -> List[List[str]]:
    pages: List[List[str]] = []
    current: List[str] = []
    size = 0
    for line in lines:
        if current and size + len(line) + 1 > budget:
            pages.append(current)
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    return pages + [current] if current else pages


def documents_view(procedure, hit=None, case: Optional[int] = None, page: Optional[int] = None) -> DocumentsView:
    """The documents to bring, one chat bubble at a time (every case if they fit, else one case by pages)."""
    cases = document_cases(procedure)
    if not cases:
        return DocumentsView(fit(_no_data(procedure, "thành phần hồ sơ")))
    head = f"{title(procedure)} — giấy tờ cần chuẩn bị:"
    tail = _alternatives(hit) if hit is not None else []
    if case is None or not 1 <= case <= len(cases):
        lines = [head]
        for item in cases:
            if len(cases) > 1:
                lines.append(f"{shorten(item.title or 'Trường hợp khác', 160)}:")
            lines.extend(_case_lines(item))
        if len("\n".join(lines + tail)) <= MAX_MESSAGE_CHARS:
            return DocumentsView(fit(lines + tail))
        case = 1
    chosen = cases[case - 1]
    lines = [head]
    if len(cases) > 1:
        lines.append(f"Trường hợp {case}/{len(cases)}: {shorten(chosen.title or 'không ghi tên', 160)}")
    budget = MAX_MESSAGE_CHARS - len("\n".join(lines + tail)) - 200
    pages = _pages(_case_lines(chosen), budget)
    number = page if page is not None and 1 <= page <= len(pages) else 1
    lines.extend(pages[number - 1])
    if len(pages) > 1:
        lines.append(f"(Trang {number}/{len(pages)} của danh sách giấy tờ.)")
    others = [n for n in range(1, len(cases) + 1) if n != case]
    if others:
        lines.append(f"Thủ tục này có {len(cases)} trường hợp; chọn bên dưới để xem giấy tờ của trường hợp khác.")
    return DocumentsView(fit(lines + tail), pages=len(pages), page=number, case=case, other_cases=others)


def documents_answer(procedure, hit=None, case: Optional[int] = None) -> str:
    return documents_view(procedure, hit, case).text


def overview_answer(procedure, hit=None) -> str:
    lines = [title(procedure)]
    if procedure.summary:
        lines.append(procedure.summary)
    if procedure.receiving_address:
        lines.append(f"Nơi nộp: {procedure.receiving_address}")
    elif procedure.levels:
        lines.append(f"Cấp thực hiện: {', '.join(procedure.levels)}")
    methods = method_lines(procedure)
    if methods:
        lines.append("Cách nộp, thời hạn và lệ phí:")
        lines.extend(methods)
    documents = document_lines(procedure, max_items=6)
    if documents:
        lines.append("Giấy tờ chính:")
        lines.extend(documents)
    if hit is not None:
        lines.extend(_alternatives(hit))
    return fit(lines)


def _no_data(procedure, what: str) -> List[str]:
    return [title(procedure), f"Cơ sở dữ liệu chưa ghi {what} cho thủ tục này. {HELP_ELSEWHERE}"]


def fee_answer(procedure, hit=None) -> str:
    rows = [m for m in procedure.methods if m.fee_raw or m.fee_amount is not None or m.fee_is_free is not None]
    if not rows:
        return fit(_no_data(procedure, "phí, lệ phí"))
    lines = [f"{title(procedure)} — phí, lệ phí:"]
    seen = set()
    for method in rows:
        line = f"- {CHANNEL_LABELS.get(method.channel, method.channel)}: {format_fee(method)}"
        if line not in seen:
            seen.add(line)
            lines.append(line)
    return fit(lines + _alternatives(hit) if hit else lines)


def time_answer(procedure, hit=None) -> str:
    rows = [m for m in procedure.methods if m.time_value is not None or m.time_raw]
    if not rows:
        return fit(_no_data(procedure, "thời hạn giải quyết"))
    lines = [f"{title(procedure)} — thời hạn giải quyết:"]
    today = today_in_vietnam()
    for method in rows:
        line = f"- {CHANNEL_LABELS.get(method.channel, method.channel)}: {format_time(method)}"
        expected = working_calendar().expected_date(today, method.time_value, method.time_unit)
        if expected is not None and method.time_unit in ("working_day", "day", "month", "year"):
            line += f" (nộp hôm nay thì dự kiến có kết quả ngày {expected.strftime('%d/%m/%Y')})"
        lines.append(line)
    if any(m.time_unit == "working_day" for m in rows):
        lines.append("Ngày làm việc không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ, Tết (kể cả Tết Nguyên đán, Giỗ Tổ).")
    return fit(lines)


def working_calendar():
    """The action server's calendar, with DOSSIER_CALENDAR_FILE's changes (actions/runtime.py)."""
    from actions import runtime

    return runtime.working_calendar()
