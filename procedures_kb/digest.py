"""The digest of a procedure: what an answer says first, computed once per import.

The national record lists documents in legal order, hides fees in notes and
leaves times without units. `build(procedure)` reads a procedure (its facts
as imported, and the curated lead when the project's catalogue has one) and
returns a `Digest`:

* documents split, per case (trường hợp), into the essentials everyone
  brings (application form first, then the core proofs), the conditional
  ones with their condition ("Trường hợp ...", "nếu có", "đối với ..."), and
  the papers only shown (xuất trình); count-0 notes are never documents;
* forms as "Mẫu <số>" labels;
* fees per channel: amounts stated in the note even when the fee column says
  "Miễn phí", the regulation when only one is cited, time-limited reductions
  with their dates (applied at answer time, see `procedures_kb.fees`);
* times with their unit, from the time cell or from the record's own text
  (a same-day rule, "N ngày làm việc" in the steps), or an explicit "no unit";
* a short title (≤ 80 characters) and the portal page.

Nothing is invented: every value comes from the record; what cannot be read
is flagged as a doubt for the answer to say. The digest is stored as JSON in
`procedures.digest` (`to_json` / `from_json`); `of(procedure)` rebuilds it
when the stored one is missing or from an older `DIGEST_VERSION`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, Dict, Iterable, List, Optional, Tuple

from procedures_kb.records import CHANNELS

DIGEST_VERSION = 2
MAX_TITLE_CHARS = 80

# --- documents -------------------------------------------------------------------------------

_BULLET_RE = re.compile(r"^(?:[\s\-–+*•·.]+|[a-zđ]\)\s*|\d{1,2}[.)]\s+|\((?:[ivx]{1,4}|\d{1,2}|[a-zđ])\)\s*)+", re.IGNORECASE)
_FORM_START_RE = re.compile(
    r"^(?:\d{1,2}\s+)?(?:tờ khai|đơn(?! vị| giá| hàng)|phiếu (?:đề nghị|yêu cầu|đăng ký|khai|thông tin|đề xuất)|"
    r"giấy đề nghị|văn bản đề nghị|bản khai|bản đăng ký|đề nghị|văn bản yêu cầu|giấy đăng ký|"
    r"tờ trình đề nghị|bản đề nghị)\b",
    re.IGNORECASE,
)
_SECONDARY_FORM_RE = re.compile(r"^(?:\d{1,2}\s+)?(?:mẫu|thông báo|văn bản thông báo|tờ trình)\b|\btheo mẫu\b", re.IGNORECASE)
_NOT_A_DOCUMENT_RE = re.compile(r"^(?:số lượng hồ sơ|số bộ hồ sơ)\b", re.IGNORECASE)
_CONDITION_START_RE = re.compile(
    r"^(?:trong trường hợp|với trường hợp|trường hợp|đối với|nếu|riêng|khi|ngoài ra)\b", re.IGNORECASE
)
_CONDITION_INSIDE_RE = re.compile(
    r"\((?:nếu[^)]*|chỉ (?:với|khi|cần|áp dụng)[^)]*|đối với[^)]*|trường hợp[^)]*|trong trường hợp[^)]*"
    r"|khi (?:làm|nộp|đề nghị|là|có)[^)]*|(?:với |cho )?(?:người|trẻ) (?:dưới|chưa|mất|nước ngoài|được)[^)]*)\)"
    r"|\bnếu có\b|\btrong trường hợp\b[^;.]*|\bđối với (?:trường hợp|người|tổ chức|cá nhân)\b[^;.]*"
    r"|\bchỉ (?:với|áp dụng|cần)\b[^;.]*",
    re.IGNORECASE,
)
_PRESENT_RE = re.compile(r"xuất trình", re.IGNORECASE)
_FORM_CODE_RE = re.compile(
    r"\b(?:mẫu|mau|mu)\s*(?:số\s*|so\s*)?([A-ZĐ]{0,5}\s?\d{1,3}[a-z]?(?:[/\-][A-ZĐ0-9\-]{1,12})?|[A-ZĐ]{1,5}\d{0,3}[a-z]?)"
    r"(?![\w])",
    re.IGNORECASE,
)
_LEGAL_TAIL_RE = re.compile(
    r"\s*[(,]?\s*(?:được\s+)?(?:quy định\s+)?(?:ban hành\s+)?(?:kèm theo|tại|theo quy định tại)\s+"
    r"(?:(?:Phụ lục|phụ lục|Điều|khoản|điểm)\s+[^\s,;()]+\s*(?:(?:ban hành\s+)?kèm theo\s+)?)*"
    r"(?:Thông tư|Nghị định|Quyết định|Luật|Nghị quyết)\b[^;()]*\)?",
)
_SENTENCE_END_RE = re.compile(r"(?<=[a-zà-ỹđ)])\.\s+(?=[A-ZĐÀ-Ỹ])")


@dataclass
class DocumentItem:
    """One document to bring. `count` is "1 bản chính, 1 bản sao" (empty when the record gives none)."""

    name: str  # the record's full name (answers shorten it with plain_name)
    count: str = ""
    form: Optional[str] = None  # "Mẫu TK01" when the record names or attaches a form
    is_form: bool = False  # the application form / tờ khai / đơn
    condition: Optional[str] = None  # None: everyone brings it


@dataclass
class CaseDigest:
    """The documents of one case (trường hợp); `title` None when the record has a single list."""

    title: Optional[str] = None
    essentials: List[DocumentItem] = field(default_factory=list)
    conditional: List[DocumentItem] = field(default_factory=list)
    present: List[DocumentItem] = field(default_factory=list)  # shown at the desk, not submitted

    def conditions(self) -> List[str]:
        """The distinct conditions, in order of first appearance."""
        return list(dict.fromkeys(item.condition or "" for item in self.conditional))


@dataclass
class FormRef:
    label: str  # "Mẫu TK01"
    document: str  # the document it is for (plain name)


# --- fees ------------------------------------------------------------------------------------

_CURRENCY = r"(?:Việt Nam Đồng|VNĐ|VND|vnđ|đồng|Đồng|đ(?![a-zà-ỹ])|USD)"
_AMOUNT_RE = re.compile(
    r"(?<![\d/.,])(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(" + _CURRENCY + r")"
    r"(\s*/\s*[^\s.,;()0-9]+(?:\s+[^\s.,;()0-9:]+){0,3})?"
)
_BARE_PER_UNIT_RE = re.compile(r"(?<![\d/.,])(\d{1,3}(?:\.\d{3})+)\s*(/\s*[^\s.,;()0-9]+(?:\s+[^\s.,;()0-9:]+){0,2})")
_PERCENT_RE = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%")
_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{2,4})"
_UNTIL_RE = re.compile(r"(?:đến hết ngày|đến ngày|đến hết|đến)\s*" + _DATE, re.IGNORECASE)
_UNTIL_LOOSE_RE = re.compile(r"(?:đến hết ngày|đến ngày)\s*([0-9/.\s]{4,12})", re.IGNORECASE)
_FROM_RE = re.compile(r"(?:kể từ ngày|từ ngày)\s*" + _DATE, re.IGNORECASE)
_REGULATION_RE = re.compile(
    r"(?:Thông tư(?: liên tịch)?|Nghị quyết|Nghị định|Quyết định)(?: số)?\s*\d+/\d{4}/[A-ZĐ0-9\-]+", re.IGNORECASE
)
_LOCAL_REGULATION_RE = re.compile(r"HĐND|Hội đồng nhân dân", re.IGNORECASE)
_FEE_WORD_RE = re.compile(r"\b(?:phí|lệ phí|mức thu|quy định)\b", re.IGNORECASE)
_CLAUSE_SPLIT_RE = re.compile(r"(?:^|\s)[-+•]\s+|(?<=;)\s*|(?<=\.)\s+(?=[-+A-ZĐÀ-Ỹ])")
_FEE_TALK_RE = re.compile(r"phí|mức thu|\bthu\b|miễn|giảm|đồng|\bnộp\b.*\bkhông\b|không phải nộp|HĐND|Hội đồng", re.IGNORECASE)


@dataclass
class FeeAmount:
    amount: int  # in `currency` units (VND: đồng)
    currency: str = "VND"
    until: Optional[str] = None  # ISO date: the note says this rate applies only until then
    per: Optional[str] = None  # "lần", "hộ chiếu"
    label: Optional[str] = None  # what it is for, from the note ("Lệ phí cấp giấy phép lái xe")


@dataclass
class Reduction:
    """A time-limited rate: applies from `start` to `end` (ISO dates; `end` None when unreadable)."""

    text: str  # the clause, whitespace-collapsed
    end: Optional[str] = None
    end_raw: Optional[str] = None
    start: Optional[str] = None
    amounts: List[FeeAmount] = field(default_factory=list)
    percent: Optional[float] = None  # "bằng 50% mức thu" → 50.0


@dataclass
class FeeDigest:
    """The fee of one channel. `kind`: amount | free | regulation | unknown."""

    channel: str
    kind: str
    amounts: List[FeeAmount] = field(default_factory=list)
    regulation: Optional[str] = None  # "Thông tư số 85/2019/TT-BTC", "Nghị quyết của HĐND tỉnh"
    reductions: List[Reduction] = field(default_factory=list)
    note: Optional[str] = None  # what else the note says (no amounts, no reductions)
    free_in_column: bool = False  # the fee column says "Miễn phí" although an amount or regulation applies
    doubts: List[str] = field(default_factory=list)


# --- times -----------------------------------------------------------------------------------

_SAME_DAY_RE = re.compile(r"(?:ngay\s+)?trong ngày(?! làm việc tiếp theo)|ngay trong ngày|giải quyết ngay", re.IGNORECASE)
_AFTER_HOUR_RE = re.compile(r"sau\s+(\d{1,2})\s*(?:giờ|h)\b[^.;]{0,80}?(?:ngày làm việc tiếp theo|ngày tiếp theo)", re.IGNORECASE)
_UNIT_WORDS = [
    ("ngày làm việc", "working_day"),
    ("giờ làm việc", "hour"),
    ("ngày", "day"),
    ("giờ", "hour"),
    ("tháng", "month"),
    ("năm", "year"),
]


@dataclass
class TimeDigest:
    """The processing time of one channel.

    `source`: cell (the time cell has a unit) | record (the unit is read from the
    record's own text) | same_day (a same-day rule in the record) | no_unit (a number
    with no unit anywhere) | none (no time given).
    """

    channel: str
    value: Optional[float] = None
    unit: Optional[str] = None  # records.TIME_UNITS
    source: str = "none"
    rule: Optional[str] = None  # "nộp sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo"
    raw: Optional[str] = None


@dataclass
class Digest:
    version: int
    title: str  # ≤ MAX_TITLE_CHARS, the head of every answer
    official_name: str
    cases: List[CaseDigest] = field(default_factory=list)
    forms: List[FormRef] = field(default_factory=list)
    fees: List[FeeDigest] = field(default_factory=list)
    times: List[TimeDigest] = field(default_factory=list)
    steps: List[str] = field(default_factory=list)  # numbering removed
    url: Optional[str] = None

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Digest":
        def items(raw: Iterable[Dict[str, Any]]) -> List[DocumentItem]:
            return [DocumentItem(**item) for item in raw or []]

        return cls(
            version=data["version"],
            title=data["title"],
            official_name=data["official_name"],
            cases=[
                CaseDigest(
                    title=c.get("title"),
                    essentials=items(c.get("essentials")),
                    conditional=items(c.get("conditional")),
                    present=items(c.get("present")),
                )
                for c in data.get("cases") or []
            ],
            forms=[FormRef(**f) for f in data.get("forms") or []],
            fees=[
                FeeDigest(
                    **{k: v for k, v in f.items() if k not in ("amounts", "reductions")},
                    amounts=[FeeAmount(**a) for a in f.get("amounts") or []],
                    reductions=[
                        Reduction(**{k: v for k, v in r.items() if k != "amounts"},
                                  amounts=[FeeAmount(**a) for a in r.get("amounts") or []])
                        for r in f.get("reductions") or []
                    ],
                )
                for f in data.get("fees") or []
            ],
            times=[TimeDigest(**t) for t in data.get("times") or []],
            steps=list(data.get("steps") or []),
            url=data.get("url"),
        )


# --- helpers ---------------------------------------------------------------------------------


def squash(text: Optional[str]) -> str:
    return " ".join((text or "").split())


def cut(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a word boundary with "…" (never mid-word)."""
    text = squash(text)
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:(-–") + "…"


def strip_bullet(text: str) -> str:
    return _BULLET_RE.sub("", squash(text)).strip()


def plain_name(name: str, limit: int = 140) -> str:
    """A document name a citizen reads: its first sentence, without the legal reference tail."""
    text = strip_bullet(name)
    first = _SENTENCE_END_RE.split(text, maxsplit=1)[0]
    cleaned = _LEGAL_TAIL_RE.sub("", first).strip(" ,;:.")
    if len(cleaned) < 12:  # the reference was the name itself
        cleaned = first.strip(" ,;:.")
    cleaned = re.sub(r"\(\s*\)", "", cleaned).strip()
    if cleaned.count("(") > cleaned.count(")"):
        cleaned += ")"
    cleaned = cleaned[:1].upper() + cleaned[1:]
    return cut(cleaned, limit)


def count_text(originals: int, copies: int) -> str:
    parts = []
    if originals:
        parts.append(f"{originals} bản chính")
    if copies:
        parts.append(f"{copies} bản sao")
    return ", ".join(parts)


_FILE_FORM_CODE_RE = re.compile(r"M(?:a|ẫ)?u\s*(?:s[oố]\s*)?([A-ZĐ]{1,5}\s?\d{1,3})")


def form_label(name: str, form_file: Optional[str]) -> Optional[str]:
    """"Mẫu TK01" from the name ("... (mẫu TK01 ...)") or the attached file name; None if neither says.

    File names arrive mangled ("1.MuCT01banhnhkm.doc"): there a code is capitals then digits.
    """
    for match in _FORM_CODE_RE.finditer(name):
        code = match.group(1).strip()
        if any(ch.isdigit() for ch in code) and not re.fullmatch(r"\d{3,4}", code):
            return f"Mẫu {code.upper() if len(code) <= 6 else code}"
    match = _FILE_FORM_CODE_RE.search(form_file or "")
    return f"Mẫu {match.group(1).replace(' ', '')}" if match else None


def form_rank(name: str) -> int:
    """0: the application form (tờ khai, đơn, giấy đề nghị...); 1: another form (mẫu, thông báo); 2: a proof."""
    text = strip_bullet(name)
    if _FORM_START_RE.match(text):
        return 0
    if _SECONDARY_FORM_RE.search(text[:120]):
        return 1
    return 2


def is_form(name: str) -> bool:
    return form_rank(name) < 2


def condition_of(name: str) -> Optional[str]:
    """The condition under which a document is needed, or None when everyone brings it.

    An application form is needed by everyone unless its name starts with a condition:
    a "nếu có" inside a form's name is about a part of the form.
    """
    text = strip_bullet(name)
    if _CONDITION_START_RE.match(text):
        head = re.split(r"\s+thì\s+|\s+phải\s+|:|,\s", text, maxsplit=1)[0]
        return cut(head, 90)
    if _FORM_START_RE.match(text):
        return None
    match = _CONDITION_INSIDE_RE.search(text)
    if match:
        phrase = match.group(0).strip("() ").split(";")[0].strip()
        if phrase.lower() == "nếu có":
            return "Nếu có"
        return cut(phrase[:1].upper() + phrase[1:], 90)
    return None


def without_brackets(text: str) -> str:
    """`text` without its bracketed asides ("Giấy tờ tùy thân (thẻ căn cước, ...)" → "Giấy tờ tùy thân")."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"\s*\([^()]*\)", "", text)
    return squash(text)


def _case_kind(title: Optional[str]) -> str:
    return "present" if title and _PRESENT_RE.search(title) and "nộp" not in title.lower() else "submit"


def _clean_case_title(title: Optional[str]) -> Optional[str]:
    text = strip_bullet(title or "").strip(" :*")
    text = re.sub(r"^(?:giấy tờ phải nộp|thành phần hồ sơ(?: gồm)?)\s*:?\s*", "", text, flags=re.IGNORECASE)
    return cut(text[:1].upper() + text[1:], 120) if len(text) > 2 else None


def _items(documents: Iterable[Any]) -> List[DocumentItem]:
    out = []
    for document in documents:
        if getattr(document, "kind", "document") != "document" or _NOT_A_DOCUMENT_RE.match(strip_bullet(document.name)):
            continue
        name = squash(document.name)
        out.append(DocumentItem(
            name=name,
            count=count_text(document.originals or 0, document.copies or 0),
            form=form_label(name, document.form_name),
            is_form=is_form(name),
            condition=condition_of(name),
        ))
    return out


def _split(items: List[DocumentItem]) -> Tuple[List[DocumentItem], List[DocumentItem]]:
    essentials = [i for i in items if i.condition is None]
    conditional = [i for i in items if i.condition is not None]
    return _forms_first(essentials), _forms_first(conditional)


def _forms_first(items: List[DocumentItem]) -> List[DocumentItem]:
    """The application form first, then other forms, then the proofs, each in the record's order (stable)."""
    return sorted(items, key=lambda item: form_rank(item.name))


_CASE_TITLE_RE = re.compile(r"^(?:[*\-–•\s]*)(?:[a-zđ0-9]{1,2}[.)]\s*)?(?:trường hợp|đối với|giấy tờ|hồ sơ|thành phần)", re.IGNORECASE)


def build_cases(document_cases: Iterable[Any], titles_name_cases: bool = False) -> List[CaseDigest]:
    """Cases from the record's document groups.

    A group titled "xuất trình" joins the case before it as papers to show. A group
    whose title is a remark rather than a case name joins the case before it (unless
    `titles_name_cases`: the curated catalogue's titles always name cases). When the
    first case is the general list, a later "Trường hợp ..." group adds conditional
    documents to it (its title is their condition) instead of being a case of its own.
    """
    cases: List[CaseDigest] = []
    first_is_general = None
    for group in document_cases:
        items = _items(group.documents)
        if not items:
            continue
        title = squash(group.title)
        names_case = bool(title) and (titles_name_cases or bool(_CASE_TITLE_RE.match(title)))
        if not cases and not names_case:
            group_title = None  # a remark before the first table, not a case name
        else:
            group_title = group.title
        conditional_title = bool(title) and _CONDITION_START_RE.match(strip_bullet(title).lstrip("*: ")) is not None
        if first_is_general is None:
            first_is_general = not conditional_title
        only_shown = bool(cases) and not (cases[-1].essentials or cases[-1].conditional)
        if cases and _case_kind(group.title) != "present" and (
            not names_case or only_shown or (first_is_general and conditional_title)
        ):
            target = cases[-1]
            condition = cut(strip_bullet(title).lstrip("*: ").split(" thì ")[0], 90) if conditional_title else None
            for item in items:
                if condition and item.condition is None:
                    item.condition = condition
            essentials, conditional = _split(items)
            target.essentials = _forms_first(target.essentials + essentials)
            target.conditional = _forms_first(target.conditional + conditional)
            continue
        if _case_kind(group.title) == "present":
            target = cases[-1] if cases else None
            if target is None:
                target = CaseDigest(title=None)
                cases.append(target)
            target.present.extend(DocumentItem(**{**asdict(i), "condition": None}) for i in items)
            continue
        essentials, conditional = _split(items)
        cases.append(CaseDigest(title=_clean_case_title(group_title), essentials=essentials, conditional=conditional))
    if len(cases) == 1:
        cases[0].title = None
    return cases


def _lead_cases(lead: Dict[str, Any]) -> List[CaseDigest]:
    """Cases from the curated lead (its own order and words)."""
    groups = [
        SimpleNamespace(title=g.get("case"), documents=[
            SimpleNamespace(name=d.get("name") or "", originals=d.get("originals") or 0, copies=d.get("copies") or 0,
                            form_name=d.get("form"), kind="document")
            for d in g.get("items") or []
        ])
        for g in lead.get("documents") or []
    ]
    return build_cases(groups, titles_name_cases=True)


# --- fees ------------------------------------------------------------------------------------


def _date(day: str, month: str, year: str) -> Optional[str]:
    try:
        year_number = int(year)
        if year_number < 100:
            year_number += 2000
        return dt.date(year_number, int(month), int(day)).isoformat()
    except ValueError:
        return None


def _amounts(text: str, bare: bool = False) -> List[FeeAmount]:
    """VND/USD amounts in `text`; `bare` also takes "160.000/hộ chiếu" beside amounts with a currency."""
    found = []
    for match in _AMOUNT_RE.finditer(text):
        digits = re.sub(r"[.,](?=\d{3}(?:\D|$))", "", match.group(1))
        try:
            amount = int(digits)
        except ValueError:
            continue
        currency = "USD" if match.group(2) == "USD" else "VND"
        if currency == "VND" and amount < 1000:
            continue  # "2 đ" is not a fee, "0 đồng" is no charge; thousands are written out in the catalogue
        per = squash((match.group(3) or "").lstrip(" /")) or None
        label = _label_before(text, match.start())
        found.append((match.start(), FeeAmount(amount=amount, currency=currency, per=per, label=label)))
    if not found or bare:
        for match in _BARE_PER_UNIT_RE.finditer(text):
            if any(a.amount == int(match.group(1).replace(".", "")) for _, a in found):
                continue  # "+ 160.000/hộ chiếu": a VND amount per unit
            amount = int(match.group(1).replace(".", ""))
            per = squash(match.group(2).lstrip(" /"))
            found.append((match.start(), FeeAmount(amount=amount, per=per, label=_label_before(text, match.start()))))
    return [amount for _, amount in sorted(found, key=lambda pair: pair[0])]


def _label_before(text: str, position: int) -> Optional[str]:
    head = text[:position]
    head = re.split(r"[;()]\s*|\.\s+|\s[-+]\s", head)[-1]
    head = strip_bullet(head).strip(" :,-")
    head = re.sub(r"\b(?:là|bằng|thu|mức thu(?: lệ phí)?(?: là)?|(?:cổng quốc gia )?ghi)$", "", head, flags=re.IGNORECASE).strip(" :,-")
    if len(head) < 4:
        return None
    return cut(head[:1].upper() + head[1:], 90)


def _clauses(note: str) -> List[str]:
    parts = [squash(p) for p in _CLAUSE_SPLIT_RE.split(note)]
    return [p.strip(" ;") for p in parts if p and len(p.strip(" ;.")) > 1]


_LAW_NAME_RE = re.compile(r"Luật [Pp]hí và lệ phí|Luật [A-ZĐÀ-Ỹa-zà-ỹđ ]{3,40}?(?= và| số|[,.;)]|$)")
_BY_RULE_RE = re.compile(r"\btheo quy định\b|\bquy định (?:của|tại|hiện hành)\b|\bbiểu phí\b", re.IGNORECASE)


# A clause that goes on with the list before it ("người thuộc hộ nghèo" after "Miễn lệ phí đối với ...;").
_LIST_GOES_ON_RE = re.compile(r"(?:người|hộ|trẻ em|cá nhân|tổ chức)\b[^.]{0,80}\.?$")
# A clause about the fee for copies of the result, not for the procedure itself.
_COPY_FEE_RE = re.compile(r"\b(?:phí|lệ phí)\s+(?:cấp\s+)?bản sao\b|\bbản sao\b.{0,60}\bthu theo\b", re.IGNORECASE)


def _joined(clauses: List[str]) -> str:
    """Clauses back into one note: after a full stop a space, otherwise the "; " that split them."""
    text = ""
    for clause in clauses:
        text += clause if not text else (" " if text.endswith((".", ":", ";")) else "; ") + clause
    return text


def _regulation(text: str) -> Optional[str]:
    """The regulation a fee note cites, in short ("Thông tư số 85/2019/TT-BTC"), or None."""
    match = _REGULATION_RE.search(text)
    if match:
        return squash(match.group(0))
    if _LOCAL_REGULATION_RE.search(text):
        return "Nghị quyết của Hội đồng nhân dân tỉnh, thành phố"
    law = _LAW_NAME_RE.search(text)
    if law:
        return squash(law.group(0))
    if _BY_RULE_RE.search(text) and _FEE_WORD_RE.search(text):
        return "quy định hiện hành về phí, lệ phí"
    return None


def _reduction(clause: str) -> Optional[Reduction]:
    until = _UNTIL_RE.search(clause)
    loose = _UNTIL_LOOSE_RE.search(clause)
    if not until and not loose:
        return None
    reduction = Reduction(text=clause)
    if until:
        reduction.end = _date(*until.groups())
        reduction.end_raw = squash(until.group(0))
    else:
        reduction.end_raw = squash(loose.group(0))
    start = _FROM_RE.search(clause)
    if start:
        reduction.start = _date(*start.groups())
    reduction.amounts = _amounts(clause, bare=True)
    percent = _PERCENT_RE.search(clause)
    if percent:
        reduction.percent = float(percent.group(1).replace(",", "."))
    return reduction


def _unwrap(note: str) -> str:
    """"(Miễn lệ phí ...)" → "Miễn lệ phí ..." (the portal wraps some notes in a second pair of brackets)."""
    while note.startswith("(") and note.endswith(")") and note.count("(") == note.count(")"):
        inner = note[1:-1].strip()
        depth = 0
        for char in inner:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                return note  # "(a) ... (b)": the brackets are not one pair
        note = inner
    return note


def build_fee(method: Any) -> FeeDigest:
    """The fee of one submission method (a models.SubmissionMethod or records.MethodRecord)."""
    note = _unwrap(squash(method.fee_note))
    fee = FeeDigest(channel=method.channel, kind="unknown")
    column_amount = method.fee_amount
    column_free = bool(method.fee_is_free)
    fused = _fused_cells(method)
    if fused:
        fee.doubts.append(fused)
        column_amount, column_free = None, False
    if column_amount is not None and Decimal(column_amount) > 0:
        fee.amounts.append(FeeAmount(amount=int(column_amount), currency=method.fee_currency or "VND"))
    rest: List[str] = []
    kept_last = False  # "Miễn lệ phí đối với ... có công; người thuộc hộ nghèo; người khuyết tật": one list
    for clause in _clauses(note) if note else []:
        reduction = _reduction(clause)
        if reduction is not None:
            if _other_channel(clause, method.channel):
                continue
            fee.reductions.append(reduction)
            continue
        amounts = _amounts(clause)
        if amounts:
            for amount in amounts:
                same = [a for a in fee.amounts if a.amount == amount.amount and a.currency == amount.currency]
                if same:
                    same[0].per = same[0].per or amount.per
                    same[0].label = same[0].label or amount.label
                else:
                    fee.amounts.append(amount)
        elif _FEE_TALK_RE.search(clause) or _regulation(clause) or (kept_last and _LIST_GOES_ON_RE.match(clause)):
            rest.append(clause)  # clauses about times or steps belong to other answers
            kept_last = True
            continue
        kept_last = False
    for amount in fee.amounts:  # the column's amount may itself be the rate that ends (named first in its clause)
        for reduction in fee.reductions:
            if reduction.amounts and reduction.amounts[0].amount == amount.amount and amount.label is None:
                amount.until = reduction.end
    # A clause that only limits the column's rate is said with that rate; one that names other rates stays.
    fee.reductions = [
        r for r in fee.reductions if len(r.amounts) > 1 or not any(a.until and a.until == r.end for a in fee.amounts)
    ]
    # The procedure's own fee decides the regulation; one cited for copies ("Phí cấp bản sao Trích lục ... theo
    # Thông tư 281/2016") is not what the procedure is charged under (khai tử: HĐND tỉnh, free when on time).
    own = [clause for clause in rest if not _COPY_FEE_RE.search(clause)]
    fee.regulation = (_regulation(" ".join(own)) or _regulation(" ".join(rest))
                      or (_regulation(note) if note else None))
    fee.note = cut(_joined(rest), 300) if rest else None
    if fee.amounts:
        fee.kind = "amount"
        fee.free_in_column = column_free
    elif column_free and fee.note and _STATES_FREE_RE.match(fee.note):
        fee.kind = "free"  # "Miễn lệ phí. Phí cấp bản sao ... theo Thông tư ...": the procedure is free, copies are not
    elif column_free and (fee.regulation or (fee.note and _mentions_charge(fee.note))):
        fee.kind = "regulation"
        fee.free_in_column = True
    elif column_free:
        fee.kind = "free"
    elif fee.regulation:
        fee.kind = "regulation"
    elif fee.reductions and any(r.amounts for r in fee.reductions):
        fee.kind = "amount"
    if fee.reductions and fee.kind == "free":
        fee.kind = "regulation" if any(r.percent or r.amounts for r in fee.reductions) else "free"
    for reduction in fee.reductions:
        if reduction.end is None:
            fee.doubts.append(f"ghi chú có mức thu áp dụng “{reduction.end_raw}” nhưng ngày hết hạn không đọc được")
    return fee


def _fused_cells(method: Any) -> Optional[str]:
    """A doubt when the portal glued a unitless time to a fee amount ("1" + "20 VNĐ" read from "120 VNĐ")."""
    raw = squash(method.fee_raw)
    if method.time_unit is None and method.time_raw and re.match(r"\d", raw or "") and (
        method.fee_amount is None or Decimal(method.fee_amount) < 1000
    ):
        return f"cột thời hạn và lệ phí trên cổng quốc gia dính liền (“{method.time_raw}{raw.split('(')[0].strip()}”), không tách chắc chắn được"
    return None


_CHANNEL_WORDS = {"online": "trực tuyến", "in_person": "trực tiếp", "postal": "bưu chính"}


def _other_channel(clause: str, channel: str) -> bool:
    """A clause about another channel only ("nộp hồ sơ theo hình thức trực tuyến" on the in-person row)."""
    lowered = clause.lower()
    named = [c for c, word in _CHANNEL_WORDS.items() if word in lowered]
    return bool(named) and channel not in named


_STATES_FREE_RE = re.compile(r"^\(?\s*(?:miễn (?:lệ )?phí|miễn thu|không thu (?:lệ )?phí)\b", re.IGNORECASE)
_FREE_PHRASE_RE = re.compile(r"\bmiễn\b|không thu|không phải nộp", re.IGNORECASE)


def _mentions_charge(note: str) -> bool:
    """A note that speaks of a charge (phí, lệ phí, mức thu) other than only waiving it."""
    charge = re.search(r"(?:lệ phí|phí|mức thu)[^.;]{0,40}(?:theo|do|bằng|là|:)", note, re.IGNORECASE)
    return bool(charge) and not _FREE_PHRASE_RE.search(note)


def build_fees(methods: Iterable[Any]) -> List[FeeDigest]:
    return [build_fee(m) for m in methods if m.channel in CHANNELS]


# --- times -----------------------------------------------------------------------------------


def _number(value: Any) -> Optional[float]:
    if value is None:
        return None
    return float(value)


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def build_time(method: Any, record_text: str) -> TimeDigest:
    value = _number(method.time_value)
    time = TimeDigest(channel=method.channel, value=value, unit=method.time_unit, raw=method.time_raw)
    if value is not None and method.time_unit:
        time.source = "cell"
        return time
    if value is None:
        time.source = "none"
        return time
    texts = squash(" ".join(filter(None, [method.description, record_text])))
    after = _AFTER_HOUR_RE.search(texts)
    if value <= 1 and (after or _SAME_DAY_RE.search(texts)):
        time.source, time.unit = "same_day", "working_day"
        if after:
            time.rule = f"nộp sau {after.group(1)} giờ thì trả kết quả trong ngày làm việc tiếp theo"
        return time
    number = _format_number(value)
    for word, unit in _UNIT_WORDS:
        if re.search(rf"(?<![\d.,]){re.escape(number)}\s*(?:\([^)]*\)\s*)?{word}\b", texts, re.IGNORECASE) or (
            len(number) == 1 and re.search(rf"\b0{number}\s*(?:\([^)]*\)\s*)?{word}\b", texts, re.IGNORECASE)
        ):
            time.source, time.unit = "record", unit
            return time
    time.source = "no_unit"
    return time


def build_times(methods: Iterable[Any], record_text: str) -> List[TimeDigest]:
    return [build_time(m, record_text) for m in methods if m.channel in CHANNELS]


# --- titles, steps ---------------------------------------------------------------------------

_LEVEL_PAREN_RE = re.compile(r"\s*\((?:thực hiện )?(?:tại |ở )?(?:cấp|cơ quan)[^)]*\)", re.IGNORECASE)


def short_title(name: str, curated: Optional[str] = None) -> str:
    """The head of answers: the curated everyday title, else the official name made short (≤ 80)."""
    if curated:
        return cut(curated, MAX_TITLE_CHARS)
    text = squash(name)
    text = re.sub(r"^thủ tục\s+", "", text, flags=re.IGNORECASE)
    text = _LEVEL_PAREN_RE.sub("", text).strip()
    if len(text) > MAX_TITLE_CHARS:
        for separator in ("; ", " theo quy định", " quy định tại", " đối với ", ", ", " (", " cho ", " của "):
            position = text.find(separator, 25)
            if 0 < position <= MAX_TITLE_CHARS:
                text = text[:position]
                break
    text = text[:1].upper() + text[1:]
    return cut(text, MAX_TITLE_CHARS)


_STEP_NUMBER_RE = re.compile(r"^(?:bước\s*\d+\s*[:.)\-–]?\s*|\d{1,2}\s*[.):]\s*|[a-zđ]\)\s*|[-+*•]\s*)", re.IGNORECASE)


def clean_step(text: str) -> str:
    """A step without its own numbering ("Bước 1:", "1.", "a)", "-"), so answers number it once."""
    previous, text = None, squash(text)
    while previous != text:
        previous, text = text, _STEP_NUMBER_RE.sub("", text, count=1).strip()
    return text[:1].upper() + text[1:] if text else text


# --- the digest ------------------------------------------------------------------------------


def curated_lead(record: Any) -> Dict[str, Any]:
    """What a curated entry leads with, stored in procedures.curated_lead (national imports keep it)."""
    return {
        "title": record.short_title,
        "summary": record.summary,
        "documents": [
            {
                "case": case.title,
                "items": [
                    {"name": d.name, "originals": d.originals, "copies": d.copies, "form": d.form_name}
                    for d in case.documents if d.kind == "document"
                ],
            }
            for case in record.cases
        ],
    }


def build(procedure: Any) -> Digest:
    """The digest of a models.Procedure (relationships loaded or set in memory)."""
    lead = procedure.curated_lead or {}
    steps_text = " ".join(step.text for step in procedure.steps) or (procedure.steps_text or "")
    record_text = " ".join(filter(None, [steps_text, procedure.result_text, procedure.conditions_text]))
    cases = _lead_cases(lead) if lead.get("documents") else build_cases(procedure.document_cases)
    forms: Dict[str, str] = {}  # label → document; the record's names first (the curated words may not name them)
    for group in procedure.document_cases:
        for document in group.documents:
            label = form_label(document.name, document.form_name) if document.kind == "document" else None
            if label:
                forms.setdefault(label, plain_name(document.name, 90))
    for case in cases:
        for item in case.essentials + case.conditional:
            if item.form:
                forms.setdefault(item.form, plain_name(item.name, 90))
    return Digest(
        version=DIGEST_VERSION,
        title=short_title(procedure.name, lead.get("title") or procedure.short_title),
        official_name=squash(procedure.name),
        cases=cases,
        forms=[FormRef(label=label, document=document) for label, document in forms.items()],
        fees=build_fees(procedure.methods),
        times=build_times(procedure.methods, record_text),
        steps=[s for s in (clean_step(step.text) for step in procedure.steps) if s],
        url=procedure.source_url,
    )


def of(procedure: Any) -> Digest:
    """The stored digest when current, else one built now (a database imported before digests)."""
    stored = getattr(procedure, "digest", None)
    if stored and stored.get("version") == DIGEST_VERSION:
        try:
            return Digest.from_json(stored)
        except (KeyError, TypeError):
            pass
    return build(procedure)
