"""A plain keyword-match search, the baseline retrieval is compared against.

Lower-case words of the question that also appear in a procedure's official
name, counted; ties go to the shorter name. No diacritic folding, no
everyday names, no abbreviations, no typo tolerance.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Dict, Iterable, List, Tuple


def _words(text: str) -> List[str]:
    return re.findall(r"\w+", text.lower())


class KeywordBaseline:
    def __init__(self, rows: Iterable[tuple]):
        self.names: Dict[str, str] = {}
        self.postings: Dict[str, List[str]] = defaultdict(list)
        for _id, code, name, _levels, _field in rows:
            self.names[code] = name
            for word in set(_words(name)):
                self.postings[word].append(code)

    def search(self, query: str, limit: int = 5) -> List[str]:
        counts: Dict[str, int] = defaultdict(int)
        for word in set(_words(query)):
            for code in self.postings.get(word, ()):
                counts[code] += 1
        ranked: List[Tuple[int, int, str]] = sorted(
            (-count, len(self.names[code]), code) for code, count in counts.items()
        )
        return [code for _, _, code in ranked[:limit]]
