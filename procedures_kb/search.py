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

import heapq
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

from procedures_kb.models import level_sort_key
from vietnamese.folding import accented_words, fold, has_diacritics
from vietnamese.normalize import query_words

MAX_QUERY_CHARS = 2000

# Question phrasing that says what is asked, not which procedure.
STOP_PHRASES = (
    "so dien thoai",
    "mang theo",
    "bo sung",
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
# Words of the question's phrasing, never "corrected" into a catalogue word ("nhieu" of "bao nhieu").
_PHRASING_WORDS = STOP_WORDS | frozenset(w for phrase in STOP_PHRASES for w in phrase.split())
# Name words that say nothing about which procedure it is.
NAME_NOISE = frozenset({"thu", "tuc"})
# Verbs every other name starts with: a question may leave them out and still name the procedure
# completely ("khai sinh" names "Đăng ký khai sinh"; "làm lại căn cước" names "Cấp lại thẻ căn cước").
GENERIC_NAME_WORDS = frozenset({"dang", "ky", "cap", "the", "giai", "quyet", "thu", "tuc"})
# Words of a name a question need not repeat to name it (joining words, not what tells procedures apart).
NAME_JOINING_WORDS = frozenset(
    "cho cua va cac nhung trong tai ve voi theo la ma co hoac boi den tu o duoc thi mot nay do nguoi".split()
)
_NAME_JOINING_PHRASES = (" doi voi ", " thu tuc ", " truong hop ")
# "không phải" in a name or a question is one word: it tells "người dịch không phải là cộng tác viên" from
# "người dịch là cộng tác viên", and both of its words are stop words on their own.
NEGATION = ("khong", "phai")
NEGATION_TERM = "khongphai"
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
# A long letter says many words no name has: the missing-words penalty counts as if it had this many words.
MISSING_WORDS_CAP = 10
# A question that says "không phải" contradicts a name that does not: its score is multiplied by this.
CONTRADICTION = 0.7


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
    # The question's content words found in the name or everyday names (folded).
    matched: FrozenSet[str] = frozenset()
    # The question contains one of its everyday names ("đăng ký xe máy", "làm sổ đỏ").
    by_everyday_name: bool = False
    # Share of the name's key words (counted) the question says, 0..1.
    name_share: float = 0.0


@dataclass
class _QueryView:
    """What the question said, for describing the hits: content terms, all words, everyday names found."""

    terms: Set[str]
    words: Counter
    alias_matches: Set[int]
    typed_accents: Dict[str, Set[str]] = dc_field(default_factory=dict)
    # The question's words in order (for "does it say this whole name") and the levels it names.
    sequence: List[str] = dc_field(default_factory=list)
    levels: FrozenSet[str] = frozenset()


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
    key_words: Counter = dc_field(default_factory=Counter)
    tf: Counter = dc_field(default_factory=Counter)
    length: int = 0
    terms: Set[str] = dc_field(default_factory=set)
    # The levels its name or its record names ("bo", "tinh", "xa"; see level_keys).
    level_keys: FrozenSet[str] = frozenset()
    # Its whole name as a question's words (vietnamese.normalize.query_words).
    name_words: Tuple[str, ...] = ()


# A level said in words ("thực hiện tại cấp trung ương", "cấp tỉnh"), folded, and the key it stands for.
_LEVEL_SAID_RE = re.compile(r"\b(?:cap (trung uong|bo|tinh|huyen|xa)|(trung uong))\b")
_LEVEL_KEYS = {"trung uong": "bo", "bo": "bo", "tinh": "tinh", "huyen": "huyen", "xa": "xa"}
_RECORD_LEVEL_KEYS = {"Cấp bộ": "bo", "Cấp tỉnh": "tinh", "Cấp xã": "xa", "Cấp huyện": "huyen"}


def level_keys(folded_text: str) -> FrozenSet[str]:
    """The levels a folded text names: "... (thực hiện tại cấp trung ương)" → {"bo"}, "cấp tỉnh" → {"tinh"}."""
    return frozenset(_LEVEL_KEYS[a or b] for a, b in _LEVEL_SAID_RE.findall(folded_text))


def _doc_level_keys(folded_name: str, levels: Sequence[str]) -> FrozenSet[str]:
    """The level a name's suffix states ("(cấp tỉnh)"), else the levels of its record."""
    suffix = _LEVEL_SUFFIX_RE.search(folded_name)
    said = level_keys(suffix.group(0)) if suffix else frozenset()
    return said or frozenset(_RECORD_LEVEL_KEYS[level] for level in levels or [] if level in _RECORD_LEVEL_KEYS)


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


def with_negation(words: List[str]) -> List[str]:
    """`words` plus NEGATION_TERM when they say "không phải"."""
    return words + [NEGATION_TERM] if _contains(words, NEGATION, max_gaps=0) else words


def key_words(folded_name: str) -> Counter:
    """The words a question must say to name this procedure completely, with how often the name says them.

    The level ("thực hiện tại cấp tỉnh"), joining words and the generic verbs
    aside. Counted, because folding merges words: "Cấp lại giấy phép lái xe"
    needs "lai" twice ("lại", "lái"), "giấy phép lái xe" says it once.
    """
    text = " " + _LEVEL_SUFFIX_RE.sub(" ", folded_name) + " "
    for phrase in _NAME_JOINING_PHRASES:
        text = text.replace(phrase, " ")
    words = [w for w in with_negation(text.split()) if w not in NAME_JOINING_WORDS]
    keys = Counter(w for w in words if w not in GENERIC_NAME_WORDS)
    return keys or Counter(words)


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
        self.variant_members: Dict[str, List[int]] = defaultdict(list)
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
            doc.tf = Counter(doc.words)
            self.variant_members[doc.variant_key].append(index)
        self.n_docs = max(len(docs), 1)
        self.avg_len = sum(d.length for d in docs) / self.n_docs if docs else 1.0
        self.idf = {
            term: math.log(1 + (self.n_docs - len(ids) + 0.5) / (len(ids) + 0.5))
            for term, ids in self.postings.items()
        }
        # BM25 weight of each term in each document, computed once.
        # Each posting: (document, BM25 weight, idf, times the term is in the official name).
        self.weighted: Dict[str, List[Tuple[int, float, float, int]]] = {}
        for term, ids in self.postings.items():
            idf = self.idf[term]
            entries = []
            for index in ids:
                doc = docs[index]
                in_name = doc.tf.get(term, 0)
                tf = in_name or 1
                norm = K1 * (1 - B + B * doc.length / self.avg_len)
                entries.append((index, idf * tf * (K1 + 1) / (tf + norm), idf, in_name))
            self.weighted[term] = entries
        self.bigram_postings: Dict[Tuple[str, str], List[int]] = defaultdict(list)
        for index, doc in enumerate(docs):
            for bigram in doc.bigrams:
                self.bigram_postings[bigram].append(index)
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
            words = query_words(text)
            if words:
                alias_map[procedure_id].append(tuple(words))
        docs = []
        for procedure_id, code, name, levels, field in rows:
            folded = fold(name)
            words = with_negation([w for w in folded.split() if w not in NAME_NOISE])
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
                    key_words=key_words(folded),
                    level_keys=_doc_level_keys(folded, levels),
                    name_words=tuple(query_words(name)),
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
        words = query_words(query)
        if not words or not self.docs:
            return []
        words = with_negation([w if w in _PHRASING_WORDS else self.correct(w) for w in words])
        content = [w for w in _strip_stop_phrases(words) if w not in STOP_WORDS]
        typed_accents = _typed_accents(query)
        scores: Dict[int, float] = defaultdict(float)
        docs = self.docs
        found_idf: Dict[int, float] = defaultdict(float)  # idf of the question's words a document has
        in_name: Dict[int, int] = defaultdict(int)  # how many words of its name the question has
        for term in set(content):
            postings = self.weighted.get(term)
            if postings is None:
                continue
            variants = typed_accents.get(term)
            for index, weight, idf, count in postings:
                if variants:
                    doc = docs[index]
                    if not doc.aliases and not (variants & doc.accented):
                        # The user wrote "sổ" with its marks; "số" in a name is another word.
                        weight *= ACCENT_MISMATCH
                scores[index] += weight
                found_idf[index] += idf
                in_name[index] += count
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
        known_idf = sum(self.idf[t] for t in query_terms if t in self.idf)
        missing_weight = MISSING_WEIGHT * min(1.0, MISSING_WORDS_CAP / max(len(query_terms), 1))
        negated = NEGATION_TERM in query_terms
        bigram_bonus: Dict[int, float] = defaultdict(float)
        for bigram in query_bigrams:
            ids = self.bigram_postings.get(bigram)
            if ids:
                bonus = BIGRAM_WEIGHT * math.log(1 + self.n_docs / self.bigram_df[bigram])
                for index in ids:
                    bigram_bonus[index] += bonus
        for index in list(scores):
            doc = docs[index]
            score = scores[index] - missing_weight * (known_idf - found_idf.get(index, 0.0))
            score += bigram_bonus.get(index, 0.0)
            if doc.length:
                score += COVERAGE_WEIGHT * in_name.get(index, 0) / doc.length
            if accented and doc.accented:
                score += ACCENT_WEIGHT * len(accented & doc.accented) / len(doc.accented)
            if negated and NEGATION_TERM not in doc.terms:
                score = score * CONTRADICTION if score > 0 else score
            scores[index] = score
        view = _QueryView(query_terms, Counter(words), set(alias_bonus), typed_accents, words,
                          level_keys(" ".join(words)))
        return self._group(scores, limit, view)

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

    def _group(self, scores: Dict[int, float], limit: int, view: Optional["_QueryView"] = None) -> List[SearchHit]:
        """The best `limit` procedures, level variants of one procedure grouped under it."""

        def rank(item: Tuple[int, float]) -> Tuple[float, str]:
            return (-item[1], self.docs[item[0]].code)

        pool = heapq.nsmallest(limit * 10, scores.items(), key=rank)
        hits = self._first_of_groups(pool, limit, view)
        if len(hits) < limit and len(pool) < len(scores):
            hits = self._first_of_groups(sorted(scores.items(), key=rank), limit, view)
        for index, hit in hits:
            doc = self.docs[index]
            others = [i for i in self.variant_members[doc.variant_key] if i != index and i in scores]
            others.sort(key=lambda i: rank((i, scores[i])))
            hit.alternatives = [
                Variant(self.docs[i].code, self.docs[i].name, self.docs[i].levels, bool(self.docs[i].aliases))
                for i in others
            ]
            self._order_variants(hit, view, doc.variant_key)
        return [hit for _, hit in hits]

    def _first_of_groups(
        self, ranked: List[Tuple[int, float]], limit: int, view: Optional["_QueryView"]
    ) -> List[Tuple[int, SearchHit]]:
        hits: List[Tuple[int, SearchHit]] = []
        seen: Set[str] = set()
        for index, score in ranked:
            doc = self.docs[index]
            if doc.variant_key in seen:
                continue
            seen.add(doc.variant_key)
            hit = SearchHit(doc.code, doc.name, doc.levels, doc.field, round(score, 4))
            hit.curated = bool(doc.aliases)
            if view is not None:
                hit.by_everyday_name = index in view.alias_matches
                total = sum(doc.key_words.values())
                said = sum(min(view.words.get(word, 0), count) for word, count in doc.key_words.items())
                hit.name_share = round(said / total, 3) if total else 0.0
                hit.covered = hit.by_everyday_name or self._names_all(doc, view)
                if NEGATION_TERM in view.terms and NEGATION_TERM not in doc.terms:
                    hit.covered = False  # the question says "không phải", the name does not
                hit.matched = frozenset(view.terms & doc.terms)
                hit.explained = round(len(hit.matched) / len(view.terms), 3) if view.terms else 0.0
            hits.append((index, hit))
            if len(hits) >= limit:
                break
        return hits

    @staticmethod
    def _names_all(doc: _Doc, view: "_QueryView") -> bool:
        """The question says every key word of the name, as often, and none with other diacritics."""
        if not doc.key_words:
            return False
        for word, count in doc.key_words.items():
            if view.words.get(word, 0) < count:
                return False
            typed = view.typed_accents.get(word)
            if typed and not (typed & doc.accented):
                return False  # "lái" typed, the name says "lại"
        return True

    def _order_variants(self, hit: SearchHit, view: Optional["_QueryView"], variant_key: str) -> None:
        """The variant answered first among level variants of one procedure: the level the question names
        ("... thực hiện tại cấp trung ương"), else the one whose whole name the question says, else the
        commune level; among equals the procedure with everyday names."""
        if not hit.alternatives:
            return
        variants = [Variant(hit.code, hit.name, hit.levels, hit.curated)] + hit.alternatives
        docs = {doc.code: doc for doc in (self.docs[i] for i in self.variant_members[variant_key])}

        def rank(variant: Variant) -> tuple:
            doc = docs.get(variant.code)
            if view is None or doc is None:
                return (False, False, level_sort_key(variant.levels), not variant.curated)
            other_level = bool(view.levels) and not (doc.level_keys & view.levels)
            not_said = not _contains(view.sequence, doc.name_words, max_gaps=0)
            return (other_level, not_said, level_sort_key(variant.levels), not variant.curated)

        variants.sort(key=rank)
        best = variants[0]
        hit.code, hit.name, hit.levels, hit.curated = best.code, best.name, best.levels, best.curated
        hit.alternatives = variants[1:]
