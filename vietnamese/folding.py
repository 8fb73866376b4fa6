"""Unicode form and diacritic folding.

Search compares questions and procedure names in a folded form (lower case,
no diacritics, "đ" → "d", single spaces) so that "làm sổ đỏ", "lam so do" and
"LÀM  SỔ ĐỎ" meet.
"""
from __future__ import annotations

import re
import unicodedata
from typing import List

from vietnamese.words import WORD_RE

_FOLDED_WORD_RE = re.compile(r"[0-9a-z]+")


def nfc(text: str) -> str:
    """`text` in Unicode NFC (phones and some keyboards send decomposed marks)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case, strip diacritics (đ → d), keep letters a-z and digits, one space between words.

    Letters outside a-z once their marks are gone (other scripts, "ß") are dropped.
    """
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = unicodedata.normalize("NFC", text)
    return " ".join(_FOLDED_WORD_RE.findall(text))


def fold_words(text: str) -> List[str]:
    """The folded words of `text`, in order."""
    return fold(text).split()


def accented_words(text: str) -> List[str]:
    """Lower-case NFC words keeping diacritics (to tell "bán" from "bàn")."""
    return WORD_RE.findall(nfc(text.lower()))


def has_diacritics(text: str) -> bool:
    """True when `text` has any combining mark (in NFC or NFD) or the letter "đ"."""
    decomposed = unicodedata.normalize("NFD", text)
    return any(unicodedata.category(ch) == "Mn" for ch in decomposed) or "đ" in text.lower()
