"""Vietnamese text helpers: Unicode form, diacritic folding, abbreviations.

Search compares questions and procedure names in a folded form (lower case,
no diacritics, "đ" → "d", single spaces) so that "làm sổ đỏ", "lam so do" and
"LÀM  SỔ ĐỎ" meet. Abbreviations people type are expanded before folding.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Dict, List, Tuple

_WORD_RE = re.compile(r"[0-9a-z]+")

# Everyday abbreviations and chat spellings, in folded form, word for word.
ABBREVIATIONS: Dict[str, str] = {
    "dk": "dang ky",
    "dky": "dang ky",
    "dki": "dang ky",
    "cccd": "can cuoc cong dan",
    "cmnd": "chung minh nhan dan",
    "cmt": "chung minh nhan dan",
    "gplx": "giay phep lai xe",
    "gks": "giay khai sinh",
    "gcn": "giay chung nhan",
    "qsdd": "quyen su dung dat",
    "gcnqsdd": "giay chung nhan quyen su dung dat",
    "llpt": "ly lich tu phap",
    "lltp": "ly lich tu phap",
    "hkd": "ho kinh doanh",
    "mst": "ma so thue",
    "tncn": "thu nhap ca nhan",
    "bhxh": "bao hiem xa hoi",
    "bhyt": "bao hiem y te",
    "gpxd": "giay phep xay dung",
    "hs": "ho so",
    "tthc": "thu tuc hanh chinh",
    "ubnd": "uy ban nhan dan",
    "ko": "khong",
    "k": "khong",
    "dc": "duoc",
    "vs": "voi",
    "ntn": "nhu the nao",
    "bn": "bao nhieu",
    "tt": "thu tuc",
    "sd": "su dung",
    "vneid": "dinh danh dien tu",
    "pp": "passport",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case, strip diacritics (đ → d), keep letters and digits, one space."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = unicodedata.normalize("NFC", text)
    return " ".join(_WORD_RE.findall(text))


def fold_words(text: str) -> List[str]:
    return fold(text).split()


def accented_words(text: str) -> List[str]:
    """Lower-case NFC words keeping diacritics (to tell "bán" from "bàn")."""
    return re.findall(r"\w+", nfc(text.lower()))


def has_diacritics(text: str) -> bool:
    decomposed = unicodedata.normalize("NFD", text)
    return any(unicodedata.category(ch) == "Mn" for ch in decomposed) or "đ" in text.lower()


def expand_abbreviations(words: List[str]) -> List[str]:
    out: List[str] = []
    for word in words:
        out.extend(ABBREVIATIONS.get(word, word).split())
    return out


def normalize_query(text: str, max_chars: int = 2000) -> Tuple[str, List[str]]:
    """Folded, abbreviation-expanded words of a question, bounded in length."""
    text = nfc(text or "")[:max_chars]
    words = expand_abbreviations(fold_words(text))
    return " ".join(words), words
