"""Vietnamese answers rendered from a procedure's digest (procedures_kb.digest).

Every answer starts with the short title and the national code, puts the
essentials first (within about `ESSENTIALS_CHARS` characters, one phone
screen), and offers the rest as buttons or as the next page that "xem tiếp"
shows (`Reply.more`). Every procedure answer ends with the portal page.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from dossiers.service import today_in_vietnam
from dossiers.workdays import WorkingCalendar
from procedures_kb import digest as digests
from procedures_kb.digest import CaseDigest, Digest, DocumentItem, cut, plain_name, without_brackets
from procedures_kb.formatting import fee_lines, head, time_lines
from procedures_kb.models import Procedure
from procedures_kb.records import CHANNEL_LABELS
from procedures_kb.search import SearchHit

MAX_MESSAGE_CHARS = 2000
ESSENTIALS_CHARS = 600  # the first bubble's essentials: about one phone screen
PAGE_CHARS = 1200  # a page of details (conditional documents, steps, legal basis)
HELP_ELSEWHERE = (
    "Bạn có thể tra cứu thêm trên Cổng dịch vụ công quốc gia (dichvucong.gov.vn) "
    "hoặc hỏi bộ phận một cửa nơi nộp hồ sơ."
)
CONDITIONAL = "conditional"

# A button the answer itself offers: (label, intent, entities).
ButtonSpec = Tuple[str, str, Dict[str, str]]


@dataclass
class Reply:
    """One answer bubble, the buttons it offers and what "xem tiếp" shows next (intent, entities)."""

    text: str
    buttons: List[ButtonSpec] = field(default_factory=list)
    more: Optional[Tuple[str, Dict[str, str]]] = None
    pages: int = 1
    page: int = 1


def fit(lines: List[str], limit: int = MAX_MESSAGE_CHARS) -> str:
    """Join lines; a safety net only (answers page themselves): drop whole lines to fit one bubble."""
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    kept: List[str] = []
    for line in lines:
        if len("\n".join(kept + [line])) > limit - 80:
            break
        kept.append(line)
    kept.append(f"… còn {len(lines) - len(kept)} dòng nữa trên trang thủ tục.")
    return "\n".join(kept)


def _pages(lines: List[str], budget: int) -> List[List[str]]:
    """Lines split into pages of about `budget` characters; a heading ("…:") never ends a page."""
    pages: List[List[str]] = []
    current: List[str] = []
    size = 0
    for line in lines:
        if current and size + len(line) + 1 > budget:
            carried = [current.pop()] if len(current) > 1 and current[-1].endswith(":") else []
            pages.append(current)
            current, size = carried, sum(len(c) + 1 for c in carried)
        current.append(line)
        size += len(line) + 1
    return pages + [current] if current else pages


def _link(digest: Digest) -> List[str]:
    return [f"Chi tiết, mẫu đơn: {digest.url}"] if digest.url else []


def _no_data(procedure: Procedure, digest: Digest, what: str) -> Reply:
    return Reply(fit([head(digest, procedure.code), f"Cơ sở dữ liệu chưa ghi {what} cho thủ tục này. {HELP_ELSEWHERE}"]
                     + _link(digest)))


def _alternatives(hit: Optional[SearchHit]) -> List[str]:
    if hit is None or not hit.alternatives:
        return []
    levels = ", ".join(f"{', '.join(v.levels) or 'cấp khác'} (mã {v.code})" for v in hit.alternatives[:3])
    return [f"Thủ tục này còn được thực hiện ở: {levels}."]


def _paged(
    procedure: Procedure, digest: Digest, intent: str, top: List[str], lines: List[str], page: Optional[int],
    entities: Optional[Dict[str, str]] = None, budget: int = PAGE_CHARS, page_key: str = "answer_page",
) -> Reply:
    """`top` then one page of `lines`; the next page is a button and what "xem tiếp" shows."""
    pages = _pages(lines, budget) or [[]]
    number = page if page is not None and 1 <= page <= len(pages) else 1
    body = top + pages[number - 1]
    reply = Reply("", pages=len(pages), page=number)
    if len(pages) > 1:
        body.append(f"(Trang {number}/{len(pages)}; gõ \"xem tiếp\" để xem tiếp.)" if number < len(pages)
                    else f"(Trang {number}/{len(pages)}.)")
        if number < len(pages):
            nxt = {**(entities or {}), "procedure_code": procedure.code, page_key: str(number + 1)}
            reply.more = (intent, nxt)
            reply.buttons.append((f"Xem tiếp (trang {number + 1}/{len(pages)})", intent, nxt))
    reply.text = fit(body + _link(digest))
    return reply


# --- documents -------------------------------------------------------------------------------


_CONDITION_ASIDE_RE = re.compile(r"\s*\((?:nếu|chỉ|đối với|trường hợp)[^)]*\)|\s+nếu có\b", re.IGNORECASE)


def _document_line(item: DocumentItem, limit: int = 120, drop_condition: bool = False) -> str:
    """"- name (Mẫu X) — 1 bản chính"; under its condition's heading the name does not repeat the condition."""
    code = (item.form or "").split(" ", 1)[-1].lower()
    form = f" ({item.form})" if item.form and code not in item.name.lower() else ""
    count = f" — {item.count}" if item.count else ""
    name = plain_name(item.name, 400)
    if drop_condition:
        name = _CONDITION_ASIDE_RE.sub("", name).strip(" ,;") or name
    return f"- {cut(name, limit)}{form}{count}"


@dataclass
class DocumentsView:
    text: str
    pages: int = 1  # pages of the part shown
    page: int = 1
    case: Optional[int] = None  # the case shown when the procedure has several
    other_cases: List[int] = field(default_factory=list)
    part: Optional[str] = None  # None: the essentials; "conditional": documents needed only in some cases
    reply: Optional[Reply] = None


def _case_title(number: int, case: CaseDigest) -> str:
    return case.title or ("thông thường" if number == 1 else "khác")


def _case_label(number: int, case: CaseDigest) -> str:
    return f"Trường hợp {number}: {_case_title(number, case)}"


def documents_view(
    procedure: Procedure, hit: SearchHit = None, case: Optional[int] = None, page: Optional[int] = None,
    part: Optional[str] = None,
) -> DocumentsView:
    """The documents to bring: the essentials first (forms first), the conditional ones behind a button."""
    digest = digests.of(procedure)
    cases = digest.cases
    if not cases:
        reply = _no_data(procedure, digest, "thành phần hồ sơ")
        return DocumentsView(reply.text, reply=reply)
    number = case if case is not None and 1 <= case <= len(cases) else 1
    chosen = cases[number - 1]
    top = [f"{head(digest, procedure.code)} — giấy tờ cần chuẩn bị:"]
    if len(cases) > 1:
        top.append(cut(f"Trường hợp {number}/{len(cases)}: {_case_title(number, chosen)}", 160) + ":")
    entities = {"document_case": str(number)} if len(cases) > 1 else {}
    if part == CONDITIONAL and chosen.conditional:
        top[0] = f"{head(digest, procedure.code)} — giấy tờ chỉ cần trong một số trường hợp:"
        lines: List[str] = []
        for condition in chosen.conditions():
            lines.append(f"{condition}:")
            lines.extend(_document_line(i, 200, drop_condition=True) for i in chosen.conditional if (i.condition or "") == condition)
        reply = _paged(procedure, digest, "ask_documents", top, lines, page,
                       {**entities, "document_part": CONDITIONAL}, page_key="document_page")
    else:
        part = None
        essentials = chosen.essentials or []
        lines = [_document_line(i) for i in essentials]
        if not essentials and chosen.conditional:
            lines = ["Thủ tục này không có giấy tờ chung cho mọi người; giấy tờ tùy trường hợp của bạn."]
        if chosen.present:
            lines.append("Mang theo để xuất trình:")
            lines.extend(f"- {cut(without_brackets(plain_name(i.name, 200)), 90)}" for i in chosen.present)
        reply = _paged(procedure, digest, "ask_documents", top, lines, page, entities,
                       budget=ESSENTIALS_CHARS, page_key="document_page")
        if chosen.conditional:
            note = (f"Ngoài ra còn {len(chosen.conditional)} giấy tờ tùy trường hợp (nộp nếu có, hoặc chỉ khi "
                    "thuộc trường hợp riêng): bấm \"Giấy tờ theo trường hợp\" hoặc gõ \"xem tiếp\".")
            text_lines = reply.text.split("\n")
            link_at = len(text_lines) - (1 if digest.url else 0)
            reply.text = fit(text_lines[:link_at] + [note] + text_lines[link_at:] + _alternatives(hit))
            target = {**entities, "procedure_code": procedure.code, "document_part": CONDITIONAL}
            reply.buttons.append(("Giấy tờ theo trường hợp", "ask_documents", target))
            if reply.more is None:
                reply.more = ("ask_documents", target)
    others = [n for n in range(1, len(cases) + 1) if n != number]
    if reply.more is None and number < len(cases):
        reply.more = ("ask_documents", {"procedure_code": procedure.code, "document_case": str(number + 1)})
    for other in others:
        reply.buttons.append((cut(_case_label(other, cases[other - 1]), 48), "ask_documents",
                              {"procedure_code": procedure.code, "document_case": str(other)}))
    return DocumentsView(reply.text, pages=reply.pages, page=reply.page, case=number if len(cases) > 1 else None,
                         other_cases=others, part=part, reply=reply)


def documents_answer(procedure: Procedure, hit: SearchHit = None, case: Optional[int] = None) -> str:
    return documents_view(procedure, hit, case).text


# --- the other questions ---------------------------------------------------------------------


def overview_reply(procedure: Procedure, hit: SearchHit = None, today: Optional[dt.date] = None) -> Reply:
    digest = digests.of(procedure)
    today = today or today_in_vietnam()
    lines = [head(digest, procedure.code)]
    if digest.official_name.lower().removeprefix("thủ tục ") != digest.title.lower():
        lines.append(f"Tên chính thức: {cut(digest.official_name, 160)}")
    if procedure.summary:
        lines.append(cut(procedure.summary, 200))
    if procedure.receiving_address:
        lines.append(f"Nơi nộp: {cut(procedure.receiving_address, 120)}")
    elif procedure.levels:
        lines.append(f"Nơi nộp: cơ quan {', '.join(procedure.levels).lower()}")
    times = time_lines(digest)
    if times:
        lines.append(cut("Thời hạn: " + "; ".join(_compact(t) for t in times), 160))
    fees = fee_lines(digest, today)
    if fees:
        lines.append(cut("Phí, lệ phí: " + "; ".join(_compact(f) for f in fees), 200))
    essentials = digest.cases[0].essentials if digest.cases else []
    if essentials:
        names = "; ".join(cut(without_brackets(plain_name(i.name, 200)), 50) for i in essentials[:3])
        more = f" (và {len(essentials) - 3} giấy tờ khác)" if len(essentials) > 3 else ""
        lines.append(f"Giấy tờ chính: {names}{more}.")
    return Reply(fit(lines + _alternatives(hit) + _link(digest)))


def _compact(line: str) -> str:
    """'- Mọi hình thức nộp (...): X' → 'X'; '- Trực tuyến: X' → 'trực tuyến X'."""
    text = line[2:] if line.startswith("- ") else line
    if text.startswith("Mọi hình thức nộp"):
        return text.split(": ", 1)[1] if ": " in text else text
    channel, _, value = text.partition(": ")
    return f"{channel.lower()} {value}" if value else text


def overview_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    return overview_reply(procedure, hit).text


def not_found_answer(hits: List[SearchHit]) -> str:
    lines = [
        "Xin lỗi, tôi chưa xác định được bạn hỏi thủ tục nào.",
        "Bạn hãy ghi rõ tên thủ tục, ví dụ: \"đăng ký khai sinh\", \"làm sổ đỏ lần đầu\", \"đăng ký tạm trú\".",
    ]
    if hits:
        lines.append("Có phải bạn muốn hỏi:")
        lines.extend(f"- {cut(hit.name, 120)} (mã {hit.code})" for hit in hits[:3])
    return fit(lines)


def unknown_code_answer(code: str) -> str:
    return fit([
        f"Xin lỗi, cơ sở dữ liệu không có thủ tục mã \"{code[:40]}\".",
        "Bạn hãy ghi tên thủ tục, ví dụ: \"đăng ký khai sinh\", \"đăng ký tạm trú\".",
    ])


def fee_reply(procedure: Procedure, hit: SearchHit = None, today: Optional[dt.date] = None) -> Reply:
    digest = digests.of(procedure)
    if not digest.fees:
        return _no_data(procedure, digest, "phí, lệ phí")
    lines = [f"{head(digest, procedure.code)} — phí, lệ phí:"] + fee_lines(digest, today or today_in_vietnam())
    return Reply(fit(lines + _alternatives(hit) + _link(digest)))


def fee_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    return fee_reply(procedure, hit).text


def working_calendar() -> WorkingCalendar:
    """The action server's calendar, with DOSSIER_CALENDAR_FILE's changes (actions/runtime.py)."""
    from actions import runtime

    return runtime.working_calendar()


def time_reply(procedure: Procedure, hit: SearchHit = None) -> Reply:
    digest = digests.of(procedure)
    if not digest.times:
        return _no_data(procedure, digest, "thời hạn giải quyết")
    lines = [f"{head(digest, procedure.code)} — thời hạn giải quyết:"] + time_lines(digest)
    today = today_in_vietnam()
    dated = [t for t in digest.times if t.source in ("cell", "record") and t.unit in ("working_day", "day", "month", "year")]
    if dated:
        expected = working_calendar().expected_date(today, dated[0].value, dated[0].unit)
        if expected is not None:
            same = len({(t.value, t.unit) for t in digest.times}) == 1
            channel = "" if same else f" ({CHANNEL_LABELS.get(dated[0].channel, '').lower()})"
            lines.append(f"Nộp hôm nay{channel} thì dự kiến có kết quả ngày {expected.strftime('%d/%m/%Y')}.")
    if any(t.unit == "working_day" for t in digest.times):
        lines.append("Ngày làm việc không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ, Tết.")
    return Reply(fit(lines + _link(digest)))


def time_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    return time_reply(procedure, hit).text


def where_reply(procedure: Procedure, hit: SearchHit = None) -> Reply:
    digest = digests.of(procedure)
    lines = [f"{head(digest, procedure.code)} — nơi nộp hồ sơ:"]
    place = procedure.receiving_address or procedure.implementing_agency or procedure.competent_agency
    if place:
        lines.append(cut(place, 400))
    elif procedure.levels:
        lines.append(f"Cơ quan thực hiện ở {', '.join(procedure.levels).lower()}.")
    else:
        return _no_data(procedure, digest, "nơi tiếp nhận hồ sơ")
    channels = [CHANNEL_LABELS.get(t.channel, t.channel) for t in digest.times] or sorted(
        {CHANNEL_LABELS.get(m.channel, m.channel) for m in procedure.methods})
    if channels:
        lines.append(f"Hình thức nộp: {', '.join(dict.fromkeys(channels))}.")
    return Reply(fit(lines + _alternatives(hit) + _link(digest)))


def where_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    return where_reply(procedure, hit).text


def steps_reply(procedure: Procedure, hit: SearchHit = None, page: Optional[int] = None) -> Reply:
    digest = digests.of(procedure)
    if not digest.steps:
        return _no_data(procedure, digest, "trình tự thực hiện")
    lines = [f"{i}. {cut(text, 1500)}" for i, text in enumerate(digest.steps, start=1)]
    return _paged(procedure, digest, "ask_steps", [f"{head(digest, procedure.code)} — các bước thực hiện:"], lines, page)


def steps_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    return steps_reply(procedure, hit).text


def online_reply(procedure: Procedure, hit: SearchHit = None, today: Optional[dt.date] = None) -> Reply:
    from procedures_kb.formatting import fee_text, time_text

    digest = digests.of(procedure)
    online_fee = [f for f in digest.fees if f.channel == "online"]
    online_time = [t for t in digest.times if t.channel == "online"]
    if online_fee or online_time:
        lines = [f"{head(digest, procedure.code)}: có thể nộp trực tuyến trên Cổng dịch vụ công quốc gia "
                 "(dichvucong.gov.vn) hoặc cổng dịch vụ công của tỉnh, đăng nhập bằng tài khoản định danh điện tử (VNeID)."]
        if online_time:
            lines.append(f"Thời hạn: {time_text(online_time[0])}.")
        if online_fee:
            lines.append(f"Phí, lệ phí khi nộp trực tuyến: {fee_text(online_fee[0], today or today_in_vietnam())}.")
        return Reply(fit(lines + _link(digest)))
    if not procedure.methods:
        return _no_data(procedure, digest, "cách thức nộp")
    labels = ", ".join(dict.fromkeys(CHANNEL_LABELS.get(m.channel, m.channel).lower() for m in procedure.methods))
    return Reply(fit([f"{head(digest, procedure.code)}: cổng quốc gia chưa ghi hình thức nộp trực tuyến; hồ sơ nộp {labels}."]
                     + _link(digest)))


def online_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    return online_reply(procedure, hit).text


def form_reply(procedure: Procedure, hit: SearchHit = None) -> Reply:
    digest = digests.of(procedure)
    forms = [f"- {form.label}: {cut(without_brackets(form.document), 90)}" for form in digest.forms]
    if not forms:
        named = [i for c in digest.cases for i in c.essentials + c.conditional if i.is_form]
        forms = [f"- {plain_name(i.name, 140)}" for i in named]
    if not forms:
        return _no_data(procedure, digest, "mẫu đơn, tờ khai")
    lines = [f"{head(digest, procedure.code)} — mẫu đơn, tờ khai:"] + forms[:8]
    if digest.url:
        lines.append(f"Tải mẫu trên trang thủ tục: {digest.url}")
    else:
        lines.append("Mẫu có sẵn tại nơi nộp hồ sơ.")
    return Reply(fit(lines))


def form_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    return form_reply(procedure, hit).text


def requirements_reply(procedure: Procedure, hit: SearchHit = None, page: Optional[int] = None) -> Reply:
    digest = digests.of(procedure)
    lines = []
    if procedure.conditions_text:
        lines = [part.strip() for part in procedure.conditions_text.split("\n") if part.strip()]
        lines = [cut(line, 500) for line in lines]
    else:
        lines = ["Cơ sở dữ liệu không ghi điều kiện riêng cho thủ tục này."]
    if procedure.target_groups:
        lines.append(f"Đối tượng thực hiện: {cut(', '.join(procedure.target_groups), 300)}.")
    return _paged(procedure, digest, "ask_requirements", [f"{head(digest, procedure.code)} — điều kiện thực hiện:"],
                  lines, page)


def requirements_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    return requirements_reply(procedure, hit).text


def legal_reply(procedure: Procedure, hit: SearchHit = None, page: Optional[int] = None) -> Reply:
    digest = digests.of(procedure)
    if not procedure.legal_bases:
        return _no_data(procedure, digest, "căn cứ pháp lý")
    lines = [f"- {cut(' '.join(p for p in (b.number, b.title) if p), 200)}" for b in procedure.legal_bases]
    return _paged(procedure, digest, "ask_legal_basis", [f"{head(digest, procedure.code)} — căn cứ pháp lý:"], lines, page)


def legal_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    return legal_reply(procedure, hit).text


def result_reply(procedure: Procedure, hit: SearchHit = None) -> Reply:
    digest = digests.of(procedure)
    if not procedure.result_text:
        return _no_data(procedure, digest, "kết quả giải quyết")
    return Reply(fit([f"{head(digest, procedure.code)} — kết quả: {cut(procedure.result_text, 600)}"] + _link(digest)))


def result_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    return result_reply(procedure, hit).text


RENDERERS: Dict[str, Callable[..., str]] = {
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


def render(
    intent: str, procedure: Procedure, hit: SearchHit = None, case: Optional[int] = None,
    page: Optional[int] = None, part: Optional[str] = None,
) -> Reply:
    """The reply to `intent` about `procedure`; `case`, `page`, `part` choose a view of long answers."""
    if intent == "ask_documents":
        view = documents_view(procedure, hit, case=case, page=page, part=part)
        return view.reply or Reply(view.text)
    paged = {"ask_steps": steps_reply, "ask_requirements": requirements_reply, "ask_legal_basis": legal_reply}
    if intent in paged:
        return paged[intent](procedure, hit, page=page)
    plain = {
        "ask_fee": fee_reply, "ask_processing_time": time_reply, "ask_where": where_reply,
        "ask_online": online_reply, "ask_form": form_reply, "ask_result": result_reply,
    }
    return plain.get(intent, overview_reply)(procedure, hit)
