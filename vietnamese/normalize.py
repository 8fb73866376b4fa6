"""Normalise how citizens type Vietnamese, for the NLU and for the search alike.

`normalize(text)` (the NLU) returns the normalised text and, for every
character of it, the span of the original text it came from, so that tokens
and entities found in the normalised text point at exact characters of the
user's message. What it does:

* Unicode NFC (phones and some keyboards send decomposed marks);
* one tone-mark placement ("hoà", "thuỷ" → "hòa", "thủy");
* abbreviations and chat spellings from the one table
  (vietnamese.abbreviations: "ko", "k", "hông" → "không"; "dc", "đc" →
  "được"; "dk", "đk" → "đăng ký"; "cccd" → "căn cước công dân" ...), word by
  word, case-insensitively;
* emoji and symbols become spaces; runs of spaces and repeated punctuation
  collapse.

`query_words(text)` (the search) returns the folded words of a question with
the same abbreviations expanded (folded), so that both read "dk", "cmt",
"pp" alike.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import List, Tuple

from vietnamese.abbreviations import ABBREVIATIONS, expand_folded
from vietnamese.folding import fold_words, nfc
from vietnamese.words import WORD_RE

Span = Tuple[int, int]
MAX_QUERY_CHARS = 2000

# Old-style tone placement → the placement used by the national catalogue.
_TONE_MOVES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_RE = re.compile("(" + "|".join(_TONE_MOVES) + r")(?![a-zà-ỹđ])", re.IGNORECASE)


@dataclass(frozen=True)
class Normalized:
    text: str
    spans: List[Span]  # for each character of `text`, its span in the original

    def original_span(self, start: int, end: int) -> Span:
        """The original span covered by normalised characters [start, end)."""
        if start >= end or not self.spans:
            return (0, 0)
        return self.spans[start][0], self.spans[end - 1][1]


def _nfc_with_spans(text: str) -> Tuple[str, List[Span]]:
    """NFC per grapheme cluster, remembering which original characters each came from."""
    out: List[str] = []
    spans: List[Span] = []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        composed = unicodedata.normalize("NFC", text[start:end])
        for char in composed:
            out.append(char)
            spans.append((start, end))
        start = end
    return "".join(out), spans


def _is_symbol(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("So", "Sk", "Cs", "Co", "Cn") or (category.startswith("C") and char not in "\t\n\r")


def _match_case(replacement: str, original: str) -> str:
    return replacement.upper() if original.isupper() and len(original) > 1 else replacement


def normalize(text: str) -> Normalized:
    """`text` normalised (see the module), with the original span of every character.

    An abbreviation typed in capitals is expanded in capitals ("ĐK" →
    "ĐĂNG KÝ"); every character of an expansion maps to the whole
    abbreviation. Empty text gives `Normalized("", [])`.
    """
    if not text:
        return Normalized("", [])
    chars, spans = _nfc_with_spans(text)

    # Symbols and emoji become spaces.
    chars = "".join(" " if _is_symbol(c) else c for c in chars)

    # Tone placement: same length, so spans are unchanged.
    chars = _TONE_RE.sub(lambda m: _match_case(_TONE_MOVES[m.group(0).lower()], m.group(0)), chars)

    # Word-level replacements and whitespace/punctuation collapse, rebuilding spans.
    out: List[str] = []
    out_spans: List[Span] = []
    position = 0
    for match in WORD_RE.finditer(chars):
        _copy_between(chars, spans, position, match.start(), out, out_spans)
        word = match.group(0)
        replacement = ABBREVIATIONS.get(word.lower())
        word_span = (spans[match.start()][0], spans[match.end() - 1][1])
        if replacement is not None and replacement != word.lower():
            replacement = _match_case(replacement, word)
            out.extend(replacement)
            out_spans.extend([word_span] * len(replacement))
        else:
            out.extend(word)
            out_spans.extend(spans[match.start():match.end()])
        position = match.end()
    _copy_between(chars, spans, position, len(chars), out, out_spans)

    # Trim leading/trailing spaces.
    while out and out[0] == " ":
        out.pop(0)
        out_spans.pop(0)
    while out and out[-1] == " ":
        out.pop()
        out_spans.pop()
    return Normalized("".join(out), out_spans)


def _copy_between(chars: str, spans: List[Span], start: int, end: int, out: List[str], out_spans: List[Span]) -> None:
    """Copy non-word characters, collapsing whitespace and repeated punctuation."""
    segment = chars[start:end]
    for offset, char in enumerate(segment):
        index = start + offset
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                out_spans.append(spans[index])
            continue
        if out and out[-1] == char and char in "!?.,":
            continue
        out.append(char)
        out_spans.append(spans[index])


def query_words(text: str, max_chars: int = MAX_QUERY_CHARS) -> List[str]:
    """Folded, abbreviation-expanded words of a question (its first `max_chars` characters), for search.

    "ĐK tạm trú cần j" → ["dang", "ky", "tam", "tru", "can", "gi"].
    """
    return expand_folded(fold_words(nfc(text or "")[:max_chars]))
