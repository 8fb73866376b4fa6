"""Vietnamese syllables: their shape, their tone, and the ones the project has seen.

A written Vietnamese word is one syllable: an onset ("ngh", "tr", "qu", "gi"
... or none), a rhyme from a closed list ("a", "ương", "oanh" ...) and one
of six tones. `parse` reads a word into those parts (None when it is not a
syllable: "kh", "xyz", "hòc"), `compose` writes a syllable back with its tone
on the vowel the national catalogue puts it on ("hòa", "thủy", "người").

`is_known(word)` says whether the project's own texts use the syllable: the
list in vietnamese/data/syllables.txt is written by `python -m
scripts.build_syllables` from the national and curated catalogues and the
NLU data (syllables used at least three times, each a valid syllable). It is
read on first use, never at import.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Optional

SYLLABLES_FILE = Path(__file__).resolve().parent / "data" / "syllables.txt"

LEVEL, GRAVE, ACUTE, HOOK, TILDE, DOT = "", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
TONE_MARKS = frozenset((GRAVE, ACUTE, HOOK, TILDE, DOT))

ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)
VOWELS = frozenset("aăâeêioôơuưy")
SHAPED = frozenset("ăâêôơư")
STOP_CODAS = ("ch", "c", "p", "t")  # a rhyme ending in one of these takes only the acute or the dot tone
CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t")


def _rhymes() -> FrozenSet[str]:
    open_rhymes = (
        "a ai ao au ay âu ây e eo ê êu i ia iu o oi ô ôi ơ ơi u ua ui uy ư ưa ưi ưu y "
        "oa oai oay oe oeo uê uơ uya uyu uây ươi ươu iêu yêu uôi"
    ).split()
    closed = {
        "a": "c ch m n ng nh p t", "ă": "c m n ng p t", "â": "c m n ng p t", "e": "c m n ng p t",
        "ê": "ch m n nh p t", "i": "ch m n nh p t", "o": "c m n ng p t", "oo": "c ng",
        "ô": "c m n ng p t", "ơ": "m n p t", "u": "c m n ng p t", "ư": "c m n ng t",
        "iê": "c m n ng p t", "yê": "m n t", "uô": "c m n ng t", "ươ": "c m n ng p t",
        "oa": "c ch m n ng nh p t", "oă": "c m n ng t", "oe": "n t", "uâ": "n ng t",
        "uyê": "n t", "uy": "ch nh t n", "uê": "nh",
    }
    rhymes = set(open_rhymes)
    for nucleus, codas in closed.items():
        rhymes.update(nucleus + coda for coda in codas.split())
    return frozenset(rhymes)


RHYMES = _rhymes()


@dataclass(frozen=True)
class Syllable:
    onset: str
    rhyme: str  # without tone, with the vowels' shapes (ă â ê ô ơ ư)
    tone: str  # LEVEL or one of the combining tone marks


def strip_tone(word: str) -> "tuple[str, str]":
    """(word without its tone mark, the tone mark or LEVEL); NFC in, NFC out."""
    tone = LEVEL
    kept = []
    for char in unicodedata.normalize("NFD", word):
        if char in TONE_MARKS:
            tone = char
        else:
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def parse(word: str) -> Optional[Syllable]:
    """The syllable `word` is (lower case, NFC; case ignored), or None."""
    if not word or len(word) > 8:
        return None
    bare, tone = strip_tone(word.lower())
    tones = sum(1 for char in unicodedata.normalize("NFD", word) if char in TONE_MARKS)
    if tones > 1:
        return None
    for onset in ONSETS:
        if not bare.startswith(onset):
            continue
        rhyme = bare[len(onset):]
        if onset == "gi" and rhyme and rhyme[0] not in VOWELS:
            continue  # "gìn": onset g, rhyme "in"
        if onset == "gi" and rhyme.startswith("ê"):
            rhyme = "i" + rhyme  # "giếng" is gi + iêng written once
        if onset == "qu" and not rhyme:
            continue
        if rhyme in RHYMES:
            if tone not in (LEVEL, ACUTE, DOT) and rhyme.endswith(STOP_CODAS):
                return None
            stored = rhyme[1:] if onset == "gi" and rhyme.startswith("iê") else rhyme
            return Syllable(onset, stored, tone)
    return None


def is_syllable(word: str) -> bool:
    return parse(word) is not None


def tone_position(rhyme: str) -> int:
    """Index in `rhyme` of the vowel that carries the tone, as the national catalogue writes it."""
    vowels = [i for i, char in enumerate(rhyme) if char in VOWELS]
    if not vowels:
        return 0
    shaped = [i for i in vowels if rhyme[i] in SHAPED]
    if shaped:
        return shaped[-1]  # "ươ" → ơ, "iê" → ê
    if not rhyme.endswith(tuple("aeiouy")):
        return vowels[-1]  # a consonant closes it: "toán", "hoàng"
    if rhyme in ("ia", "ua", "ưa") or len(vowels) <= 2:
        return vowels[0]  # "mùa", "tài", "hòa", "thủy"
    return vowels[1]  # "ngoài", "khuỷu"


def compose(syllable: Syllable) -> str:
    """The syllable written in NFC with its tone mark."""
    rhyme = syllable.rhyme
    if syllable.tone:
        index = tone_position(rhyme)
        rhyme = rhyme[:index] + unicodedata.normalize("NFC", rhyme[index] + syllable.tone) + rhyme[index + 1:]
    return syllable.onset + rhyme


@lru_cache(maxsize=1)
def known_syllables() -> FrozenSet[str]:
    """The syllables the project's texts use (lower case, NFC, with marks)."""
    try:
        lines = SYLLABLES_FILE.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return frozenset()
    return frozenset(lines)


def is_known(word: str) -> bool:
    return word.lower() in known_syllables()
