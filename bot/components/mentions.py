"""Find procedure mentions and verification digits in a normalised message."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Dict, Iterable, List, Sequence, Tuple

from vietnamese.folding import fold
from vietnamese.words import WORD_RE

_DIGITS_RE = re.compile(r"(?<![\d.\-/])(\d{4})(?![\d.\-/])")
_DIGIT_CUES = ("so cuoi", "4 so", "bon so", "duoi", "so dien thoai", "sdt")

Span = Tuple[int, int]


def words_with_spans(text: str) -> List[Tuple[str, int, int]]:
    """Folded words of `text` with their spans (folding keeps lengths)."""
    return [(fold(m.group(0)), m.start(), m.end()) for m in WORD_RE.finditer(text)]


class PhraseMatcher:
    """Longest contiguous match of known phrases over folded words."""

    def __init__(self, phrases: Iterable[str]):
        self.by_first: Dict[str, List[Tuple[str, ...]]] = defaultdict(list)
        for phrase in phrases:
            words = tuple(fold(phrase).split())
            if words and words not in self.by_first[words[0]]:
                self.by_first[words[0]].append(words)
        for first in self.by_first:
            self.by_first[first].sort(key=len, reverse=True)

    def phrases(self) -> List[str]:
        return sorted({" ".join(p) for options in self.by_first.values() for p in options})

    def find(self, text: str) -> List[Span]:
        words = words_with_spans(text)
        spans: List[Span] = []
        index = 0
        while index < len(words):
            matched = 0
            for phrase in self.by_first.get(words[index][0], ()):
                n = len(phrase)
                if tuple(w for w, _, _ in words[index:index + n]) == phrase:
                    matched = n
                    break
            if matched:
                spans.append((words[index][1], words[index + matched - 1][2]))
                index += matched
            else:
                index += 1
        return spans


def find_last_digits(text: str, taken: Sequence[Span] = ()) -> List[Span]:
    """Four-digit answers to "the last 4 digits of your phone number"."""
    folded = fold(text)
    short = len(folded.split()) <= 8
    if not short and not any(cue in folded for cue in _DIGIT_CUES):
        return []
    spans = []
    for match in _DIGITS_RE.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        spans.append((match.start(1), match.end(1)))
    return spans
