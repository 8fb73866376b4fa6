"""Dossier codes (mã hồ sơ) as one-stop systems issue them, and as users type them.

A code is the receiving agency's electronic code, the receipt date (yymmdd)
and a daily sequence number: ``000.00.07.H29-240315-0012``. Users type them
with spaces, in lower case, without dots or dashes, inside sentences.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import List, Optional

_SEP = r"[\s.\-_/]*"
# agency: 3 digits . 2 digits . 2 digits . letter + 2 digits; then yymmdd; then 4+ digit sequence
_CODE_RE = re.compile(
    r"(?<![0-9A-Za-z])"
    r"(\d{3})" + _SEP + r"(\d{2})" + _SEP + r"(\d{2})" + _SEP + r"([A-Za-z]\d{2})"
    + _SEP + r"(\d{6})" + _SEP + r"(\d{4,8})"
    r"(?![0-9A-Za-z])"
)
# Something the user probably meant as a code: a long run of digits, letters and separators.
_CODE_LIKE_RE = re.compile(r"(?<![0-9A-Za-z])(?=[0-9A-Za-z.\- ]*\d{6})[0-9A-Za-z][0-9A-Za-z.\-]{9,}")

# The agency part alone ("000.00.07.H29-2403"): a code cut short or mistyped.
_AGENCY_RE = re.compile(r"(?<![0-9A-Za-z])\d{3}" + _SEP + r"\d{2}" + _SEP + r"\d{2}" + _SEP + r"[A-Za-z]\d{2}")

EXAMPLE = "000.00.07.H29-240315-0012"


@dataclass(frozen=True)
class DossierCode:
    value: str  # canonical form, e.g. 000.00.07.H29-240315-0012
    agency: str
    received: dt.date
    sequence: str
    start: int  # span in the text it was found in
    end: int


def _canonical(match: re.Match) -> Optional[DossierCode]:
    a, b, c, province, date, sequence = match.groups()
    try:
        received = dt.datetime.strptime(date, "%y%m%d").date()
    except ValueError:
        return None
    agency = f"{a}.{b}.{c}.{province.upper()}"
    return DossierCode(
        value=f"{agency}-{date}-{sequence}",
        agency=agency,
        received=received,
        sequence=sequence,
        start=match.start(),
        end=match.end(),
    )


def find_codes(text: str) -> List[DossierCode]:
    """Well-formed dossier codes in a message, normalised, with their spans."""
    if not isinstance(text, str):
        return []
    codes = []
    for match in _CODE_RE.finditer(text[:10_000]):
        code = _canonical(match)
        if code is not None:
            codes.append(code)
    return codes


def parse_code(text: str) -> Optional[DossierCode]:
    """The single code a user gave, or None if it is not a well-formed code."""
    codes = find_codes(text)
    return codes[0] if codes else None


def looks_like_code(text: str) -> bool:
    """A string the user probably meant as a code, even if malformed."""
    if not isinstance(text, str):
        return False
    text = text[:10_000]
    return bool(_CODE_LIKE_RE.search(text) or _AGENCY_RE.search(text))
