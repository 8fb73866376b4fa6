"""Vietnamese answer texts built from catalogue facts; every one names the code."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from dossiers.service import today_in_vietnam
from dossiers.workdays import WorkingCalendar
from procedures_kb.formatting import document_lines, format_count, method_lines, title
from procedures_kb.formatting import shorten as shorten_text
from procedures_kb.models import Procedure
from procedures_kb.search import SearchHit

MAX_MESSAGE_CHARS = 2000
HELP_ELSEWHERE = (
    "Bạn có thể tra cứu thêm trên Cổng dịch vụ công quốc gia (dichvucong.gov.vn) "
    "hoặc hỏi bộ phận một cửa nơi nộp hồ sơ."
)


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


def _alternatives(hit: SearchHit) -> List[str]:
    if not hit.alternatives:
        return []
    levels = ", ".join(
        f"{', '.join(v.levels) or 'cấp khác'} (mã {v.code})" for v in hit.alternatives[:3]
    )
    return [f"Thủ tục này còn được thực hiện ở: {levels}."]


def document_cases(procedure: Procedure) -> List:
    """The cases (trường hợp) that list documents to bring, in catalogue order."""
    return [case for case in procedure.document_cases if any(d.kind == "document" for d in case.documents)]


def _case_lines(case) -> List[str]:
    lines = []
    for document in case.documents:
        if document.kind != "document":
            continue
        form = f" [mẫu: {document.form_name}]" if document.form_name else ""
        count = format_count(document)
        lines.append(f"- {shorten_text(document.name, 220)}" + (f" ({count})" if count else "") + form)
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


def documents_view(
    procedure: Procedure, hit: SearchHit = None, case: Optional[int] = None, page: Optional[int] = None
) -> DocumentsView:
    """The documents to bring, one chat bubble at a time.

    Every case is shown when they all fit one bubble; otherwise one case (the
    first, or the one asked for) is shown, a page at a time, and the next
    page and the other cases are offered.
    """
    cases = document_cases(procedure)
    if not cases:
        return DocumentsView(fit(_no_data(procedure, "thành phần hồ sơ")))
    head = f"{title(procedure)} — giấy tờ cần chuẩn bị:"
    tail = _alternatives(hit) if hit is not None else []
    if case is None or not 1 <= case <= len(cases):
        lines = [head]
        for item in cases:
            if len(cases) > 1:
                lines.append(f"{shorten_text(item.title or 'Trường hợp khác', 160)}:")
            lines.extend(_case_lines(item))
        if len("\n".join(lines + tail)) <= MAX_MESSAGE_CHARS:
            return DocumentsView(fit(lines + tail))
        case = 1
    chosen = cases[case - 1]
    lines = [head]
    if len(cases) > 1:
        lines.append(f"Trường hợp {case}/{len(cases)}: {shorten_text(chosen.title or 'không ghi tên', 160)}")
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


def documents_answer(procedure: Procedure, hit: SearchHit = None, case: Optional[int] = None) -> str:
    return documents_view(procedure, hit, case).text


def overview_answer(procedure: Procedure, hit: SearchHit = None) -> str:
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


def not_found_answer(hits: List[SearchHit]) -> str:
    lines = [
        "Xin lỗi, tôi chưa xác định được bạn hỏi thủ tục nào.",
        "Bạn hãy ghi rõ tên thủ tục, ví dụ: \"đăng ký khai sinh\", \"làm sổ đỏ lần đầu\", \"đăng ký tạm trú\".",
    ]
    if hits:
        lines.append("Có phải bạn muốn hỏi:")
        lines.extend(f"- {hit.name} (mã {hit.code})" for hit in hits[:3])
    return fit(lines)


def unknown_code_answer(code: str) -> str:
    return fit([
        f"Xin lỗi, cơ sở dữ liệu không có thủ tục mã \"{code[:40]}\".",
        "Bạn hãy ghi tên thủ tục, ví dụ: \"đăng ký khai sinh\", \"đăng ký tạm trú\".",
    ])


def _no_data(procedure: Procedure, what: str) -> List[str]:
    return [title(procedure), f"Cơ sở dữ liệu chưa ghi {what} cho thủ tục này. {HELP_ELSEWHERE}"]


def fee_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    from procedures_kb.formatting import format_fee
    from procedures_kb.records import CHANNEL_LABELS

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


def time_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    from procedures_kb.formatting import format_time
    from procedures_kb.records import CHANNEL_LABELS

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


def working_calendar() -> WorkingCalendar:
    """The action server's calendar, with DOSSIER_CALENDAR_FILE's changes (actions/runtime.py)."""
    from actions import runtime

    return runtime.working_calendar()


def where_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    from procedures_kb.records import CHANNEL_LABELS

    lines = [f"{title(procedure)} — nơi nộp hồ sơ:"]
    place = procedure.receiving_address or procedure.implementing_agency or procedure.competent_agency
    if place:
        lines.append(place)
    elif procedure.levels:
        lines.append(f"Cơ quan thực hiện ở {', '.join(procedure.levels).lower()}.")
    else:
        return fit(_no_data(procedure, "nơi tiếp nhận hồ sơ"))
    channels = sorted({CHANNEL_LABELS.get(m.channel, m.channel) for m in procedure.methods})
    if channels:
        lines.append(f"Hình thức nộp: {', '.join(channels)}.")
    return fit(lines + (_alternatives(hit) if hit else []))


def steps_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    steps = [step.text for step in procedure.steps]
    if not steps:
        return fit(_no_data(procedure, "trình tự thực hiện"))
    lines = [f"{title(procedure)} — các bước thực hiện:"]
    lines.extend(f"{i}. {text}" for i, text in enumerate(steps, start=1))
    return fit(lines)


def online_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    from procedures_kb.formatting import format_fee, format_time

    online = [m for m in procedure.methods if m.channel == "online"]
    if online:
        method = online[0]
        return fit([
            f"{title(procedure)}: có thể nộp trực tuyến trên Cổng dịch vụ công quốc gia (dichvucong.gov.vn) "
            "hoặc cổng dịch vụ công của tỉnh, đăng nhập bằng tài khoản định danh điện tử (VNeID).",
            f"Thời hạn: {format_time(method)}; phí, lệ phí: {format_fee(method)}.",
        ])
    if not procedure.methods:
        return fit(_no_data(procedure, "cách thức nộp"))
    others = ", ".join(sorted({m.channel for m in procedure.methods}))
    labels = others.replace("in_person", "trực tiếp").replace("postal", "qua bưu chính")
    return fit([f"{title(procedure)}: cơ sở dữ liệu chưa ghi hình thức nộp trực tuyến; hồ sơ nộp {labels}."])


def form_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    forms = []
    for case in procedure.document_cases:
        for document in case.documents:
            if document.kind != "document":
                continue
            lowered = document.name.lower()
            if document.form_name or lowered.startswith(("tờ khai", "đơn", "phiếu", "mẫu", "giấy đề nghị", "văn bản đề nghị")):
                form = f" — mẫu: {document.form_name}" if document.form_name else ""
                forms.append(f"- {document.name}{form}")
    if not forms:
        return fit(_no_data(procedure, "mẫu đơn, tờ khai"))
    lines = [f"{title(procedure)} — mẫu đơn, tờ khai:"] + forms
    lines.append("Mẫu có sẵn tại nơi nộp hồ sơ và trên Cổng dịch vụ công quốc gia, trang của thủ tục này.")
    return fit(lines)


def requirements_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    lines = [f"{title(procedure)} — điều kiện thực hiện:"]
    if procedure.conditions_text:
        lines.append(procedure.conditions_text)
    else:
        lines.append("Cơ sở dữ liệu không ghi điều kiện riêng cho thủ tục này.")
    if procedure.target_groups:
        lines.append(f"Đối tượng thực hiện: {', '.join(procedure.target_groups)}.")
    return fit(lines)


def legal_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    if not procedure.legal_bases:
        return fit(_no_data(procedure, "căn cứ pháp lý"))
    lines = [f"{title(procedure)} — căn cứ pháp lý:"]
    for basis in procedure.legal_bases:
        text = " ".join(part for part in (basis.number, basis.title) if part)
        lines.append(f"- {text[:200]}")
    return fit(lines)


def result_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    if not procedure.result_text:
        return fit(_no_data(procedure, "kết quả giải quyết"))
    return fit([f"{title(procedure)} — kết quả: {procedure.result_text}"])


RENDERERS = {
    "ask_procedure": overview_answer,
    "inform": overview_answer,
    "ask_documents": documents_answer,
    "ask_fee": fee_answer,
    "ask_processing_time": time_answer,
    "ask_where": where_answer,
    "ask_steps": steps_answer,
    "ask_online": online_answer,
    "ask_form": form_answer,
    "ask_requirements": requirements_answer,
    "ask_legal_basis": legal_answer,
    "ask_result": result_answer,
}
