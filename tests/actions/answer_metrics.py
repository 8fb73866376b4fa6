"""Quality measures of answers against the raw national records (issue 13's targets).

Each measure reads the RAW JSON record with regular expressions of its own
(never the importer's parser) and the answer as the citizen sees it (plain
text), so that it holds whatever renderer produced the answer:

  * `lists_form_first`: the documents answer lists an application form (tờ
    khai, đơn, phiếu đề nghị, giấy/văn bản đề nghị, mẫu ...) first, asked only
    when `has_application_form(record)`;
  * `says_free_despite_fee`: the fee answer says "miễn phí" for a channel
    whose raw row states a VND amount (in the fee cell or its note);
  * `time_without_unit`: the time answer gives a time without a unit and
    without an explanation (same-day rule, or "the portal gives no unit, ask
    at ...");
  * `expired_reduction_shown`: a reduction in the raw fee note that ended
    ("đến hết ngày 31/12/2023") before `today` is shown (its end date or its
    amount) on a line that does not say it has ended.

Used by bench/answers_bench.py (all records, old and new renderer) and tested
on hand-written records in tests/actions/test_answer_metrics.py.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Set
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# --- raw records --------------------------------------------------------------------------
DOCUMENTS_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_COUNT_RE = re.compile(r"(?<!\d)(\d+) bản (?:chính|sao)(?:\s*,\s*(\d+) bản (?:chính|sao))?")
_CHANNELS = {"Trực tuyến": "online", "Trực tiếp": "in_person", "Dịch vụ bưu chính": "postal"}
# A row of the methods table starts with its channel, then the time cell: a number or "Không có thông tin".
_ROW_START_RE = re.compile(r"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=\s*(?:\d|Không))")
_RAW_TIME_RE = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ|Tháng|Năm)?")
_CURRENCY = r"(?:việt nam đồng|vnđ|vnd|đồng|đ)(?!\w)"
_AMOUNT_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d{3})+|\d+)\s*" + _CURRENCY, re.IGNORECASE)
# An amount written with thousands separators and no currency ("Mức phí giảm 20%: 1.600.000").
_BARE_AMOUNT_RE = re.compile(r"(?<![\d.,/])(\d{1,3}(?:[.,]\d{3})+)(?!\d|[.,]\d|\s*%|\s*[^\W\d_])")
_END_DATE_RE = re.compile(
    r"(?:đến\s+hết|đến|hết)\s+(?:ngày\s+)?"
    r"(?:(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4}))",
    re.IGNORECASE,
)
_EXEMPTION_RE = re.compile(r"\bmiễn?\s*(?:lệ\s+)?phí|\bmiễn", re.IGNORECASE)
_CLAUSE_START_RE = re.compile(r"\.\s|;\s|\s-\s|\n|\(\s*[-+]\s")
_CLAUSE_END_RE = re.compile(r"\.\s|\.\)|;\s|\s-\s|\n")

# --- answers ------------------------------------------------------------------------------
_FORM_RE = re.compile(
    r"(?:tờ khai|bản khai|tờ trình|đơn(?!\s+(?:vị|giá|hàng|thuốc|đặt))\s"
    r"|phiếu\s+(?:đề nghị|yêu cầu|đăng ký|khai|đề xuất|xin)|giấy đề nghị|văn bản đề nghị|đề nghị\s"
    r"|mẫu\s+(?:số|tờ khai|đơn|phiếu|giấy đề nghị|văn bản đề nghị|đề nghị|hộ tịch|điện tử|[a-zđ]{0,4}\d))"
)
# Bullets, numbering ("(1)", "a)", "ii.") and a leading quantity ("01 tờ khai", "02 (hai) ảnh").
_LEADING_MARKS_RE = re.compile(r"^(?:\s*(?:[-–+•*]|\(?(?:\d{1,2}|[a-zđ]|[ivx]{1,4})[.)]|\d{1,2}\s+(?:\(\w+\)\s*)?(?=\D))\s*)+")
_LISTED_RE = re.compile(r"^\s*(?:[-–•*+]|\d{1,2}[.)])\s+(\S.*)$")
_SAYS_FREE_RE = re.compile(
    r"(?:^\s*(?:[-–•*+]\s*)?|[:—–]\s*)miễn (?:lệ )?phí(?!\s+(?:đối với|cho|với|trong|nếu|khi|từ|kể từ|đến))",
    re.IGNORECASE,
)
_STATED_AMOUNT_RE = re.compile(r"(?<![\d.])[1-9]\d{0,2}(?:\.\d{3})+ đồng")
_ANSWER_CHANNELS = {"trực tuyến": "online", "trực tiếp": "in_person", "bưu chính": "postal", "bưu điện": "postal"}
_UNIT_AFTER_RE = re.compile(r"\s*(?:ngày|giờ|tháng|năm|phút|tuần)(?!\w)", re.IGNORECASE)
_SAME_DAY_RE = re.compile(
    r"trong ngày|cùng ngày|ngày làm việc tiếp theo|trả kết quả ngay|giải quyết ngay|ngay khi nhận", re.IGNORECASE
)
_NO_UNIT_RE = re.compile(r"không ghi (?:rõ )?đơn vị|chưa ghi (?:rõ )?đơn vị|không có đơn vị|không ghi rõ", re.IGNORECASE)
_WHERE_TO_ASK_RE = re.compile(r"\bhỏi\b|liên hệ", re.IGNORECASE)
_ENDED_RE = re.compile(
    r"đã hết|đã kết thúc|kết thúc từ|không còn|hết hiệu lực|hết hạn|đã qua|trước đây", re.IGNORECASE
)
_CODE_HEAD_RE = re.compile(r"^.*?\(mã [^)]*\)")
_NOT_A_TIME_RE = re.compile(r"\d+(?:\s*[/:hH]\s*\d+)+")  # dates, clock times, "Trang 1/2"
_URL_RE = re.compile(r"https?://\S+")  # the portal link's digits are no time
_NUMBER_RE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?!\w|[.,]\d)")


@dataclass
class Row:
    """One row of a raw methods table: its channel and everything up to the next row."""

    channel: str  # online | in_person | postal
    text: str

    @property
    def time_without_unit(self) -> bool:
        match = _RAW_TIME_RE.match(self.text)
        return bool(match) and match.group(2) is None

    @property
    def amounts(self) -> List[int]:
        return [value for value in (_value(m.group(1)) for m in _AMOUNT_RE.finditer(self.text)) if value > 0]

    @property
    def fee_cell_amount(self) -> Optional[int]:
        """The amount before the note's bracket, if the fee cell states one."""
        cell = self.text.split("(", 1)[0]
        found = [_value(m.group(1)) for m in _AMOUNT_RE.finditer(cell)]
        return found[-1] if found else None


@dataclass
class Reduction:
    """A dated clause of a fee note whose end date has passed: a reduced rate, or an exemption (no fee)."""

    channel: str
    ends: dt.date
    clause: str
    exemption: bool = False
    amounts: Set[int] = field(default_factory=set)  # the reduced rates: amounts stated in the clause only


def today_in_vietnam() -> dt.date:
    return dt.datetime.now(VIETNAM).date()


def _value(raw: str) -> int:
    return int(re.sub(r"[.,]", "", raw))


def method_rows(record: Dict[str, str]) -> List[Row]:
    text = record.get("cach_thuc_thuc_hien") or ""
    starts = list(_ROW_START_RE.finditer(text))
    return [
        Row(_CHANNELS[match.group(1)], text[match.end(): starts[i + 1].start() if i + 1 < len(starts) else len(text)])
        for i, match in enumerate(starts)
    ]


def document_names(record: Dict[str, str]) -> Iterator[str]:
    """Names of the documents to bring (count above 0), in record order, across every case."""
    segments = (record.get("thanh_phan_ho_so") or "").split(DOCUMENTS_HEADER)
    for segment in segments[1:]:
        position = 0
        for match in _COUNT_RE.finditer(segment):
            name = segment[position:match.start()]
            position = match.end()
            if int(match.group(1)) > 0 or int(match.group(2) or 0) > 0:
                yield name


def normalized_name(text: str) -> str:
    """Lower-case text without leading bullets and numbering ("- ", "(1) ", "a) ", "ii. ")."""
    return _LEADING_MARKS_RE.sub("", " ".join(text.split()).lower())


def is_application_form(name: str) -> bool:
    return bool(_FORM_RE.match(normalized_name(name) + " "))


def has_application_form(record: Dict[str, str]) -> bool:
    return any(is_application_form(name) for name in document_names(record))


def states_fee(record: Dict[str, str]) -> bool:
    return any(row.amounts for row in method_rows(record))


def has_time_without_unit(record: Dict[str, str]) -> bool:
    return any(row.time_without_unit for row in method_rows(record))


def expired_reductions(record: Dict[str, str], today: dt.date) -> List[Reduction]:
    found = []
    for row in method_rows(record):
        for match in _END_DATE_RE.finditer(row.text):
            day, month, year = (int(g) for g in (match.groups()[:3] if match.group(1) else match.groups()[3:]))
            try:
                ends = dt.date(year, month, day)
            except ValueError:  # a malformed date is not a known end
                continue
            if ends >= today:
                continue
            clause = _clause(row.text, match.start(), match.end())
            bracket = _enclosing_bracket(row.text, match.start(), match.end())
            if _EXEMPTION_RE.search(bracket if bracket and len(bracket) < len(clause) else clause):
                found.append(Reduction(row.channel, ends, clause, exemption=True))
                continue
            elsewhere = row.text.replace(clause, " ")
            amounts = _all_amounts(clause) - _all_amounts(elsewhere) - {row.fee_cell_amount}
            found.append(Reduction(row.channel, ends, clause, amounts=amounts))
    return found


def _enclosing_bracket(text: str, start: int, end: int) -> Optional[str]:
    """The innermost "(...)" around text[start:end] (to its end when it is never closed), or None."""
    depth = 0
    for opening in range(start - 1, -1, -1):
        if text[opening] == ")":
            depth += 1
        elif text[opening] == "(":
            if depth == 0:
                break
            depth -= 1
    else:
        return None
    depth = 0
    for closing in range(end, len(text)):
        if text[closing] == "(":
            depth += 1
        elif text[closing] == ")":
            if depth == 0:
                return text[opening: closing + 1]
            depth -= 1
    return text[opening:]


def _clause(text: str, start: int, end: int) -> str:
    begins = [m.end() for m in _CLAUSE_START_RE.finditer(text, 0, start)]
    stop = _CLAUSE_END_RE.search(text, end)
    return text[begins[-1] if begins else 0: stop.start() if stop else len(text)]


def _all_amounts(text: str) -> Set[int]:
    values = {_value(m.group(1)) for m in _AMOUNT_RE.finditer(text)}
    values |= {_value(m.group(1)) for m in _BARE_AMOUNT_RE.finditer(text)}
    return {v for v in values if v > 0}


# --- answers ------------------------------------------------------------------------------
def first_listed_item(answer: str) -> Optional[str]:
    """The first bulleted or numbered line of an answer, without its mark."""
    for line in answer.splitlines():
        match = _LISTED_RE.match(line)
        if match:
            return match.group(1)
    return None


def lists_form_first(answer: str) -> bool:
    item = first_listed_item(answer)
    return item is not None and is_application_form(item)


def _channels_named(text: str) -> Set[str]:
    lowered = text.lower()
    return {channel for label, channel in _ANSWER_CHANNELS.items() if label in lowered}


def says_free_despite_fee(record: Dict[str, str], answer: str) -> bool:
    """A line says "miễn phí" as the fee of a channel (or of all, when it names none) whose raw row states an amount."""
    charged = {row.channel for row in method_rows(record) if row.amounts}
    if not charged:
        return False
    for line in answer.splitlines():
        match = _SAYS_FREE_RE.search(line)
        if match and _STATED_AMOUNT_RE.search(line[: match.start()]):
            continue  # the line states the amount first; the "miễn ..." after it is an exemption note
        if match:
            named = _channels_named(line[: match.start()])
            if not named or named & charged:
                return True
    return False


def _has_explanation(answer: str) -> bool:
    if _SAME_DAY_RE.search(answer):
        return True
    return bool(_NO_UNIT_RE.search(answer)) and bool(_WHERE_TO_ASK_RE.search(answer))


def _time_numbers(answer: str) -> Iterator[bool]:
    """For every number of the answer that could be a time: whether a unit follows it."""
    for line in answer.splitlines():
        line = _NOT_A_TIME_RE.sub(" ", _CODE_HEAD_RE.sub("", _URL_RE.sub(" ", line)))
        for match in _NUMBER_RE.finditer(line):
            yield bool(_UNIT_AFTER_RE.match(line, match.end()))


def time_without_unit(record: Dict[str, str], answer: str) -> bool:
    """The time answer gives neither a unit nor an explanation.

    Flagged when the answer says the portal gives no unit without saying where
    to ask; or when the raw record has a time without a unit and the answer,
    without a same-day or where-to-ask explanation, shows a number without a
    unit or no time with a unit at all.
    """
    if _NO_UNIT_RE.search(answer) and not _WHERE_TO_ASK_RE.search(answer):
        return True
    if not has_time_without_unit(record) or _has_explanation(answer):
        return False
    numbers = list(_time_numbers(answer))
    return not numbers or not all(numbers)


def _shown(pattern: re.Pattern, answer: str) -> bool:
    return any(pattern.search(line) and not _ENDED_RE.search(line) for line in answer.splitlines())


def _amount_pattern(value: int) -> re.Pattern:
    dotted = f"{value:,}"
    forms = {dotted, dotted.replace(",", "."), str(value)}
    return re.compile(r"(?<![\d.,])(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\d|[.,]\d)")


def _says_free_for(channel: str, answer: str) -> bool:
    for line in answer.splitlines():
        match = _SAYS_FREE_RE.search(line)
        if match and not _ENDED_RE.search(line):
            named = _channels_named(line[: match.start()])
            if not named or channel in named:
                return True
    return False


def expired_reduction_shown(record: Dict[str, str], answer: str, today: dt.date) -> bool:
    """An ended reduction is shown as current: on a line that does not say it has ended, the answer
    shows its end date or its reduced amount, or (an ended exemption) says "miễn phí" for its channel."""
    for reduction in expired_reductions(record, today):
        end = reduction.ends
        date = re.compile(
            rf"(?<!\d)0?{end.day}\s*/\s*0?{end.month}\s*/\s*{end.year}|ngày 0?{end.day} tháng 0?{end.month} năm {end.year}"
        )
        if _shown(date, answer) or any(_shown(_amount_pattern(v), answer) for v in reduction.amounts):
            return True
        if reduction.exemption and _says_free_for(reduction.channel, answer):
            return True
    return False
