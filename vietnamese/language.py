"""Is a message written in English rather than Vietnamese?

Foreigners living in Vietnam write to the assistant in English; the
catalogue search would read "visa", "documents" and "need" as unknown
Vietnamese words and offer receipt procedures. `looks_english` is a small,
conservative test: at least MIN_WORDS words, no Vietnamese diacritics, and
most words common English words (the list below: function words and the
words of questions about papers and offices). Vietnamese typed without
diacritics shares few such words ("can", "do", "to" are also Vietnamese
syllables, as are "to", "an", "me", "may", "long": none of those is in the list).
"""
from __future__ import annotations

import re

from vietnamese.folding import has_diacritics

MIN_WORDS = 3
MIN_SHARE = 0.5

_WORD_RE = re.compile(r"[a-zA-Z']+")
ENGLISH_WORDS = frozenset(
    """
    the is are was were be been being of for with about from into this that these those what which who
    whom whose when where why how i you she we they him her them your his its our their
    yours have has had does did doing will would should could shall might must not yes please
    hello hey dear thanks thank help want wants need needs needed get apply applying application
    renew renewal extend extension register registration certificate document documents paper papers
    passport visa permit residence resident card id license licence driving marriage birth office offices
    open hours fee fees cost costs much many days weeks time english speak understand foreigner
    foreign living live work working company business where submit online status check
    there here some any all if then and or because just also
    """.split()
)


def looks_english(text: str) -> bool:
    """True when `text` is most likely English (see the module); False for empty or Vietnamese text."""
    if not isinstance(text, str) or has_diacritics(text[:2000]):
        return False
    words = [w.lower() for w in _WORD_RE.findall(text[:2000])]
    if len(words) < MIN_WORDS:
        return False
    english = sum(w in ENGLISH_WORDS for w in words)
    return english / len(words) >= MIN_SHARE and english >= 2
