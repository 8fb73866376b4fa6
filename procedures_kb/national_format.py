"""Parser for the national portal's records (one JSON object per line).

The portal's tables arrive flattened: cell boundaries are lost. The functions
here recover rows from the text, keep the raw text beside every parsed value,
and never invent a value they cannot read (a time without its unit keeps the
number and leaves the unit empty).
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Dict, List, Optional, Tuple

from procedures_kb.records import (
    CHANNEL_IN_PERSON,
    CHANNEL_ONLINE,
    CHANNEL_POSTAL,
    CaseRecord,
    DocumentRecord,
    LegalBasisRecord,
    MethodRecord,
    ProcedureRecord,
    RecordError,
    RelatedRecord,
)

NO_INFO = "Không có thông tin"
METHODS_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOCUMENTS_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"

REQUIRED_FIELDS = ("ma_thu_tuc", "ten_thu_tuc")
CODE_RE = re.compile(r"^\d\.\d{6}(\.[0-9A-Za-z.]+)?$")

_CHANNELS = {
    "Trực tuyến": CHANNEL_ONLINE,
    "Trực tiếp": CHANNEL_IN_PERSON,
    "Dịch vụ bưu chính": CHANNEL_POSTAL,
}
_CHANNEL_SPLIT_RE = re.compile(
    r"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=\s*(?:\d|Không|Miễn phí|Theo|Trong|Tối đa))"
)
_UNITS = [
    ("Ngày làm việc", "working_day"),
    ("ngày làm việc", "working_day"),
    ("Giờ làm việc", "hour"),
    ("giờ làm việc", "hour"),
    ("Ngày", "day"),
    ("ngày", "day"),
    ("Giờ", "hour"),
    ("giờ", "hour"),
    ("Tháng", "month"),
    ("tháng", "month"),
    ("Năm", "year"),
    ("năm", "year"),
]
_TIME_WITH_UNIT_RE = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(" + "|".join(re.escape(u) for u, _ in _UNITS) + r")"
)
_CURRENCY_RE = r"(Việt Nam Đồng|VNĐ|VND|Đồng|đồng|USD)"
_AMOUNT_RE = re.compile(r"(\d{1,3}(?:[,.]\d{3})+|\d+)\s*" + _CURRENCY_RE)
_COUNT_RE = re.compile(
    r"(?P<orig>\d+)\s*bản chính(?:\s*,\s*(?P<copy1>\d+)\s*bản sao)?|(?P<copy2>\d+)\s*bản sao"
)
_FORM_EXT_RE = re.compile(r"\.(docx|doc|pdf|xlsx|xls|rar|zip|odt)$", re.IGNORECASE)
_LEGAL_SEGMENT = r"(?:QH\d{1,2}|TTg|[0-9A-ZĐ]+?)"
_LEGAL_NUMBER_RE = re.compile(
    r"(?:(?:Luật|Nghị định|Thông tư(?: liên tịch)?|Quyết định|Nghị quyết|Văn bản hợp nhất)"
    r"(?: số)?\s*)?\d+(?:\.\d+)?(?:/\d{4})?/" + _LEGAL_SEGMENT + r"(?:[-–]" + _LEGAL_SEGMENT + r")*?"
    r"(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ]|\s|$|[;,.)\]]|\d{1,4}/)"
)
_RESULT_END_RE = re.compile(r"Mã: KQ|Từ khóa|Chọn cơ quan thực hiện|Mô tảKhông có thông tin")
_STEP_SPLIT_RE = re.compile(r"\n+|(?<=[.;:])\s*(?=(?:Bước\s*\d+|- |\+ ))")


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")


def without_controls(text: str) -> str:
    """`text` without control characters (NUL cannot be stored by PostgreSQL) and zero-width marks."""
    return _CONTROL_RE.sub("", text)


def clean(value: Optional[str]) -> Optional[str]:
    """Collapse whitespace, drop control characters; the portal's 'no information' marker becomes None."""
    if value is None:
        return None
    text = re.sub(r"[ \t\r\f\v]+", " ", without_controls(unicodedata.normalize("NFC", str(value)))).strip()
    if not text or text == NO_INFO:
        return None
    return text


def split_list(value: Optional[str]) -> List[str]:
    text = clean(value)
    if not text:
        return []
    return [part.strip() for part in text.split(",") if part.strip()]


def _decimal(text: str) -> Optional[Decimal]:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _amount(text: str) -> Optional[Decimal]:
    digits = re.sub(r"[,.](?=\d{3}(?:\D|$))", "", text)
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _currency(label: str) -> str:
    return "USD" if label == "USD" else "VND"


def _split_unitless_time(rest: str) -> Tuple[Optional[str], str]:
    """Leading digits without a unit: the time, where the fee starts after it.

    "1Miễn phí" → ("1", "Miễn phí"). When a fee amount follows directly
    ("120,000 VNĐ") the boundary is chosen so that the fee keeps a valid
    thousands grouping and is a plausible amount (0 or at least 1,000).
    """
    match = re.match(r"\d+", rest)
    if not match:
        return None, rest
    digits = match.group(0)
    after = rest[match.end():]
    fee_follows = re.match(r"(?:[,.]\d{3})*\s*" + _CURRENCY_RE, after)
    if not fee_follows:
        return digits, after
    candidates = []
    for cut in range(1, len(digits)):
        time_part, fee_head = digits[:cut], digits[cut:]
        if fee_head.startswith("0") and fee_head != "0":
            continue
        fee_digits = fee_head + re.sub(r"\D", "", after[: fee_follows.end()])
        amount = int(fee_digits) if fee_digits else 0
        grouped_ok = len(fee_head) <= 3 or not re.match(r"[,.]\d{3}", after)
        if not grouped_ok:
            continue
        plausible = amount == 0 or amount >= 1000
        candidates.append((not plausible, cut, time_part, fee_head + after))
    if not candidates:
        return None, rest
    candidates.sort()
    _, _, time_part, fee_text = candidates[0]
    return time_part, fee_text


def parse_time(rest: str) -> Tuple[Optional[Decimal], Optional[str], Optional[str], str]:
    """Return (value, unit, raw, remaining text) for a method row's time cell."""
    rest = rest.lstrip()
    if rest.startswith(NO_INFO):
        return None, None, NO_INFO, rest[len(NO_INFO):]
    match = _TIME_WITH_UNIT_RE.match(rest)
    if match:
        unit = dict(_UNITS)[match.group(2)]
        return _decimal(match.group(1)), unit, match.group(0), rest[match.end():]
    digits, remaining = _split_unitless_time(rest)
    if digits is not None:
        return _decimal(digits), None, digits, remaining
    fee_start = re.search(r"Miễn phí|" + NO_INFO + r"|" + _AMOUNT_RE.pattern, rest)
    if fee_start and fee_start.start() > 0:
        return None, None, clean(rest[:fee_start.start()]), rest[fee_start.start():]
    return None, None, None, rest


def parse_fee(rest: str) -> Tuple[Dict[str, object], str]:
    """Read the fee cell at the start of ``rest``; return it and what follows."""
    rest = rest.lstrip()
    fee: Dict[str, object] = {
        "fee_amount": None,
        "fee_currency": None,
        "fee_is_free": None,
        "fee_raw": None,
        "fee_note": None,
    }
    if rest.startswith("Miễn phí"):
        fee.update(fee_is_free=True, fee_raw="Miễn phí", fee_amount=Decimal(0))
        rest = rest[len("Miễn phí"):]
    elif rest.startswith(NO_INFO):
        fee.update(fee_raw=NO_INFO)
        rest = rest[len(NO_INFO):]
    else:
        match = _AMOUNT_RE.match(rest)
        if match:
            amount = _amount(match.group(1))
            fee.update(
                fee_amount=amount,
                fee_currency=_currency(match.group(2)),
                fee_is_free=amount == 0,
                fee_raw=match.group(0),
            )
            rest = rest[match.end():]
    if rest.startswith("("):
        note, rest = _take_bracket(rest)
        fee["fee_note"] = clean(note)
        if fee["fee_raw"]:
            fee["fee_raw"] = f"{fee['fee_raw']} ({fee['fee_note']})" if fee["fee_note"] else fee["fee_raw"]
    return fee, rest


_ENUMERATED_NOTE_RE = re.compile(r"\(\s*[a-zđ0-9]{1,2}\)\s")


def _take_bracket(text: str) -> Tuple[str, str]:
    """The bracketed note at the start of `text` and what follows it.

    A note that opens with an enumerator ("(a) ... b) ...)") has closers that are
    not brackets: "a)" and "b)" after a space or the opening bracket are skipped.
    """
    enumerated = bool(_ENUMERATED_NOTE_RE.match(text))
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            if enumerated and index >= 2 and text[index - 1].isalnum() and text[index - 2] in " (":
                continue
            depth -= 1
            if depth == 0:
                return text[1:index], text[index + 1:]
    return text[1:], ""


def parse_methods(text: Optional[str]) -> List[MethodRecord]:
    body = clean(text)
    if not body:
        return []
    if body.startswith(METHODS_HEADER):
        body = body[len(METHODS_HEADER):]
    parts = _CHANNEL_SPLIT_RE.split(body)
    methods: List[MethodRecord] = []
    for index in range(1, len(parts), 2):
        channel = _CHANNELS[parts[index]]
        time_value, time_unit, time_raw, rest = parse_time(parts[index + 1])
        fee, rest = parse_fee(rest)
        methods.append(
            MethodRecord(
                channel=channel,
                time_value=time_value,
                time_unit=time_unit,
                time_raw=time_raw,
                description=clean(rest),
                **fee,
            )
        )
    return methods


def _form_boundaries(text: str) -> List[int]:
    """Positions where a glued-on file name may start.

    After a delimiter with no space (";Mau01.docx"), or at a case change with
    no space: "...nghịMẫu số 01.docx" (lower → Upper) or "...NĐ-CPMẫu số
    01.docx" (an acronym's last capital, then a capitalised word).
    """
    positions = []
    for i in range(1, len(text) - 1):
        before, here, after = text[i - 1], text[i], text[i + 1]
        if before in ".;:)" and not here.isspace():
            positions.append(i)
        elif here.isupper() and before.islower() and not after.isspace():
            positions.append(i)
        elif here.isupper() and before.isupper() and after.islower():
            positions.append(i)
    return positions


def _split_form(name_text: str) -> Tuple[str, Optional[str]]:
    """Separate a trailing form file name ("...theo mẫu;Mẫu số 01.docx")."""
    text = name_text.strip()
    if not _FORM_EXT_RE.search(text):
        return text, None
    # File names are short: take the earliest boundary within the last 90 characters.
    for position in _form_boundaries(text):
        form = text[position:].strip(" .;:")
        name = text[:position].strip()
        if len(form) >= 5 and len(text) - position <= 90 and name:
            return name, form
    return text, None


def _case_title(text: str) -> Optional[str]:
    title = re.sub(r"^[\s\-–*:•]+|[\s\-–*:•]+$", "", text or "")
    return title or None


def parse_documents(text: Optional[str]) -> List[CaseRecord]:
    body = clean(text)
    if not body or DOCUMENTS_HEADER not in body:
        return []
    sections = body.split(DOCUMENTS_HEADER)
    pending_title = _case_title(sections[0])
    cases: List[CaseRecord] = []
    for section in sections[1:]:
        case = CaseRecord(title=pending_title)
        position = 0
        for match in _COUNT_RE.finditer(section):
            number = match.group("orig") or match.group("copy2") or ""
            following = section[match.end():match.end() + 2]
            if len(number) > 1 and number.startswith("0") and following[:1] == " " and following[1:].islower():
                # "01 bản sao có chứng thực ..." opens a name (a count is followed directly by
                # the next name, capitalised, or by a digit or the end of the table).
                continue
            entry = section[position:match.start()]
            position = match.end()
            orig_text = match.group("orig") or "0"
            if len(orig_text) > 1 and int(orig_text) > 20:
                # "Mẫu số 18" + "1 bản chính" flattened into "181 bản chính".
                entry, orig_text = entry + orig_text[:-1], orig_text[-1]
            name, form = _split_form(entry)
            name = re.sub(r"^[\s,;.\-–+*•]+", "", name).strip()
            if not name:
                continue
            originals = int(orig_text)
            copies = int(match.group("copy1") or match.group("copy2") or 0)
            kind = "document" if originals + copies > 0 else "note"
            case.documents.append(
                DocumentRecord(
                    name=name, originals=originals, copies=copies, form_name=form, kind=kind
                )
            )
        pending_title = _case_title(section[position:])
        if case.documents:
            cases.append(case)
    return cases


def parse_legal_bases(text: Optional[str]) -> List[LegalBasisRecord]:
    body = clean(text)
    if not body:
        return []
    if body.startswith(LEGAL_HEADER):
        body = body[len(LEGAL_HEADER):]
    bases: List[LegalBasisRecord] = []
    start = 0
    for match in _LEGAL_NUMBER_RE.finditer(body):
        after = body[match.end():match.end() + 2]
        is_column = after == "" or re.match(r"\s?[A-ZĐÀ-Ỹ]", after) is not None
        if not is_column:
            continue
        title = body[start:match.start()].strip(" ;,.")
        bases.append(LegalBasisRecord(number=match.group(0).strip(), title=title or None))
        start = match.end()
    tail = body[start:].strip(" ;,.")
    if tail:
        bases.append(LegalBasisRecord(number=None, title=tail))
    return bases


def parse_result(text: Optional[str]) -> Optional[str]:
    body = clean(text)
    if not body:
        return None
    match = _RESULT_END_RE.search(body)
    if match:
        body = body[:match.start()]
    return clean(body)


def parse_steps(text: Optional[str]) -> List[str]:
    if not text or clean(text) is None:
        return []
    steps = []
    for part in _STEP_SPLIT_RE.split(without_controls(unicodedata.normalize("NFC", text))):
        part = clean(part)
        if part and len(part) > 2:
            steps.append(part)
    return steps


def parse_related(text: Optional[str]) -> List[RelatedRecord]:
    body = clean(text)
    if not body:
        return []
    codes = re.findall(r"\d\.\d{6}", body)
    if not codes:
        return [RelatedRecord(related_code=None, name=body)]
    return [RelatedRecord(related_code=code, name=None) for code in dict.fromkeys(codes)]


def parse_record(raw: Dict[str, object], where: str = "") -> ProcedureRecord:
    """Turn one portal record into a ProcedureRecord or raise RecordError."""
    if not isinstance(raw, dict):
        raise RecordError(f"{where}: bản ghi không phải đối tượng JSON")
    missing = [name for name in REQUIRED_FIELDS if not clean(raw.get(name))]  # type: ignore[arg-type]
    if missing:
        raise RecordError(f"{where}: thiếu trường bắt buộc {', '.join(missing)}")
    for key, value in raw.items():
        if value is not None and not isinstance(value, str):
            raise RecordError(f"{where}: trường {key} phải là chuỗi")
    code = clean(raw["ma_thu_tuc"])  # type: ignore[arg-type]
    assert code is not None
    if not CODE_RE.match(code):
        raise RecordError(f"{where}: mã thủ tục không hợp lệ {code!r}")
    get = lambda key: raw.get(key)  # noqa: E731
    return ProcedureRecord(
        code=code,
        name=clean(get("ten_thu_tuc")) or code,
        source="national",
        decision_number=clean(get("so_quyet_dinh")),
        levels=split_list(get("cap_thuc_hien")),
        field=clean(get("linh_vuc")),
        procedure_type=clean(get("loai_thu_tuc")),
        target_groups=split_list(get("doi_tuong_thuc_hien")),
        implementing_agency=clean(get("co_quan_thuc_hien")),
        competent_agency=clean(get("co_quan_co_tham_quyen")),
        authorized_agency=clean(get("co_quan_duoc_uy_quyen")),
        coordinating_agency=clean(get("co_quan_phoi_hop")),
        receiving_address=clean(get("dia_chi_tiep_nhan")),
        steps_text=clean(get("trinh_tu_thuc_hien")),
        steps=parse_steps(get("trinh_tu_thuc_hien")),  # type: ignore[arg-type]
        conditions_text=clean(get("yeu_cau_dieu_kien")),
        result_text=parse_result(get("ket_qua_xu_ly")),  # type: ignore[arg-type]
        source_url=clean(get("detail_url")),
        source_group=clean(get("_source_group")),
        methods=parse_methods(get("cach_thuc_thuc_hien")),  # type: ignore[arg-type]
        cases=parse_documents(get("thanh_phan_ho_so")),  # type: ignore[arg-type]
        legal_bases=parse_legal_bases(get("can_cu_phap_ly")),  # type: ignore[arg-type]
        related=parse_related(get("thu_tuc_lien_quan")),  # type: ignore[arg-type]
    )
