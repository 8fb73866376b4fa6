"""Normalise how citizens type Vietnamese, for the NLU and for the search alike.

`normalize(text)` (the NLU) returns the normalised text and, for every
character of it, the span of the original text it came from, so that tokens
and entities found in the normalised text point at exact characters of the
user's message. `query_words(text)` (the search) returns the folded words of
a question. Both read the text through the same steps (`prepare`):

* invisible characters removed, digits of any script made ASCII, look-alike
  letters of other scripts read as Latin in Latin words
  (vietnamese.characters: "kh\\u200bai" → "khai", "đăng\\u200bký" →
  "đăng ký", Cyrillic "с" in "сăn cước" → "c");
* Unicode NFC (phones and some keyboards send decomposed marks);
* emoji and symbols become spaces;
* one tone-mark placement ("hoà", "thuỷ" → "hòa", "thủy");
* an OA keyword command opening the message read as words
  (vietnamese.hashtags: "#tracuuhoso" → "tra cứu hồ sơ");
* Telex or VNI keystrokes decoded when the message clearly was typed that way
  (vietnamese.keystrokes: "lamf laij" → "làm lại", "la2m ho65 chie61u" →
  "làm hộ chiếu").

Then each reads the one table of abbreviations and chat spellings
(vietnamese.abbreviations): the NLU the accented table, word by word,
case-insensitively, the contextual entries only where their sentence says
so ("ko", "hông" → "không"; "dk" → "đăng ký"; "cần chi?" → "cần gì?"); the
search its folded table ("dk" → "dang ky"). The NLU text has runs of spaces
and repeated punctuation collapsed.

Every step keeps the span contract: a character that is kept keeps its
span; a word replaced (an abbreviation, a decoded word, a hash-tag) gives
each character of its replacement the span of the whole word as typed; a
space put between glued words has the span of the character it replaced or
of the word it splits.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from vietnamese.abbreviations import ABBREVIATIONS, CONTEXTS, FINAL_PARTICLES, expand_folded
from vietnamese.characters import clean
from vietnamese.folding import fold_words
from vietnamese.hashtags import read_tag
from vietnamese.keystrokes import decode_message
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
_SENTENCE_END = re.compile(r"[?.!;…\n]")
_TAG_RE = re.compile(r"\s*#([0-9A-Za-zÀ-ỹĐđ]+)")


@dataclass(frozen=True)
class Normalized:
    text: str
    spans: List[Span]  # for each character of `text`, its span in the original

    def original_span(self, start: int, end: int) -> Span:
        """The original span covered by normalised characters [start, end)."""
        if start >= end or not self.spans:
            return (0, 0)
        return self.spans[start][0], self.spans[end - 1][1]


def _nfc_with_spans(chars: Sequence[str], spans: Sequence[Span]) -> Tuple[str, List[Span]]:
    """NFC per grapheme cluster, each composed character spanning the characters it came from."""
    out: List[str] = []
    out_spans: List[Span] = []
    start = 0
    while start < len(chars):
        end = start + 1
        while end < len(chars) and unicodedata.combining(chars[end]):
            end += 1
        if end == start + 1:
            out.append(chars[start])
            out_spans.append(spans[start])
        else:
            span = (spans[start][0], spans[end - 1][1])
            for char in unicodedata.normalize("NFC", "".join(chars[start:end])):
                out.append(char)
                out_spans.append(span)
        start = end
    return "".join(out), out_spans


def _is_symbol(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("So", "Sk", "Cs", "Co", "Cn") or (category.startswith("C") and char not in "\t\n\r")


def _match_case(replacement: str, original: str) -> str:
    return replacement.upper() if original.isupper() and len(original) > 1 else replacement


def _replace(text: str, spans: List[Span], replacements: Dict[Span, str]) -> Tuple[str, List[Span]]:
    """`text` with the regions [start, end) of `replacements` replaced, each new character spanning
    the whole region's original characters."""
    out: List[str] = []
    out_spans: List[Span] = []
    position = 0
    for (start, end), replacement in sorted(replacements.items()):
        out.append(text[position:start])
        out_spans.extend(spans[position:start])
        out.append(replacement)
        out_spans.extend([(spans[start][0], spans[end - 1][1])] * len(replacement))
        position = end
    out.append(text[position:])
    out_spans.extend(spans[position:])
    return "".join(out), out_spans


def _hashtags(text: str, spans: List[Span]) -> Tuple[str, List[Span]]:
    """The keyword commands opening the message, read (vietnamese.hashtags)."""
    replacements: Dict[Span, str] = {}
    position = 0
    while True:
        match = _TAG_RE.match(text, position)
        if match is None:
            break
        hash_at = match.start(1) - 1
        replacements[(hash_at, match.end())] = read_tag(match.group(1))
        position = match.end()
    return _replace(text, spans, replacements) if replacements else (text, spans)


def _keystrokes(text: str, spans: List[Span]) -> Tuple[str, List[Span]]:
    """Telex or VNI keystrokes read, when the message clearly is typed that way (vietnamese.keystrokes)."""
    matches = list(WORD_RE.finditer(text))
    decoded = decode_message([m.group(0) for m in matches])
    replacements = {(m.start(), m.end()): word for m, word in zip(matches, decoded) if word is not None}
    return _replace(text, spans, replacements) if replacements else (text, spans)


def prepare(text: str) -> Tuple[str, List[Span]]:
    """`text` through the steps the NLU and the search share (see the module), with the spans."""
    chars, spans = clean(text)
    composed, spans = _nfc_with_spans(chars, spans)
    composed = "".join(" " if _is_symbol(c) else c for c in composed)
    # Tone placement: same length, so spans are unchanged.
    composed = _TONE_RE.sub(lambda m: _match_case(_TONE_MOVES[m.group(0).lower()], m.group(0)), composed)
    composed, spans = _hashtags(composed, spans)
    return _keystrokes(composed, spans)


def _expansion(text: str, matches: List[re.Match], index: int) -> Optional[str]:
    """The table's expansion of word `index` of `text`, where its sentence allows it; None to keep it."""
    word = matches[index].group(0)
    lower = word.lower()
    expansion = ABBREVIATIONS.get(lower)
    if expansion is None or expansion == lower:
        return None
    context = CONTEXTS.get(lower)
    if context is None:
        return expansion
    before = text[matches[index - 1].end():matches[index].start()] if index else ""
    after = text[matches[index].end():matches[index + 1].start()] if index + 1 < len(matches) else ""
    starts = index == 0 or bool(_SENTENCE_END.search(before))
    following = matches[index + 1].group(0).lower() if index + 1 < len(matches) and not _SENTENCE_END.search(after) else None
    ends = following is None or following in FINAL_PARTICLES
    previous = matches[index - 1].group(0).lower() if index and not starts else None
    if word[:1].isupper() and not starts:
        return None  # a name inside a sentence: "Kim Chi"
    return expansion if context.holds(previous, following, starts, ends) else None


def normalize(text: str) -> Normalized:
    """`text` normalised (see the module), with the original span of every character.

    An abbreviation typed in capitals is expanded in capitals ("ĐK" →
    "ĐĂNG KÝ"); every character of an expansion maps to the whole
    abbreviation. Empty text gives `Normalized("", [])`.
    """
    if not text:
        return Normalized("", [])
    chars, spans = prepare(text)

    # Word-level replacements and whitespace/punctuation collapse, rebuilding spans.
    out: List[str] = []
    out_spans: List[Span] = []
    position = 0
    matches = list(WORD_RE.finditer(chars))
    for index, match in enumerate(matches):
        _copy_between(chars, spans, position, match.start(), out, out_spans)
        word = match.group(0)
        replacement = _expansion(chars, matches, index)
        word_span = (spans[match.start()][0], spans[match.end() - 1][1])
        if replacement is not None:
            replacement = _match_case(replacement, word)
            out.extend(replacement)
            out_spans.extend([word_span] * len(replacement))
        else:
            out.extend(word)
            out_spans.extend(spans[match.start():match.end()])
        position = match.end()
    _copy_between(chars, spans, position, len(chars), out, out_spans)

    # Trim leading/trailing spaces.
    start, end = 0, len(out)
    while start < end and out[start] == " ":
        start += 1
    while end > start and out[end - 1] == " ":
        end -= 1
    return Normalized("".join(out[start:end]), out_spans[start:end])


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

    "ĐK tạm trú cần j" → ["dang", "ky", "tam", "tru", "can", "gi"]; read
    through the same steps as the NLU's text ("lamf laij cccd" → ["lam",
    "lai", "can", "cuoc", "cong", "dan"]).
    """
    if not isinstance(text, str) or not text:
        return []
    prepared, _ = prepare(text[:max_chars])
    return expand_folded(fold_words(prepared))
