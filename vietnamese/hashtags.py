"""Keyword commands of the Zalo Official Account menu: "#tracuuhoso", "#thutuc khai sinh".

An OA menu button, or a citizen copying one, sends a hash-tag at the start of
the message, without marks and glued: `read_tag` gives the words it stands
for. A tag in `KEYWORDS` is its Vietnamese ("#canbo" → "gặp cán bộ"); any
other tag is split into keywords and known syllables when it can be wholly
("#thutuckhaisinh" → "thủ tục khai sinh", the syllables as typed: the
diacritic restorer and the folded search read them); a tag that cannot be
split only loses its '#'.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional

from vietnamese.folding import fold
from vietnamese.syllables import known_syllables

MAX_TAG = 40
MAX_SYLLABLE = 7

KEYWORDS: Dict[str, str] = {
    "tracuuhoso": "tra cứu hồ sơ",
    "tracuu": "tra cứu",
    "hoso": "hồ sơ",
    "thutuc": "thủ tục",
    "hotro": "hỗ trợ",
    "lienhe": "liên hệ",
    "canbo": "gặp cán bộ",
    "gapcanbo": "gặp cán bộ",
}


@lru_cache(maxsize=1)
def _folded_syllables() -> FrozenSet[str]:
    return frozenset(fold(s) for s in known_syllables())


def _split(tag: str) -> Optional[List[str]]:
    """The fewest keywords and known syllables that make up `tag` (lower case ASCII), or None."""
    syllables = _folded_syllables()
    best: List[Optional[List[str]]] = [None] * (len(tag) + 1)
    best[0] = []
    for end in range(1, len(tag) + 1):
        for start in range(max(0, end - max(MAX_SYLLABLE, max(map(len, KEYWORDS)))), end):
            if best[start] is None:
                continue
            piece = tag[start:end]
            word = KEYWORDS.get(piece) or (piece if len(piece) <= MAX_SYLLABLE and piece in syllables else None)
            if word is None:
                continue
            candidate = best[start] + [word]
            if best[end] is None or len(candidate) < len(best[end]):
                best[end] = candidate
    return best[len(tag)]


def read_tag(tag: str) -> str:
    """The words the tag `tag` (without its '#') stands for; the tag itself when it cannot be read."""
    key = tag.lower()
    if not key.isascii() or not key.isalnum() or len(key) > MAX_TAG:
        return tag
    if key in KEYWORDS:
        return KEYWORDS[key]
    pieces = _split(key)
    return " ".join(pieces) if pieces else tag
