"""Do two document names, one from each catalogue, mean the same document?

Names are compared by their adjacent word pairs ("tờ khai", "khai sinh"),
leaving out pairs of two function words. The curated catalogue words its
documents in its own, shorter way and the portal adds legal asides, so two
names correspond when most of the shorter one's pairs are in the other, or
when one name's head (up to its first bracket, semicolon, colon or sentence
end) is almost whole in the other and starts with the same pair (what the
document is: "tờ khai", "văn bản", "giấy khám").
"""
from __future__ import annotations

import re
from typing import FrozenSet, List, Optional, Sequence, Tuple

from procedures_kb.records import CaseRecord, DocumentRecord, ProcedureRecord
from vietnamese.folding import accented_words, nfc

# Two names correspond when this share of the shorter one's word pairs is in the other ...
DOCUMENT_OVERLAP = 0.6
MIN_SHARED_PAIRS = 2
# ... or when this share of one name's head is in the other.
HEAD_CONTAINED = 0.8

# "Trường hợp ...", "- Đối với ...", "(ii) Trường hợp ...", "b) Đối với ...".
_CONDITIONAL_START_RE = re.compile(
    r"^[\s\-–+*•.]*(?:\(?(?:\d+|[ivx]+|[a-zđ])[.)]\s*)?(?:trường hợp|đối với)", re.IGNORECASE
)
_CONDITIONAL_PHRASE_RE = re.compile(r"nếu có|đối với trường hợp|trong trường hợp|tùy từng trường hợp", re.IGNORECASE)
_HEAD_END_RE = re.compile(r"\s*[(;:]|\.\s|\s[—–-]\s")
_STOP_WORDS = frozenset(
    "của và hoặc các có theo được cho là với trong thì về đã này đó nếu khi một những do tại từ để "
    "không phải người sau trước bằng như hay mà vào ra trên dưới đến số".split()
)


def _ordered_pairs(text: str) -> List[Tuple[str, str]]:
    words = accented_words(text)
    return [(a, b) for a, b in zip(words, words[1:]) if not (a in _STOP_WORDS and b in _STOP_WORDS)]


def word_pairs(text: str) -> FrozenSet[Tuple[str, str]]:
    """Adjacent word pairs ("giấy", "khai"), leaving out pairs of two function words."""
    return frozenset(_ordered_pairs(text))


def head(name: str) -> str:
    """A document name up to its first aside: "Tờ khai đăng ký khai sinh (nếu ...)" → "Tờ khai đăng ký khai sinh"."""
    return _HEAD_END_RE.split(nfc(name), maxsplit=1)[0]


def contained(part: str, whole: str) -> float:
    """Share of `part`'s word pairs found in `whole`.

    0.0 for a part of fewer than three words, or when its first pair (what the
    document is: "tờ khai", "văn bản", "giấy khám") is not in `whole`.
    """
    ordered = _ordered_pairs(part)
    found = word_pairs(whole)
    if len(set(ordered)) < MIN_SHARED_PAIRS or ordered[0] not in found:
        return 0.0
    return len(set(ordered) & found) / len(set(ordered))


def overlap(a: str, b: str) -> float:
    """Share of the shorter name's word pairs found in the other.

    0.0 when the shorter name's first pair (what the document is) is not in the
    other, or when they share fewer than MIN_SHARED_PAIRS (unless the shorter
    name is that short itself: "Ảnh 4x6" has one pair).
    """
    ordered_a, ordered_b = _ordered_pairs(a), _ordered_pairs(b)
    if len(set(ordered_b)) < len(set(ordered_a)):
        ordered_a, ordered_b = ordered_b, ordered_a
    pairs_a, pairs_b = set(ordered_a), set(ordered_b)
    shared = len(pairs_a & pairs_b)
    if not pairs_a or shared < min(MIN_SHARED_PAIRS, len(pairs_a)) or ordered_a[0] not in pairs_b:
        return 0.0
    return shared / len(pairs_a)


def corresponds(a: str, b: str) -> bool:
    """Two document names say the same thing.

    Either enough of their word pairs are shared, or one name's head (up to its
    first bracket, semicolon or colon) is found almost whole in the other, so
    that asides in either catalogue ("(nếu có)", "theo mẫu (nếu người có yêu
    cầu ...)") do not hide a match.
    """
    return (
        overlap(a, b) >= DOCUMENT_OVERLAP
        or contained(head(a), b) >= HEAD_CONTAINED
        or contained(head(b), a) >= HEAD_CONTAINED
    )


def is_conditional(name: str) -> bool:
    """A document only some applicants bring: "Trường hợp ...", "Đối với ...", "... (nếu có)"."""
    text = nfc(name).strip()
    return _CONDITIONAL_START_RE.match(text) is not None or _CONDITIONAL_PHRASE_RE.search(text) is not None


def documents(record: ProcedureRecord) -> List[DocumentRecord]:
    """Every document to bring, in every case (count-0 notes left out)."""
    return [d for case in record.cases for d in case.documents if d.kind == "document"]


def main_case(record: ProcedureRecord) -> Optional[CaseRecord]:
    """The case everyone files: the first one whose title is not itself a condition
    ("Trường hợp ủy quyền ...", "b) Đối với ..."), or the first case when all are."""
    if not record.cases:
        return None
    unconditional = [case for case in record.cases if not is_conditional(case.title or "")]
    return (unconditional or record.cases)[0]


def main_documents(record: ProcedureRecord) -> List[DocumentRecord]:
    """The unconditional documents of the record's main case."""
    case = main_case(record)
    if case is None:
        return []
    return [d for d in case.documents if d.kind == "document" and not is_conditional(d.name)]


def listed_inside(
    document: DocumentRecord, national_docs: Sequence[DocumentRecord], curated_docs: Sequence[DocumentRecord]
) -> bool:
    """The portal lists `document` again as an item of a longer one ("Một trong ... bao gồm: + ...")
    that has a curated counterpart: the curated "one of" entry covers it."""
    return any(
        len(other.name) > len(document.name)
        and contained(head(document.name), other.name) >= HEAD_CONTAINED
        and any(corresponds(other.name, c.name) for c in curated_docs)
        for other in national_docs
    )
