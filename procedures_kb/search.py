"""Rank procedures for a free-text question.

Everything is compared in folded form (no diacritics, lower case), after
expanding abbreviations. A procedure's score adds:

* BM25 over the words of its official name and everyday names (aliases);
* a bonus for word pairs of the name found in the question ("khai sinh");
* a strong bonus when a whole everyday name appears in the question
  ("lam so do"), the way people actually ask;
* a small bonus for covering most of the name (prefers "đăng ký khai sinh"
  over "đăng ký khai sinh lưu động" when the question says no more), and for
  matching the question's diacritics when it has them.

Words the catalogue does not know are corrected to a known word one edit
away (typos). Procedures whose names differ only by the level that handles
them are grouped: the commune-level variant comes first and the others are
returned as its alternatives.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from procedures_kb.models import level_sort_key
from procedures_kb.text import accented_words, fold, has_diacritics, normalize_query

MAX_QUERY_CHARS = 2000

# Question phrasing that says what is asked, not which procedure.
STOP_PHRASES = (
    "can nhung giay to gi",
    "nhung giay to gi",
    "giay to gi",
    "can giay to",
    "giay to",
    "thanh phan ho so",
    "ho so",
    "thu tuc",
    "nhu the nao",
    "the nao",
    "bao lau",
    "bao nhieu",
    "o dau",
    "le phi",
    "chi phi",
    "lam sao",
    "huong dan",
)
STOP_WORDS = frozenset(
    """a ad ah admin oi nhe nha vay the sao gi nao dau nhung cac la thi co de va cua o nop
    tien phi mat lau em anh chi toi minh ban duoc khong can muon hoi xin cho giup lam
    u voi ve trong tai nay kia roi chua da dang se bi phai cung nhu con khi neu ma
    online truc tuyen mat""".split()
)
# Name words that say nothing about which procedure it is.
NAME_NOISE = frozenset({"thu", "tuc"})
_LEVEL_SUFFIX_RE = re.compile(
    r"\(?\s*(thuc hien )?tai (cap|cuc|phong|bo|co quan)[^)]*\)?|\(?\s*cap (trung uong|tinh|xa|huyen)\s*\)?"
)

K1 = 1.2
B = 0.75
BIGRAM_WEIGHT = 1.5
ALIAS_WEIGHT = 8.0
COVERAGE_WEIGHT = 2.0
ACCENT_WEIGHT = 0.5
ACCENT_MISMATCH = 0.4
MISSING_WEIGHT = 0.5


@dataclass
class Variant:
    code: str
    name: str
    levels: List[str]
    curated: bool = False


@dataclass
class SearchHit:
    code: str
    name: str
    levels: List[str]
    field: Optional[str]
    score: float
    alternatives: List[Variant] = dc_field(default_factory=list)
    curated: bool = False
    # The question names this procedure completely: every word of its name
    # (level aside) or one of its everyday names.
    covered: bool = False
    # Share of the question's content words found in the name or everyday names.
    explained: float = 0.0


@dataclass
class _Doc:
    procedure_id: int
    code: str
    name: str
    levels: List[str]
    field: Optional[str]
    words: List[str]
    accented: Set[str]
    bigrams: Set[Tuple[str, str]]
    aliases: List[Tuple[str, ...]]
    variant_key: str
    key_words: Set[str] = dc_field(default_factory=set)
    length: int = 0
    terms: Set[str] = dc_field(default_factory=set)


def _bigrams(words: Sequence[str]) -> Set[Tuple[str, str]]:
    return {(a, b) for a, b in zip(words, words[1:])}


def _deletes(word: str) -> Set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _typed_accents(query: str) -> Dict[str, Set[str]]:
    """Folded word → the accented forms the user typed, for words typed with marks."""
    typed: Dict[str, Set[str]] = defaultdict(set)
    for word in accented_words(query):
        if has_diacritics(word):
            typed[fold(word)].add(word)
    return typed


def _strip_stop_phrases(words: List[str]) -> List[str]:
    text = " " + " ".join(words) + " "
    for phrase in STOP_PHRASES:
        text = text.replace(" " + phrase + " ", " ")
    return text.split()


def _contains(sequence: Sequence[str], phrase: Sequence[str], max_gaps: int = 1) -> bool:
    """The phrase's words appear in order, with at most ``max_gaps`` words between them."""
    n = len(phrase)
    for start, word in enumerate(sequence):
        if word != phrase[0]:
            continue
        position, gaps, matched = start + 1, 0, 1
        while matched < n and position < len(sequence) and gaps <= max_gaps:
            if sequence[position] == phrase[matched]:
                matched += 1
            else:
                gaps += 1
            position += 1
        if matched == n and gaps <= max_gaps:
            return True
    return False


class SearchIndex:
    """An in-memory index of the catalogue; build it once, query it often."""

    def __init__(self, docs: List[_Doc]):
        self.docs = docs
        self.postings: Dict[str, List[int]] = defaultdict(list)
        self.bigram_df: Counter = Counter()
        self.alias_index: Dict[str, List[Tuple[int, Tuple[str, ...]]]] = defaultdict(list)
        for index, doc in enumerate(docs):
            terms = set(doc.words)
            for alias in doc.aliases:
                terms.update(alias)
                if alias:
                    self.alias_index[alias[0]].append((index, alias))
            doc.terms = terms
            for term in terms:
                self.postings[term].append(index)
            self.bigram_df.update(doc.bigrams)
            doc.length = len(doc.words)
        self.n_docs = max(len(docs), 1)
        self.avg_len = sum(d.length for d in docs) / self.n_docs if docs else 1.0
        self.idf = {
            term: math.log(1 + (self.n_docs - len(ids) + 0.5) / (len(ids) + 0.5))
            for term, ids in self.postings.items()
        }
        self._delete_map: Dict[str, List[str]] = defaultdict(list)
        for term in self.postings:
            if len(term) >= 4 and term.isalpha():
                for variant in _deletes(term):
                    self._delete_map[variant].append(term)

    @classmethod
    def build(
        cls,
        rows: Iterable[tuple],
        aliases: Iterable[tuple] = (),
    ) -> "SearchIndex":
        """rows: (id, code, name, levels, field); aliases: (procedure_id, text)."""
        alias_map: Dict[int, List[Tuple[str, ...]]] = defaultdict(list)
        for procedure_id, text in aliases:
            _, words = normalize_query(text)
            if words:
                alias_map[procedure_id].append(tuple(words))
        docs = []
        for procedure_id, code, name, levels, field in rows:
            folded = fold(name)
            words = [w for w in folded.split() if w not in NAME_NOISE]
            variant_key = _LEVEL_SUFFIX_RE.sub(" ", folded)
            variant_key = " ".join(w for w in variant_key.split() if w not in NAME_NOISE)
            docs.append(
                _Doc(
                    procedure_id=procedure_id,
                    code=code,
                    name=name,
                    levels=list(levels or []),
                    field=field,
                    words=words,
                    accented=set(accented_words(name)),
                    bigrams=_bigrams(words),
                    aliases=alias_map.get(procedure_id, []),
                    variant_key=variant_key,
                    key_words=set(_LEVEL_SUFFIX_RE.sub(" ", folded).replace("thu tuc", " ").split()) - STOP_WORDS,
                )
            )
        return cls(docs)

    @classmethod
    def from_session(cls, session) -> "SearchIndex":
        from procedures_kb import repository

        return cls.build(repository.search_rows(session), repository.alias_rows(session))

    def correct(self, word: str) -> str:
        """A known word one edit away from an unknown one, the most common first."""
        if word in self.postings or len(word) < 4 or not word.isalpha():
            return word
        candidates: Set[str] = set(self._delete_map.get(word, []))
        for variant in _deletes(word):
            if variant in self.postings:
                candidates.add(variant)
            candidates.update(self._delete_map.get(variant, []))
        if not candidates:
            return word
        return max(candidates, key=lambda term: (len(self.postings[term]), term))

    def search(self, query: str, limit: int = 5) -> List[SearchHit]:
        if not isinstance(query, str):
            return []
        query = query[:MAX_QUERY_CHARS]
        _, words = normalize_query(query)
        if not words or not self.docs:
            return []
        words = [self.correct(w) for w in words]
        content = [w for w in _strip_stop_phrases(words) if w not in STOP_WORDS]
        typed_accents = _typed_accents(query)
        scores: Dict[int, float] = defaultdict(float)
        for term in set(content):
            idf = self.idf.get(term)
            if idf is None:
                continue
            variants = typed_accents.get(term)
            for index in self.postings[term]:
                doc = self.docs[index]
                tf = doc.words.count(term) or 1
                norm = K1 * (1 - B + B * doc.length / self.avg_len)
                weight = idf * tf * (K1 + 1) / (tf + norm)
                if variants and not (variants & doc.accented) and not doc.aliases:
                    # The user wrote "sổ" with its marks; "số" in a name is another word.
                    weight *= ACCENT_MISMATCH
                scores[index] += weight
        if not scores:
            scores.update(self._alias_scores(words, len(content)))
            if not scores:
                return []
        alias_bonus = self._alias_scores(words, len(content))
        for index, bonus in alias_bonus.items():
            scores[index] += bonus
        query_bigrams = _bigrams(content)
        query_terms = set(content)
        accented = set(accented_words(query)) if has_diacritics(query) else set()
        known_terms = {t for t in query_terms if t in self.idf}
        for index in list(scores):
            doc = self.docs[index]
            unexplained = sum(self.idf[t] for t in known_terms - doc.terms)
            scores[index] -= MISSING_WEIGHT * unexplained
            for bigram in query_bigrams & doc.bigrams:
                scores[index] += BIGRAM_WEIGHT * math.log(1 + self.n_docs / self.bigram_df[bigram])
            if doc.words:
                covered = sum(1 for w in doc.words if w in query_terms) / len(doc.words)
                scores[index] += COVERAGE_WEIGHT * covered
            if accented and doc.accented:
                scores[index] += ACCENT_WEIGHT * len(accented & doc.accented) / len(doc.accented)
        all_words = set(words)
        covered = {
            index for index in scores
            if index in alias_bonus or (self.docs[index].key_words and self.docs[index].key_words <= all_words)
        }
        explained = {
            index: len(query_terms & self.docs[index].terms) / len(query_terms) if query_terms else 0.0
            for index in scores
        }
        return self._group(scores, limit, covered, explained)

    def _alias_scores(self, words: List[str], content_words: int) -> Dict[int, float]:
        """Everyday names found in the question; longer ones, covering more of it, count more."""
        bonus: Dict[int, float] = defaultdict(float)
        for word in set(words):
            for index, alias in self.alias_index.get(word, []):
                name = self.docs[index].words
                if len(alias) >= 0.6 * len(name) and _contains(name, alias, max_gaps=0):
                    continue  # it is (nearly) the official name, which already scores
                if _contains(words, alias):
                    coverage = min(1.0, len(alias) / max(content_words, 1))
                    weight = ALIAS_WEIGHT * (1 + 0.5 * (len(alias) - 1)) * (0.5 + 0.5 * coverage)
                    bonus[index] = max(bonus[index], weight)
        return bonus

    def _group(
        self,
        scores: Dict[int, float],
        limit: int,
        covered: Set[int] = frozenset(),
        explained: Optional[Dict[int, float]] = None,
    ) -> List[SearchHit]:
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self.docs[item[0]].code))
        hits: List[SearchHit] = []
        by_variant: Dict[str, SearchHit] = {}
        for index, score in ranked:
            doc = self.docs[index]
            group = by_variant.get(doc.variant_key)
            if group is not None:
                group.alternatives.append(Variant(doc.code, doc.name, doc.levels, bool(doc.aliases)))
                continue
            if len(hits) >= limit:
                continue
            hit = SearchHit(doc.code, doc.name, doc.levels, doc.field, round(score, 4))
            hit.curated = bool(doc.aliases)
            hit.covered = index in covered
            hit.explained = round((explained or {}).get(index, 0.0), 3)
            by_variant[doc.variant_key] = hit
            hits.append(hit)
        for hit in hits:
            self._prefer_commune(hit)
        return hits[:limit]

    @staticmethod
    def _prefer_commune(hit: SearchHit) -> None:
        if not hit.alternatives:
            return
        variants = [Variant(hit.code, hit.name, hit.levels, hit.curated)] + hit.alternatives
        # Commune level first; among equals, the procedure with everyday names, then by score.
        variants.sort(key=lambda v: (level_sort_key(v.levels), not v.curated))
        best = variants[0]
        hit.code, hit.name, hit.levels, hit.curated = best.code, best.name, best.levels, best.curated
        hit.alternatives = variants[1:]
