"""Put diacritics back on words typed without them, from the project's own vocabulary.

Trained on accented text the project already has (NLU training examples and
the curated catalogue): for each word written without marks ("so"), the
accented words it may stand for ("sổ", "số", "sở", ...) are scored by how
often they follow the previous word, and the best sequence is chosen with a
small Viterbi search. Words the user wrote with marks are kept as written;
words the vocabulary does not know are left alone. The output has exactly the
same length as the input, so character offsets stay valid.

A word without marks is also left alone where the citizen clearly wrote it
so on purpose (`intended`):
* in a message typed with marks (at least half of its words carry them), its
  words without marks are meant that way ("Lào Cai", "Cà Mau": restoring
  "Cai" by its frequency gave "Cải");
* a capitalised word next to a capitalised word with marks is a name
  ("lam ho chieu o Lào Cai").
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Dict, Iterable, List, Optional, Tuple

from vietnamese.folding import fold, has_diacritics
from vietnamese.words import WORD_RE

START = "<s>"


class DiacriticRestorer:
    def __init__(self, unigrams: Dict[str, int], bigrams: Dict[str, int]):
        self.unigrams = Counter(unigrams)
        self.bigrams = Counter(bigrams)
        self.candidates: Dict[str, List[str]] = defaultdict(list)
        for word in self.unigrams:
            self.candidates[fold(word)].append(word)
        self.total = sum(self.unigrams.values()) or 1

    @classmethod
    def train(cls, texts: Iterable[str]) -> "DiacriticRestorer":
        unigrams: Counter = Counter()
        bigrams: Counter = Counter()
        for text in texts:
            words = [w.lower() for w in WORD_RE.findall(text)]
            if not words or not any(has_diacritics(w) for w in words):
                continue
            unigrams.update(words)
            for prev, word in zip([START] + words, words):
                bigrams[f"{prev} {word}"] += 1
        return cls(dict(unigrams), dict(bigrams))

    def to_dict(self) -> Dict[str, Dict[str, int]]:
        return {"unigrams": dict(self.unigrams), "bigrams": dict(self.bigrams)}

    @classmethod
    def from_dict(cls, data: Dict[str, Dict[str, int]]) -> "DiacriticRestorer":
        return cls(data.get("unigrams", {}), data.get("bigrams", {}))

    def _score(self, prev: str, word: str) -> float:
        unigram = (self.unigrams[word] + 0.1) / self.total
        bigram = self.bigrams[f"{prev} {word}"]
        prev_count = self.unigrams[prev] if prev != START else self.total
        return math.log(0.3 * unigram + 0.7 * (bigram / prev_count if prev_count else 0.0) + 1e-9)

    def restore_words(self, words: List[str]) -> List[str]:
        """Choose an accented form for each unaccented word the vocabulary knows and the citizen did not
        write without marks on purpose (`intended`)."""
        kept = intended(words)
        options: List[List[str]] = []
        for word, keep in zip(words, kept):
            lower = word.lower()
            if keep or has_diacritics(word) or lower not in self.candidates:
                options.append([lower])
            else:
                options.append(self.candidates[lower])
        best: List[Tuple[float, List[str]]] = [(0.0, [START])]
        for choices in options:
            step: Dict[str, Tuple[float, List[str]]] = {}
            for choice in choices:
                for score, path in best:
                    candidate = score + self._score(path[-1], choice)
                    if choice not in step or candidate > step[choice][0]:
                        step[choice] = (candidate, path + [choice])
            best = sorted(step.values(), key=lambda item: -item[0])[:4]
        chosen = best[0][1][1:]
        return [_match_case(restored, original) for restored, original in zip(chosen, words)]

    def restore(self, text: str) -> str:
        """Restore diacritics in `text`, keeping its length and everything but the words."""
        matches = list(WORD_RE.finditer(text))
        if not matches:
            return text
        restored = self.restore_words([m.group(0) for m in matches])
        out = list(text)
        for match, word in zip(matches, restored):
            if len(word) == len(match.group(0)):
                out[match.start():match.end()] = word
        return "".join(out)


def intended(words: List[str]) -> List[bool]:
    """For each word, whether it stands as written: written with marks, or without them on purpose (see the module)."""
    lettered = [w for w in words if any(c.isalpha() for c in w)]
    marked = [has_diacritics(w) for w in words]
    if lettered and 2 * sum(marked) >= len(lettered):
        return [True] * len(words)
    kept = list(marked)
    for index, word in enumerate(words):
        if kept[index] or not word[:1].isupper():
            continue
        neighbours = words[max(0, index - 1):index] + words[index + 1:index + 2]
        kept[index] = any(n[:1].isupper() and has_diacritics(n) for n in neighbours)
    return kept


def _match_case(restored: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return restored.upper()
    if original[:1].isupper():
        return restored[:1].upper() + restored[1:]
    return restored


def restore_or_none(restorer: Optional[DiacriticRestorer], text: str) -> str:
    return restorer.restore(text) if restorer is not None else text
