"""Dossier codes (mã hồ sơ) as one-stop systems print them, and as citizens type them.

A code is the receiving agency's code, the receipt date (yymmdd) and the
day's sequence number. The forms read here, and where they come from:

* ``000.00.07.H29-240315-0012``: the form of Thông tư 01/2018/TT-VPCP,
  Điều 19: ``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX``, the agency being its
  identifier under Thông tư 10/2016/TT-BTTTT (M a letter: H for provinces,
  G for ministries ...), a four-digit sequence;
* ``38.98.H29-210519-0013``: the agency written without its first group,
  as a province's one-stop system prints it (seen in the public code of a
  payment integration for that system);
* ``G22.99-251225-020175``: the agency letter first, then two-digit units,
  and a six-digit sequence, as the national portal (dichvucong.gov.vn) shows
  a ministry's dossiers (seen in public code copying the portal's data);
  "H56.14-240823-0001", "G01.23.45-240101-0001" and "H29.99-240315-00012"
  are read the same way (one to three units, a 4- to 6-digit sequence).

A code made of digits alone ("250101000123") is not read: no source shows
one, and it could not be told from a CCCD (12 digits) or a phone number.
The date must be a real date; the canonical value is
``agency-yymmdd-sequence`` with the agency as printed (upper-case letter,
dots), so codes stored before these forms were read canonicalise as before.

How citizens type them, all read (`find_codes`, spans in the text as typed):
spaces, dots, dashes, slashes or nothing between the groups; lower case;
invisible characters (zero-width space ...) inside; digits of any script and
full-width ("０１２"); the letter O for a zero in a run of digits and Os
that has a digit ("24O315", "OO12"; "OOO" alone stays letters); a
code inside a URL ("https://dichvucong.gov.vn/...?ma=000.00.07.H29-..."); a
code typed with the Windows Vietnamese keyboard layout on, whose number row
types ă â ê ô, the tone marks ̀ ̉ ̃ ́ ̣ and đ for 1-9, 0 (so "H29" comes out
"Hậ"), read back only where the whole run of characters is then a code.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple

from vietnamese.characters import ZWSP, ascii_alnum, vanishes

MAX_CHARS = 10_000
_S = r"[\s.\-_/]*"
_TAIL = _S + r"(\d{6})" + _S + r"(\d{4,6})"
_END = r"(?![0-9A-Z])"
# Agency forms, most specific first: (pattern, canonical agency from the groups).
_AGENCIES: Tuple[Tuple[str, Callable[[Tuple[str, ...]], str]], ...] = (
    (r"(\d{3})" + _S + r"(\d{2})" + _S + r"(\d{2})" + _S + r"([A-Z]\d{2})", lambda g: ".".join(g)),
    (r"(\d{2})" + _S + r"(\d{2})" + _S + r"([A-Z]\d{2})", lambda g: ".".join(g)),
    (r"([A-Z]\d{2})" + _S + r"(\d{2})", lambda g: ".".join(g)),
    (r"([A-Z]\d{2})" + _S + r"(\d{2})" + _S + r"(\d{2})", lambda g: ".".join(g)),
    (r"([A-Z]\d{2})" + _S + r"(\d{2})" + _S + r"(\d{2})" + _S + r"(\d{2})", lambda g: ".".join(g)),
)
_FORMS = tuple((re.compile(agency + _TAIL + _END), canonical) for agency, canonical in _AGENCIES)
_START_RE = re.compile(r"(?<![0-9A-Z])[0-9A-Z]")
# Something the user probably meant as a code: the official agency part alone ("000.00.07.H29-2403"),
# a run holding an agency letter with its two digits and six digits in a row, or groups ending in date-sequence.
_CODE_LIKE_RES = (
    re.compile(r"(?<![0-9A-Z])\d{3}" + _S + r"\d{2}" + _S + r"\d{2}" + _S + r"[A-Z]\d{2}"),
    re.compile(r"(?<![0-9A-Z])(?=[0-9A-Z.\-]*?(?<![A-Z])[A-Z]\d{2})(?=[0-9A-Z.\-]*\d{6})[0-9A-Z][0-9A-Z.\-]{9,}"),
    re.compile(r"(?<![0-9A-Z])(?:[0-9A-Z]{2,3}[.\-]){2,}\d{6}[.\-]?\d{4,6}(?![0-9])"),
)

# The Windows Vietnamese keyboard layout's number row: 1-4 ă â ê ô, 5-9 the tone marks, 0 đ.
_LAYOUT_SHAPES = {"a\u0306": "1", "a\u0302": "2", "e\u0302": "3", "o\u0302": "4"}
_LAYOUT_MARKS = {"\u0300": "5", "\u0309": "6", "\u0303": "7", "\u0301": "8", "\u0323": "9"}
_LAYOUT_RUN_RE = re.compile(r"\S+")

EXAMPLE = "000.00.07.H29-240315-0012"


@dataclass(frozen=True)
class DossierCode:
    value: str  # canonical form, e.g. 000.00.07.H29-240315-0012
    agency: str
    received: dt.date
    sequence: str
    start: int  # span in the text it was found in
    end: int


class _View:
    """The text as the code patterns read it: upper case ASCII, with each character's original index."""

    def __init__(self, text: str):
        chars: List[str] = []
        origin: List[int] = []
        for index, char in enumerate(text):
            if char == ZWSP or vanishes(char):
                continue
            chars.append((ascii_alnum(char) or char).upper())
            origin.append(index)
        self.text = _zeros("".join(chars))
        self.origin = origin

    def span(self, start: int, end: int) -> Tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


def _zeros(text: str) -> str:
    """The letter O read as a zero inside a group of digits ("24O315", "OO12"), and in a code's date or
    sequence group typed with Os only ("H56.14-OOOOOO-OOOO": read, then refused as a code with no real date)."""
    text = re.sub(r"[0-9O]+", lambda m: m.group(0).replace("O", "0") if re.search(r"\d", m.group(0)) else m.group(0), text)
    return re.sub(r"(?<=\d-)O{6}(?=-[0-9O]{4})|(?<=\d-)O{4,6}\b", lambda m: "0" * len(m.group(0)), text)


def _code_at(text: str, position: int, whole: bool = False) -> Optional[Tuple[str, str, str, dt.date, int]]:
    """(agency, date, sequence, received, end) of the first form that reads a real code at `position`."""
    for pattern, canonical in _FORMS:
        match = pattern.match(text, position)
        if match is None or (whole and match.end() != len(text.rstrip(".,;:!?)"))):
            continue
        *agency, date, sequence = match.groups()
        try:
            received = dt.datetime.strptime(date, "%y%m%d").date()
        except ValueError:
            continue
        return canonical(tuple(agency)), date, sequence, received, match.end()
    return None


def _code(agency: str, date: str, sequence: str, received: dt.date, span: Tuple[int, int]) -> DossierCode:
    return DossierCode(value=f"{agency}-{date}-{sequence}", agency=agency, received=received, sequence=sequence,
                       start=span[0], end=span[1])


def _layout_digits(run: str) -> Optional[Tuple[str, List[int]]]:
    """`run` with the Vietnamese layout's number-row characters read as digits, each output character's
    index in `run`; None when it has none of them, or a mark the layout's number row does not type."""
    out: List[str] = []
    origin: List[int] = []
    found = False
    for index, char in enumerate(run):
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        shaped = [base.lower() + m for m in marks if base.lower() + m in _LAYOUT_SHAPES]
        if base in "đĐ":
            digits = "0"
        elif shaped:  # "ậ" is a + dot + circumflex in NFD, typed 2 (â) then 9 (dot)
            digits, marks = _LAYOUT_SHAPES[shaped[0]], marks.replace(shaped[0][1], "", 1)
        elif base in _LAYOUT_MARKS:
            digits, marks = "", decomposed
        else:
            digits = base
        for mark in marks:
            if mark not in _LAYOUT_MARKS:
                return None
            digits += _LAYOUT_MARKS[mark]
        found = found or digits != char
        out.extend(digits)
        origin.extend([index] * len(digits))
    return ("".join(out), origin) if found else None


def _layout_codes(text: str) -> List[DossierCode]:
    """Codes typed with the Vietnamese keyboard layout on: each run of non-space characters that reads,
    whole, as a code once its number-row characters are digits."""
    codes = []
    for run in _LAYOUT_RUN_RE.finditer(text):
        mapped = _layout_digits(run.group(0))
        if mapped is None:
            continue
        digits, origin = mapped
        view = _View(digits)
        found = _code_at(view.text, 0, whole=True)
        if found is not None:
            agency, date, sequence, received, end = found
            start = run.start() + origin[view.origin[0]]
            stop = run.start() + origin[view.origin[end - 1]] + 1
            codes.append(_code(agency, date, sequence, received, (start, stop)))
    return codes


def find_codes(text: str) -> List[DossierCode]:
    """Well-formed dossier codes in a message, canonical, with their spans, in order."""
    if not isinstance(text, str):
        return []
    text = text[:MAX_CHARS]
    view = _View(text)
    codes = []
    position = 0
    for start in _START_RE.finditer(view.text):
        if start.start() < position:
            continue
        found = _code_at(view.text, start.start())
        if found is None:
            continue
        agency, date, sequence, received, end = found
        codes.append(_code(agency, date, sequence, received, view.span(start.start(), end)))
        position = end
    taken = [(c.start, c.end) for c in codes]
    for code in _layout_codes(text):
        if not any(s < code.end and code.start < e for s, e in taken):
            codes.append(code)
    return sorted(codes, key=lambda c: c.start)


def parse_code(text: str) -> Optional[DossierCode]:
    """The first code a user gave, or None if there is no well-formed code."""
    codes = find_codes(text)
    return codes[0] if codes else None


def looks_like_code(text: str) -> bool:
    """A string the user probably meant as a code, even if malformed.

    Never a phone number, a date, a procedure code ("1.001193"), a CCCD or
    other digits alone: a code has an agency letter or the groups of one.
    """
    if not isinstance(text, str):
        return False
    view = _View(text[:MAX_CHARS]).text
    return any(pattern.search(view) for pattern in _CODE_LIKE_RES)
