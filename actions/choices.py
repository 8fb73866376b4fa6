"""Decide from search hits whether to answer, to ask which procedure, or neither."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from procedures_kb.search import SearchHit
from procedures_kb.service import MIN_CONFIDENT_SCORE

# Hits scoring at least this share of the best one are real contenders ...
CONTENDER_RATIO = 0.8
# ... and, once we ask, hits above this share are worth offering too.
OPTION_RATIO = 0.6
# A best score this low (but not lower) is a vague question ("căn cước"):
# ask among the contenders rather than give up.
VAGUE_SCORE = MIN_CONFIDENT_SCORE / 2
MAX_CHOICES = 5

ANSWER = "answer"
ASK = "ask"
NOT_FOUND = "not_found"


@dataclass
class Choice:
    kind: str
    hit: Optional[SearchHit] = None
    # For ANSWER: close procedures worth offering; for ASK: the options.
    others: List[SearchHit] = field(default_factory=list)


def choose(hits: List[SearchHit]) -> Choice:
    """Answer when one procedure clearly fits, ask when several do.

    One fits clearly when no other scores close to it, or when the question
    names it completely ("đăng ký khai sinh") while the close ones add
    something the question did not say ("... lưu động", "... có yếu tố
    nước ngoài").
    """
    if not hits or hits[0].score < VAGUE_SCORE:
        return Choice(NOT_FOUND, others=list(hits[:3]))
    top = hits[0]
    contenders = [h for h in hits[1:] if h.score >= CONTENDER_RATIO * top.score]
    options = [top] + [h for h in hits[1:] if h.score >= OPTION_RATIO * top.score][: MAX_CHOICES - 1]
    if top.score < MIN_CONFIDENT_SCORE:
        # Vague but on topic: every word the user wrote is in these names.
        if contenders and top.explained >= 1.0:
            return Choice(ASK, top, others=options)
        return Choice(NOT_FOUND, others=list(hits[:3]))
    if not contenders:
        return Choice(ANSWER, top)
    if top.covered and not any(h.covered for h in contenders):
        return Choice(ANSWER, top, others=contenders)
    return Choice(ASK, top, others=options)
