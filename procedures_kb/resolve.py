"""Which procedure does a message mean: one pure decision, tested without a tracker.

`decide(question, hits, known)` reads:
- `question`: the message text, the procedure under discussion (the
  `procedure_code` slot), the code a button carried (`procedure_code`
  entity) and whether the message names a procedure (`procedure` entity);
- `hits`: the catalogue search for the text, best first (empty when no
  search was needed);
- `known`: which of the codes the question mentions (button, typed, under
  discussion) exist in the catalogue.
It returns one of `Answer(code, hit, alternatives)`, `Ask(choices)` (2..5
choices) or `NotFound(suggestions, unknown_code)`. No database, no tracker:
`ProcedureService.which_procedure` searches and looks codes up, then calls it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Collection, List, Optional, Sequence, Union

from procedures_kb.search import SearchHit

# Below this score a hit matched only weak, common words.
MIN_CONFIDENT_SCORE = 4.0
# A best score this low (but not lower) is a vague question ("căn cước"):
# ask among the contenders rather than give up.
VAGUE_SCORE = MIN_CONFIDENT_SCORE / 2
# A search score this high means the message clearly names a procedure,
# even in a follow-up about another one.
SWITCH_SCORE = 14.0
# Hits scoring at least this share of the best one are real contenders ...
CONTENDER_RATIO = 0.8
# ... and, once we ask, hits above this share are worth offering too.
OPTION_RATIO = 0.6
MAX_CHOICES = 5
# Suggestions offered when nothing fits.
MAX_SUGGESTIONS = 3
# Codes are looked for in the first characters of a message only.
SCAN_CHARS = 2000

# A national procedure code typed in the message ("thủ tục 1.004873").
PROCEDURE_CODE_RE = re.compile(r"(?<![\d.])([1-3]\.\d{6})(?![\d.])")


@dataclass(frozen=True)
class Question:
    """What the message says about procedures."""

    text: str = ""
    # The procedure under discussion (slot `procedure_code`), if any.
    current_code: Optional[str] = None
    # The code a button's payload carried (entity `procedure_code`), if any.
    chosen_code: Optional[str] = None
    # The message names a procedure (entity `procedure`).
    names_procedure: bool = False


@dataclass(frozen=True)
class Answer:
    """Answer about `code`; `hit` is its search hit when the search chose it."""

    code: str
    hit: Optional[SearchHit] = None
    # Close procedures worth offering beside the answer.
    alternatives: List[SearchHit] = field(default_factory=list)


@dataclass(frozen=True)
class Ask:
    """Several procedures fit: ask which one (2 to MAX_CHOICES choices, best first)."""

    choices: List[SearchHit]


@dataclass(frozen=True)
class NotFound:
    """Nothing fits: suggest the best hits (at most MAX_SUGGESTIONS), or say the code is unknown."""

    suggestions: List[SearchHit] = field(default_factory=list)
    # A button carried a code the catalogue does not have.
    unknown_code: Optional[str] = None


Decision = Union[Answer, Ask, NotFound]


def typed_codes(text: str) -> List[str]:
    """National procedure codes written in the message, in order."""
    return PROCEDURE_CODE_RE.findall((text or "")[:SCAN_CHARS])


def mentioned_codes(question: Question) -> List[str]:
    """Every code `decide` may need to know exists: chosen, typed, under discussion."""
    codes = [question.chosen_code] if question.chosen_code is not None else []
    codes += typed_codes(question.text)
    if question.current_code:
        codes.append(question.current_code)
    return codes


def needs_search(question: Question, known: Collection[str]) -> bool:
    """False when a button's code or a known typed code already decides."""
    if question.chosen_code is not None:
        return False
    return not any(code in known for code in typed_codes(question.text))


def decide(question: Question, hits: Sequence[SearchHit], known: Collection[str]) -> Decision:
    """Answer, ask or give up, in this order of evidence.

    1. A button's code answers that procedure (or is refused if unknown).
    2. A known code typed in the message answers it.
    3. A follow-up ("còn lệ phí thì sao?") keeps the procedure under
       discussion, unless the message names another one or the search is
       sure of one (best score >= SWITCH_SCORE).
    4. Otherwise the search hits decide (see `choose`).
    """
    if question.chosen_code is not None:
        code = str(question.chosen_code)
        return Answer(code) if code in known else NotFound(unknown_code=code)
    for code in typed_codes(question.text):
        if code in known:
            return Answer(code)
    current = question.current_code
    if current and current in known and not question.names_procedure:
        if not hits or hits[0].score < SWITCH_SCORE:
            return Answer(current)
    return choose(hits)


def choose(hits: Sequence[SearchHit]) -> Decision:
    """Answer when one procedure clearly fits, ask when several do.

    One fits clearly when no other scores close to it, or when the question
    names it completely ("đăng ký khai sinh") while the close ones add
    something the question did not say ("... lưu động", "... có yếu tố
    nước ngoài").
    """
    if not hits or hits[0].score < VAGUE_SCORE:
        return NotFound(list(hits[:MAX_SUGGESTIONS]))
    top = hits[0]
    contenders = [h for h in hits[1:] if h.score >= CONTENDER_RATIO * top.score]
    options = [top] + [h for h in hits[1:] if h.score >= OPTION_RATIO * top.score][: MAX_CHOICES - 1]
    if top.score < MIN_CONFIDENT_SCORE:
        # Vague but on topic: every word the user wrote is in these names.
        if contenders and top.explained >= 1.0:
            return Ask(options)
        return NotFound(list(hits[:MAX_SUGGESTIONS]))
    if not contenders:
        return Answer(top.code, top)
    if top.covered and not any(h.covered for h in contenders):
        return Answer(top.code, top, contenders)
    return Ask(options)
