"""Characters that look like nothing or like a Latin letter, read as what the citizen saw.

`clean(text)` returns the characters of `text` and, for each, its span in
`text` (one character in, one or none out, so spans stay exact):

* **invisible characters** go. Those that never separate words vanish
  (soft hyphen U+00AD, combining grapheme joiner U+034F, zero-width
  non-joiner and joiner U+200C/D, word joiner U+2060, BOM U+FEFF, bidi
  marks and isolates, variation selectors, tag characters ...). A zero-width
  space U+200B is the one that may stand between words: it becomes a space
  when the letters on each side are each a whole Vietnamese syllable and are
  not one syllable together ("đăng\\u200bký" → "đăng ký"), and vanishes
  otherwise ("kh\\u200bai" → "khai", "kha\\u200bi" → "khai");
* **digits of any script** ("１２", "١٢", "१२") become ASCII digits, and
  full-width and mathematical Latin letters ("ｄｋ", "𝐝𝐤") ASCII letters
  (their NFKC form);
* **look-alike letters of other scripts** (Cyrillic "а е о р с х у і ј ѕ",
  Greek "ο α ν ι κ", Armenian "ց", IPA "ɡ ɑ" ...) become the Latin letter
  they look like, only in a word that has Latin letters and no other
  foreign letter: "сăn cước" (Cyrillic с) is "căn cước", a word written
  wholly in Cyrillic or Greek ("спасибо") is left as it is.

The look-alikes are a small table rather than a dependency: the PyPI
packages for Unicode confusables (confusable-homoglyphs, confusables) detect
mixed-script strings or compare two of them, they do not say which Latin
letter a Cyrillic one stands for in a word.
"""
from __future__ import annotations

import unicodedata
from typing import List, Optional, Tuple

from vietnamese.syllables import is_syllable

Span = Tuple[int, int]
ZWSP = "\u200b"

_VANISHING_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200C, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE007F), (0xE0100, 0xE01EF),
)

# Letters of other scripts drawn like a Latin letter (after Unicode's confusables.txt, the ones a phone
# keyboard or a copied text puts in Vietnamese words).
CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j",
    "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "к": "k",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Һ": "H", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
    # Greek
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "ρ": "p", "υ": "u", "χ": "x", "γ": "y",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Armenian
    "ց": "g", "օ": "o", "ս": "u", "հ": "h", "ո": "n", "զ": "q", "Օ": "O", "Տ": "S",
    # IPA and other Latin shapes
    "ɡ": "g", "ɑ": "a", "ı": "i", "ɩ": "i", "ʏ": "y", "ɴ": "N", "ʜ": "H",
}


def vanishes(char: str) -> bool:
    """True for an invisible character that never separates words."""
    point = ord(char)
    return any(low <= point <= high for low, high in _VANISHING_RANGES)


def ascii_alnum(char: str) -> Optional[str]:
    """The ASCII digit or letter `char` stands for when it is a digit of another script or a full-width or
    mathematical Latin letter; None otherwise (ASCII itself, Vietnamese letters, everything else)."""
    if char.isascii():
        return None
    if unicodedata.category(char) == "Nd":
        return str(unicodedata.decimal(char))
    if unicodedata.category(char).startswith("L"):
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and folded.isascii() and folded.isalnum():
            return folded
    return None


def _is_latin(char: str) -> bool:
    return ("a" <= char.lower() <= "z") or ("\u00c0" <= char <= "\u024f") or ("\u1e00" <= char <= "\u1eff")


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def _fold_look_alikes(chars: List[str]) -> None:
    """Replace, in place, look-alike letters in words that are otherwise Latin."""
    index = 0
    while index < len(chars):
        if not _is_word_char(chars[index]):
            index += 1
            continue
        end = index
        while end < len(chars) and _is_word_char(chars[end]):
            end += 1
        word = chars[index:end]
        letters = [c for c in word if unicodedata.category(c).startswith("L")]
        if any(_is_latin(c) for c in letters) and all(_is_latin(c) or c in CONFUSABLES for c in letters):
            for offset, char in enumerate(word):
                if char in CONFUSABLES:
                    chars[index + offset] = CONFUSABLES[char]
        index = end


def _chunk(chars: List[str], start: int, step: int) -> str:
    """The letters (with their marks) next to position `start`, walking by `step`; at most 10."""
    out = []
    index = start
    while 0 <= index < len(chars) and len(out) <= 10:
        char = chars[index]
        if not (char.isalpha() or unicodedata.combining(char)):
            break
        out.append(char)
        index += step
    if step < 0:
        out.reverse()
    return unicodedata.normalize("NFC", "".join(out))


def _separates(chars: List[str], index: int) -> bool:
    """Whether the zero-width space at `index` stands between two words (see the module)."""
    left, right = _chunk(chars, index - 1, -1), _chunk(chars, index + 1, 1)
    return is_syllable(left) and is_syllable(right) and not is_syllable(left + right)


def clean(text: str) -> Tuple[List[str], List[Span]]:
    """The characters of `text` with invisible ones removed and look-alikes read (see the module),
    each with its span in `text`."""
    chars: List[str] = []
    spans: List[Span] = []
    for index, char in enumerate(text):
        if vanishes(char):
            continue
        chars.append(ascii_alnum(char) or char)
        spans.append((index, index + 1))
    _fold_look_alikes(chars)
    if ZWSP not in chars:
        return chars, spans
    out: List[str] = []
    out_spans: List[Span] = []
    for index, char in enumerate(chars):
        if char == ZWSP:
            if _separates(chars, index):
                out.append(" ")
                out_spans.append(spans[index])
            continue
        out.append(char)
        out_spans.append(spans[index])
    return out, out_spans
