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
from collections import Counter
from dataclasses import dataclass, field
from typing import Collection, FrozenSet, List, Optional, Sequence, Set, Union

from procedures_kb.search import GENERIC_NAME_WORDS, SearchHit
from vietnamese.folding import fold
from vietnamese.places import place_words
from vietnamese.question_parts import ASPECT_PHRASES

# Below this score a hit matched only weak, common words.
MIN_CONFIDENT_SCORE = 4.0
# A best score this low (but not lower) is a vague question ("căn cước"):
# ask among the contenders rather than give up.
VAGUE_SCORE = MIN_CONFIDENT_SCORE / 2
# A follow-up saying this share of another procedure's name is about that one ("căn cước cần giấy tờ gì").
OTHER_NAME_SHARE = 0.3
# A search score this high means the message clearly names a procedure,
# even in a follow-up about another one.
SWITCH_SCORE = 14.0
# Hits scoring at least this share of the best one are real contenders ...
CONTENDER_RATIO = 0.8
# Beside a procedure named completely, its close variants scoring at least this share of it are offered.
VARIANT_RATIO = 0.35
# ... and, once we ask, hits above this share are worth offering too.
OPTION_RATIO = 0.6
# A procedure the question does not name completely is answered only if its name explains this share
# of the question's content words ("nuôi cá voi trên sao hỏa" shares only "nuôi", "cá" with fish farming).
MIN_EXPLAINED = 0.6
# ... and only if the question says this share of its name's key words ("bằng lái xe thì làm lại thế nào" says
# half of "Đổi giấy phép lái xe hoặc bằng lái xe của người nước ngoài": ask, do not answer).
MIN_NAME_SHARE = 0.6
# ... unless it shares this many identifying words with it (a long official name cut short).
SPECIFIC_WORDS = 5
# At most this many procedures are offered when asking (the reply adds "Không phải các thủ tục này").
MAX_CHOICES = 4
# Suggestions offered when nothing fits.
MAX_SUGGESTIONS = 3
# Words shared with a procedure's name that never identify it on their own: a channel ("vneid"), a
# vehicle ("xe máy"), "hộ khẩu", a border, a level or a place ("xã", "tỉnh"), "người", "trên".
INCIDENTAL_WORDS = frozenset(
    "vneid online zalo app ung dung xe may oto ho khau bien gioi nguoi tren di vao xa phuong huyen tinh thanh pho quan "
    "viet nam".split()
)
# Codes are looked for in the first characters of a message only.
SCAN_CHARS = 2000

# A national procedure code typed in the message ("thủ tục 1.004873"; the catalogue has codes from 1. to 5.).
PROCEDURE_CODE_RE = re.compile(r"(?<![\d.])([1-9]\.\d{6})(?![\d.])")
# A message that is a code and little else ("9.999999", "thủ tục mã 9.999999"): at most this many other words.
CODE_ONLY_WORDS = 3


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


# Between the procedures of one message: "mất cả căn cước lẫn bằng lái", "khai sinh và thường trú".
_PARTS_RE = re.compile(r"\s*(?:[,;]|\b(?:và|va|lẫn|lan|với|voi|cùng|cung|rồi|roi)\b)\s*", re.IGNORECASE)
# A message's procedures are looked for separately only when the whole message does not name one this well.
WHOLE_EXPLAINED = 0.8
MAX_PROCEDURES = 2


# What happened or what to do, said once for several procedures ("mất cả căn cước lẫn bằng lái xe").
SHARED_PHRASES = ("mất", "mat", "bị mất", "hỏng", "hong", "làm lại", "lam lai", "cấp lại", "cap lai", "đổi", "doi",
                  "gia hạn", "gia han", "hết hạn", "het han", "đăng ký", "dang ky", "xin")


def message_parts(text: str) -> List[str]:
    """One query per piece of a message between "và", "lẫn", "với", commas ... (pieces of two words or more),
    each with the shared words of the others ("mất", "làm lại" ...): "tôi bị mất cả căn cước lẫn bằng lái xe
    thì làm lại thế nào" → "làm lại tôi bị mất cả căn cước", "mất bằng lái xe thì làm lại thế nào". [] for one piece.
    """
    text = (text or "")[:SCAN_CHARS]
    pieces = [p for p in _PARTS_RE.split(text) if len(p.split()) >= 2]
    if len(pieces) < 2:
        return []
    lowered = f" {text.lower()} "
    shared = [p for p in SHARED_PHRASES if f" {p} " in lowered]
    queries = []
    for piece in pieces:
        extra = [p for p in shared if f" {p} " not in f" {piece.lower()} "]
        queries.append(" ".join(extra[:1] + [piece]))  # "mất bằng lái xe ...": the everyday name in order
    return queries


# A letter: this many words or more, in two sentences or more, is read for the sentence that asks.
LETTER_WORDS = 30
_SENTENCE_END_RE = re.compile(r"(?<=[.?!\n])\s*")
# How a sentence asks or requests (folded, as whole words): "Giờ tôi muốn làm lại thẻ căn cước ..., cần mang theo gì?"
_ASKING_RE = re.compile(r"\b(muon|can|hoi|the nao|lam sao|bao nhieu|bao lau|o dau|duoc khong|co duoc|giup|xin)\b")


def asking_sentence(text: str) -> Optional[str]:
    """The sentence of a long letter that asks (the last one that does), or None for a short message, one
    sentence, or a letter where no sentence asks. The other sentences tell the story: "Hai vợ chồng em đã đăng
    ký kết hôn rồi. Giờ em muốn làm giấy khai sinh cho con thì cần những giấy tờ gì?" asks about the birth."""
    text = (text or "")[:SCAN_CHARS]
    if len(text.split()) < LETTER_WORDS:
        return None
    sentences = [s.strip() for s in _SENTENCE_END_RE.split(text) if len(s.split()) >= 3]
    if len(sentences) < 2:
        return None
    asking = [s for s in sentences if "?" in s or _ASKING_RE.search(fold(s))]
    return asking[-1] if asking else None


def several(whole: Decision, parts: Sequence[Decision]) -> List[Answer]:
    """The procedures a message names one by one ("mất cả căn cước lẫn bằng lái"), when it names more
    than one and the whole message does not clearly name a single one; [] otherwise.

    `whole` is the decision on the whole message, `parts` those on its pieces (message_parts).
    """
    if isinstance(whole, Answer) and whole.hit is not None and whole.hit.covered and (
            whole.hit.explained >= WHOLE_EXPLAINED):
        return []
    named: List[Answer] = []
    for decision in parts:
        if isinstance(decision, Answer) and decision.hit is not None and decision.hit.covered and all(
                decision.code != other.code for other in named):
            named.append(decision)
    return named[:MAX_PROCEDURES] if len(named) >= 2 else []


def substantive(hit: SearchHit, places: Collection[str] = ()) -> Set[str]:
    """The question's words the hit matched that can identify a procedure (not incidental, generic, places or
    numbers: "1' OR '1'='1" shares only "1" with names that cite a code)."""
    return {w for w in hit.matched if not w.isdigit()} - INCIDENTAL_WORDS - GENERIC_NAME_WORDS - set(places)


def _confident(hit: SearchHit, places: Collection[str]) -> bool:
    """The question says one of the procedure's everyday names ("đăng ký xe máy"), or shares words with its
    name that are not incidental."""
    return hit.by_everyday_name or bool(substantive(hit, places))


def decide(question: Question, hits: Sequence[SearchHit], known: Collection[str]) -> Decision:
    """Answer, ask or give up, in this order of evidence.

    1. A button's code answers that procedure (or is refused if unknown).
    2. A known code typed in the message answers it; an unknown one typed
       alone ("9.999999") is said to be unknown.
    3. A follow-up ("còn lệ phí thì sao?", "cần mang theo gì", "làm trên vneid
       được không") keeps the procedure under discussion unless the message
       clearly names another one (`names_another`).
    4. Otherwise the search hits decide (see `choose`).
    """
    if question.chosen_code is not None:
        code = str(question.chosen_code)
        return Answer(code) if code in known else NotFound(unknown_code=code)
    typed = typed_codes(question.text)
    for code in typed:
        if code in known:
            return Answer(code)
    if typed and len(PROCEDURE_CODE_RE.sub(" ", question.text[:SCAN_CHARS]).split()) <= CODE_ONLY_WORDS:
        return NotFound(unknown_code=typed[0])  # a code the catalogue does not have: say so, offer nothing
    current = question.current_code
    places = place_words(question.text[:SCAN_CHARS])
    if current and current in known and not names_another(question, hits, places):
        return Answer(current)
    return choose(hits, places, phrasing_words(question.text))


def names_another(question: Question, hits: Sequence[SearchHit], places: Collection[str] = ()) -> bool:
    """Whether a follow-up clearly names a procedure other than the one under discussion.

    Clearly: the best hit is named completely (every key word of its name, or
    an everyday name) with words that are not incidental; or the NLU found a
    procedure mention and the search is sure of it (score >= SWITCH_SCORE).
    Words shared by chance ("mang theo" in an animal-quarantine name) do not switch.
    """
    if not hits or hits[0].code == question.current_code:
        return False
    top = hits[0]
    # An everyday name of a word or two ("vneid") is a channel or a thing, not another procedure.
    named_by_everyday_name = top.by_everyday_name and len(top.matched) >= 3
    # Words of the question asked ("các bước thực hiện", "căn cứ pháp lý") are not another procedure's name.
    words = substantive(top, places) & set(_without_question_words(question.text))
    if not (named_by_everyday_name or words) or top.score < MIN_CONFIDENT_SCORE:
        return False
    if top.covered or (question.names_procedure and top.score >= SWITCH_SCORE):
        return True
    # The message is about something else ("giấy phép lái xe lệ phí bao nhiêu" after a passport): the words it
    # says are those of other procedures, and the one under discussion is not among the best hits.
    about_others = top.explained >= MIN_EXPLAINED and (len(words) >= 2 or top.name_share >= OTHER_NAME_SHARE)
    return about_others and question.current_code not in {h.code for h in hits[:3]}


# How a follow-up asks its question (folded), beside vietnamese.question_parts' phrases, and the frames of the
# national portal's FAQ ("Đối tượng thực hiện <tên>", "Quy định về phí, lệ phí <tên>").
FOLLOW_UP_PHRASES = ("cac buoc thuc hien", "cac buoc", "thuc hien", "can cu phap ly", "co so phap ly", "phap ly",
                     "ket qua", "dieu kien", "doi tuong", "mau don", "to khai", "thoi han", "tham quyen",
                     "co quan nao", "le phi", "thanh phan ho so", "ho so", "giay to", "bao lau", "o dau",
                     "nhan duoc", "duoc nhan", "duoc cap", "doi tuong thuc hien", "tham quyen giai quyet",
                     "thoi han giai quyet", "thoi gian giai quyet", "trinh tu thuc hien", "cach thuc thuc hien",
                     "quy dinh ve phi le phi", "quy dinh ve le phi", "phi le phi", "muc thu", "co quan thuc hien",
                     "ket qua thuc hien", "yeu cau dieu kien", "thanh phan so luong ho so", "so luong ho so",
                     "gom nhung gi", "bao gom nhung gi", "gom nhung giay to gi", "la bao lau", "la bao nhieu")
_QUESTION_PHRASES = tuple(sorted({p for group in ASPECT_PHRASES.values() for p in group} | set(FOLLOW_UP_PHRASES),
                                 key=len, reverse=True))


def _without_question_words(text: str) -> List[str]:
    """The folded words of a follow-up once the phrases that ask its question are taken out."""
    folded = " " + " ".join(fold((text or "")[:SCAN_CHARS]).split()) + " "
    for phrase in _QUESTION_PHRASES:
        folded = folded.replace(f" {phrase} ", " ")
    return folded.split()


def phrasing_words(text: str) -> FrozenSet[str]:
    """Folded words the message says only inside the phrases that ask its question ("đối tượng", "thực hiện" of
    "Đối tượng thực hiện <tên>"): another procedure's name sharing them explains nothing of what was asked."""
    said = Counter(fold((text or "")[:SCAN_CHARS]).split())
    rest = Counter(_without_question_words(text))
    return frozenset(word for word in said if not rest.get(word))


def choose(hits: Sequence[SearchHit], places: Collection[str] = (), phrasing: Collection[str] = ()) -> Decision:
    """Answer when one procedure clearly fits, ask when several do.

    Hits sharing only incidental words with the question are never answered.
    One fits clearly when no other scores close to it, or when the question
    names it completely ("đăng ký khai sinh", "kết hôn với người cùng xã")
    and the close ones add only words the question did not say ("... lưu
    động", "... có yếu tố nước ngoài"): the words that tell variants apart
    decide (`phrasing`, the words that only ask the question, tell nothing apart).
    Otherwise at most MAX_CHOICES are offered.
    """
    hits = [h for h in hits if not h.matched or not all(w.isdigit() for w in h.matched)]  # "9.999999" names none
    if not hits or hits[0].score < VAGUE_SCORE:
        return NotFound(list(hits[:MAX_SUGGESTIONS]))
    relevant = [h for h in hits if _confident(h, places)]
    if not relevant:
        return NotFound(list(hits[:MAX_SUGGESTIONS]))
    top = relevant[0]
    contenders = [h for h in relevant[1:] if h.score >= CONTENDER_RATIO * top.score]
    options = [top] + [h for h in relevant[1:] if h.score >= OPTION_RATIO * top.score]
    if top.score < MIN_CONFIDENT_SCORE:
        # Vague but on topic: every word the user wrote is in these names.
        if contenders and top.explained >= 1.0:
            return Ask(options[:MAX_CHOICES])
        return NotFound(list(hits[:MAX_SUGGESTIONS]))
    named = _named_completely(options, places, phrasing)
    if named is not None:
        # Close variants: the other hits saying everything it says ("... có yếu tố nước ngoài", "... lưu động").
        core = substantive(named, places)
        variants = [h for h in relevant if h is not named and core and core <= set(h.matched)
                    and h.score >= VARIANT_RATIO * named.score]
        return Answer(named.code, named, variants[:MAX_CHOICES - 1])
    if not contenders:
        specific = top.name_share >= MIN_NAME_SHARE or len(substantive(top, places)) >= SPECIFIC_WORDS
        if top.covered or (top.explained >= MIN_EXPLAINED and specific):
            return Answer(top.code, top)
        if len(options) >= 2:
            return Ask(options[:MAX_CHOICES])
        return NotFound(list(relevant[:MAX_SUGGESTIONS]))
    return Ask(options[:MAX_CHOICES])


def _named_completely(options: Sequence[SearchHit], places: Collection[str],
                      phrasing: Collection[str] = ()) -> Optional[SearchHit]:
    """The option the question names completely while no other option explains a word it leaves unexplained.

    "kết hôn với người nước ngoài" names "đăng ký kết hôn" completely, but
    "... có yếu tố nước ngoài" explains "nước ngoài" too: not this one.
    Among several named completely, the one explaining the most words.
    """
    named = [h for h in options if h.covered and (h.by_everyday_name or substantive(h, places))]
    named.sort(key=lambda h: (-len(substantive(h, places)), -h.score))
    for candidate in named:
        mine = set(candidate.matched)
        if all(not (substantive(other, places) - mine - set(phrasing)) for other in options if other is not candidate):
            return candidate
    return None
