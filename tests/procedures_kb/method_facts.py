"""What a method row says about its fee and its processing time, read the same way in both catalogues.

A fee reads as an amount ("135.000 đồng", "10 USD"), free, set by a regulation
that states no amount, or not given. The amount column comes first; when it
says "Miễn phí" (or nothing) an amount stated in the note is the fee (the
portal's driving-licence rows: "Lệ phí ...: 135.000 đồng/lần"), and a note
that cites a regulation or the provincial council without an amount makes the
fee "set by regulation". Optional extras ("phí cấp bản sao ... nếu có yêu
cầu") do not count.

A time reads as (value, unit); a unit missing from the time cell may be
supported by the record's own text ("03 ngày làm việc", or "trong ngày" for
one day).
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import List, Optional, Set, Tuple

from procedures_kb.records import TIME_UNIT_LABELS, MethodRecord
from vietnamese.folding import nfc

FEE_FREE = "miễn phí"
FEE_REGULATION = "theo quy định (không ghi mức)"
FEE_UNKNOWN = "không có thông tin"

_AMOUNT_RE = re.compile(
    r"(?<![\d/.,])(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(Việt Nam Đồng|đồng|VNĐ|VND|đ|USD)(?!\w)", re.IGNORECASE
)
_BARE_AMOUNT_RE = re.compile(r"(?<![\d/.,])\d{1,3}(?:[.,]\d{3})+(?![\d/])")
_REGULATION_RE = re.compile(
    r"thông tư|nghị định|nghị quyết|luật phí|hội đồng nhân dân|hđnd|theo quy định", re.IGNORECASE
)
# "Phí cấp bản sao ... (nếu có yêu cầu) theo Thông tư ...": an optional extra, not the procedure's fee.
_OPTIONAL_COPY_RE = re.compile(r"bản sao.*nếu (?:có )?yêu cầu", re.IGNORECASE)
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.;])\s+|\s+(?=- )")
_UNIT_WORDS = {
    "working_day": r"ngày làm việc",
    "day": r"ngày(?! làm việc)",
    "hour": r"giờ(?: làm việc)?",
    "month": r"tháng",
    "year": r"năm",
}
_DURATION_RE = re.compile(
    r"(?<![\d/])(\d+)\s*(ngày làm việc|ngày|giờ làm việc|giờ|tháng|năm)(?!\w)", re.IGNORECASE
)
_SAME_DAY_RE = re.compile(r"\btrong ngày\b|\bngay trong ngày\b", re.IGNORECASE)


def money(amount: Decimal, currency: Optional[str]) -> str:
    return f"{int(amount):,}".replace(",", ".") + (" USD" if currency == "USD" else " đồng")


def _amount_value(digits: str) -> Decimal:
    return Decimal(re.sub(r"[.,]", "", digits))


def _fee_sentences(note: str) -> List[str]:
    """The note's sentences about the procedure's own fee (optional copy fees left out)."""
    return [s for s in _SENTENCE_SPLIT_RE.split(nfc(note)) if s.strip() and not _OPTIONAL_COPY_RE.search(s)]


def amounts_in(text: Optional[str]) -> List[Tuple[Decimal, str]]:
    """Amounts with a currency a text states, in order: [(135000, "VND"), (10, "USD")]."""
    found = []
    for match in _AMOUNT_RE.finditer(nfc(text or "")):
        currency = "USD" if match.group(2).upper() == "USD" else "VND"
        found.append((_amount_value(match.group(1)), currency))
    return found


def fee_fact(method: MethodRecord) -> str:
    """What a method row says the fee is: "135.000 đồng", "10 USD", FEE_FREE, FEE_REGULATION or FEE_UNKNOWN.

    The same reading applies to both catalogues: the amount column first; when
    it says free (or nothing), an amount stated in the note is the fee; a note
    that cites a regulation or the provincial council without an amount means
    the fee is set by regulation.
    """
    if method.fee_amount is not None and method.fee_amount > 0:
        return money(method.fee_amount, method.fee_currency)
    sentences = _fee_sentences(" ".join(t for t in (method.fee_note, raw_fee_text(method)) if t))
    stated = amounts_in(" ".join(sentences))
    if stated:
        return money(*stated[0])
    if any(_REGULATION_RE.search(s) for s in sentences):
        return FEE_REGULATION
    if method.fee_is_free:
        return FEE_FREE
    return FEE_UNKNOWN


def raw_fee_text(method: MethodRecord) -> Optional[str]:
    """A curated fee_text given instead of an amount (the national raw cell repeats the note)."""
    if method.fee_amount is None and method.fee_raw and method.fee_raw != method.fee_note:
        return method.fee_raw
    return None


def amount_values(text: str) -> Set[Decimal]:
    values = {amount for amount, _ in amounts_in(text)}
    values.update(_amount_value(m.group(0)) for m in _BARE_AMOUNT_RE.finditer(text))
    return values


def time_of(method: MethodRecord) -> Optional[Tuple[Decimal, Optional[str]]]:
    if method.time_value is None:
        return None
    return (method.time_value.normalize(), method.time_unit)


def time_label(time: Optional[Tuple[Decimal, Optional[str]]]) -> str:
    if time is None:
        return "không ghi"
    value, unit = time
    number = f"{value:f}"
    return f"{number} {TIME_UNIT_LABELS[unit]}" if unit else f"{number} (không đơn vị)"


def _states_duration(text: str, value: Decimal, unit: str) -> bool:
    """True when `text` states `value` `unit` ("03 ngày làm việc"), or a same-day rule for one day."""
    pattern = r"(?<![\d/])0*" + re.escape(f"{value:f}") + r"\s*" + _UNIT_WORDS[unit] + r"(?!\w)"
    if re.search(pattern, text, re.IGNORECASE):
        return True
    return value == 1 and unit in ("working_day", "day") and _SAME_DAY_RE.search(text) is not None


def times_match(curated: Optional[Tuple], national: Optional[Tuple], national_text: str) -> bool:
    if curated is None or national is None:
        return curated == national
    if curated[0] != national[0]:
        return False
    if national[1] is not None or curated[1] is None:
        return curated[1] == national[1]
    return _states_duration(national_text, curated[0], curated[1])


def durations(text: str) -> List[str]:
    """Durations a text states, as written ("05 ngày làm việc", "trong ngày")."""
    found = [m.group(0) for m in _DURATION_RE.finditer(text)]
    if _SAME_DAY_RE.search(text):
        found.append("trong ngày")
    return found


def duration_stated(mention: str, national_text: str) -> bool:
    if mention == "trong ngày":
        return _SAME_DAY_RE.search(national_text) is not None
    match = _DURATION_RE.fullmatch(mention)
    assert match is not None
    label = match.group(2).lower()
    unit = {"ngày làm việc": "working_day", "ngày": "day", "giờ làm việc": "hour", "giờ": "hour",
            "tháng": "month", "năm": "year"}[label]
    return _states_duration(national_text, Decimal(match.group(1)), unit)
