"""THE table of abbreviations and chat spellings citizens type, and its folded form.

One entry per abbreviation, as typed (lower case, with or without marks),
with its standard Vietnamese expansion. The NLU normaliser replaces whole
words by their expansion (`ABBREVIATIONS`, accented). The search works on
folded text, so it reads the folded table `FOLDED_ABBREVIATIONS`, which is
derived from this one and never written by hand:

* only keys typed without marks give a folded entry ("dk" → "dang ky");
  a key typed with marks reaches the search through the key without marks
  it folds to ("đk" folds to "dk", which is in the table with the same
  expansion). Folding an accented key into a new folded key could corrupt a
  real word: "hông" (chat for "không") folds to "hong", which is also
  "hỏng" ("CCCD bị hỏng") and "hồng";
* entries with `search=False` are read by the NLU only (why, per entry, below);
* entries whose folded expansion is the key itself ("gi" → "gì") change
  nothing in folded text and are left out.

Where the two former tables (search, NLU) disagreed, the choice made here:
* "cmt" → "chứng minh nhân dân": "chứng minh thư" is the everyday name of
  the same card, but the national catalogue and the curated everyday names
  only say "chứng minh nhân dân" (and "cmnd" already expands to it);
* "pp" → "hộ chiếu": the standard word, the one procedure names use
  ("Cấp hộ chiếu phổ thông"); "passport" only appears in everyday names;
* "vneid" is not in the table: it is the name of an app, not an
  abbreviation, and the curated everyday names say it as typed
  ("kích hoạt vneid", "đăng ký xe trên vneid");
* every other entry of either table is kept, now read by both.

Regional (Huế, Central, Southern) and chat forms: "rứa" → "vậy", "dzậy" →
"vậy", "hổng" → "không", "nhen" → "nhé"; and words that are also ordinary
words elsewhere, expanded only where they ask (`Context`): "chi" → "gì" at
the end of a sentence or after "làm", "cần", "là" ("cần chi?"), never in
"chi phí", "chi nhánh", "chi tiết", "cảm ơn chi"; "răng" → "sao" opening a
sentence or before "rứa"/"ri" (not "làm răng", which is also dental work);
"mô" → "đâu" ending a sentence or after "ở", "đi" (not "quy mô"); "tê" →
"kia" after "bên", "hôm", "cái" ... (not "gây tê"); "ni" → "này" after
"cái", "hồ sơ", "bữa" ... or ending a sentence; "dậy" → "vậy" ending a
sentence (not "thức dậy"). A contextual word written with a capital inside a
sentence is a name ("Kim Chi") and is kept. The search reads words without
their sentence, so contextual entries are the NLU's only (`search=False`):
as question words they carry nothing the search uses.

Sources: how citizens write (nlu_data/, tests/nlu/test_set.yml) and the
words of the national catalogue's procedure names.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

from vietnamese.folding import fold, has_diacritics

# Words that close a question ("cần chi ạ?", "ở mô rứa"): a contextual word before one ends its sentence.
FINAL_PARTICLES = frozenset(
    "a ạ à hả hở nhỉ nhé nhen nha không ko k hông vậy rứa ri đó hè hỉ chưa z v rồi".split()
)


@dataclass(frozen=True)
class Context:
    """Where a word that is also an ordinary word is expanded (folded words; see the module).

    Expanded when one of the positive conditions holds (opens a sentence, ends one, follows a word of
    `after`, precedes a word of `before`) and no negative one (follows `not_after`, precedes
    `not_before`).
    """

    at_start: bool = False
    at_end: bool = False
    after: Tuple[str, ...] = ()
    before: Tuple[str, ...] = ()
    not_after: Tuple[str, ...] = ()
    not_before: Tuple[str, ...] = ()

    def holds(self, previous: Optional[str], following: Optional[str], starts: bool, ends: bool) -> bool:
        previous = fold(previous) if previous else None
        following = fold(following) if following else None
        if previous in self._folded(self.not_after) or following in self._folded(self.not_before):
            return False
        return (
            (self.at_start and starts)
            or (self.at_end and ends)
            or previous in self._folded(self.after)
            or following in self._folded(self.before)
        )

    @staticmethod
    def _folded(words: Tuple[str, ...]) -> frozenset:
        return frozenset(fold(w) for w in words)


@dataclass(frozen=True)
class Abbreviation:
    short: str  # as typed: lower case, whole word
    expansion: str  # standard Vietnamese, with marks
    search: bool = True  # False: the NLU expands it, the search keeps the letters
    context: Optional[Context] = None  # None: everywhere; else only where the context holds


# Words that make a compound with "chi" (spending, branch, detail ...): there it is not "gì".
_CHI_COMPOUNDS = ("phí", "nhánh", "tiết", "trả", "cục", "hội", "bộ", "tiêu", "đoàn", "phiếu", "ngân", "lương",
                  "viện", "chi", "cấp", "thu", "khoản", "dùng", "hộ", "tiền", "sở")
_GREETED = ("ơn", "chào", "với", "của", "giúp", "nhờ", "hỏi", "em", "anh", "bà", "ông", "thưa", "cô", "bạn")


TABLE: Tuple[Abbreviation, ...] = (
    # Administrative terms.
    Abbreviation("dk", "đăng ký"),
    Abbreviation("đk", "đăng ký"),
    Abbreviation("dky", "đăng ký"),
    Abbreviation("đky", "đăng ký"),
    Abbreviation("dki", "đăng ký"),
    Abbreviation("hs", "hồ sơ"),
    Abbreviation("tt", "thủ tục"),
    Abbreviation("tthc", "thủ tục hành chính"),
    Abbreviation("cccd", "căn cước công dân"),
    Abbreviation("cmnd", "chứng minh nhân dân"),
    Abbreviation("cmt", "chứng minh nhân dân"),
    Abbreviation("pp", "hộ chiếu"),
    Abbreviation("gplx", "giấy phép lái xe"),
    Abbreviation("gks", "giấy khai sinh"),
    Abbreviation("gcn", "giấy chứng nhận"),
    Abbreviation("qsdđ", "quyền sử dụng đất"),
    Abbreviation("qsdd", "quyền sử dụng đất"),
    Abbreviation("gcnqsdd", "giấy chứng nhận quyền sử dụng đất"),
    Abbreviation("lltp", "lý lịch tư pháp"),
    Abbreviation("llpt", "lý lịch tư pháp"),  # a common slip for "lltp"
    Abbreviation("hkd", "hộ kinh doanh"),
    Abbreviation("mst", "mã số thuế"),
    Abbreviation("tncn", "thu nhập cá nhân"),
    Abbreviation("bhxh", "bảo hiểm xã hội"),
    Abbreviation("bhyt", "bảo hiểm y tế"),
    Abbreviation("gpxd", "giấy phép xây dựng"),
    Abbreviation("ubnd", "ủy ban nhân dân"),
    Abbreviation("sd", "sử dụng"),
    Abbreviation("lp", "lệ phí"),
    Abbreviation("sdt", "số điện thoại"),
    Abbreviation("sđt", "số điện thoại"),
    # "đt" folds to "dt", which is also "diện tích" and "đầu tư" (both in procedure names).
    Abbreviation("đt", "điện thoại", search=False),
    Abbreviation("tg", "thời gian"),
    # Places.
    Abbreviation("hn", "Hà Nội"),
    Abbreviation("hcm", "Hồ Chí Minh"),
    Abbreviation("tphcm", "Thành phố Hồ Chí Minh"),
    Abbreviation("sg", "Sài Gòn"),
    # Chat spellings.
    Abbreviation("ko", "không"),
    # "k" names a wartime zone in a few names ("chiến trường B, C, K"), but in a question it is "không".
    Abbreviation("k", "không"),
    Abbreviation("kh", "không"),
    Abbreviation("khong", "không"),
    # Folds to "hong": "hỏng" ("CCCD bị hỏng"), "hồng".
    Abbreviation("hông", "không", search=False),
    # Also teen spelling of "học".
    Abbreviation("hok", "không", search=False),
    # Also "hẻm" (an alley, in addresses) typed without marks.
    Abbreviation("hem", "không", search=False),
    Abbreviation("dc", "được"),
    Abbreviation("đc", "được"),
    Abbreviation("vs", "với"),
    Abbreviation("ntn", "như thế nào"),
    Abbreviation("bn", "bao nhiêu"),
    Abbreviation("bnhiu", "bao nhiêu"),
    Abbreviation("j", "gì"),
    Abbreviation("ji", "gì"),
    Abbreviation("gi", "gì"),
    Abbreviation("ak", "à"),
    Abbreviation("ah", "à"),
    Abbreviation("oki", "ok"),
    Abbreviation("okie", "ok"),
    Abbreviation("r", "rồi"),
    Abbreviation("z", "vậy"),
    # A letter of names: Roman numeral, "v/v".
    Abbreviation("v", "vậy", search=False),
    # A letter of names ("loại A, B, C, E, F, G"); searching "em" would lean to "trẻ em".
    Abbreviation("e", "em", search=False),
    Abbreviation("mik", "mình"),
    Abbreviation("mk", "mình"),
    # Regional and chat forms. Marked keys fold to real words ("rua" is "rửa", "hong" "hỏng"): NLU only.
    Abbreviation("rứa", "vậy", search=False),
    Abbreviation("dzậy", "vậy", search=False),
    Abbreviation("dzay", "vậy", search=False),
    Abbreviation("hổng", "không", search=False),
    Abbreviation("nhen", "nhé"),
    Abbreviation("chi", "gì", search=False, context=Context(
        at_end=True, after=("làm", "cần", "là", "mần", "có", "nói", "bị"),
        not_after=_GREETED, not_before=_CHI_COMPOUNDS)),
    Abbreviation("răng", "sao", search=False, context=Context(
        at_start=True, before=("rứa", "ri", "vậy", "thế", "hè", "hỉ"), after=("mần", "vì"))),
    Abbreviation("mô", "đâu", search=False, context=Context(
        at_end=True, after=("ở", "đi", "về", "chỗ", "nơi", "tới", "đến", "tại", "nộp"),
        not_after=("quy", "hình", "tả", "phỏng"))),
    Abbreviation("tê", "kia", search=False, context=Context(
        after=("bên", "chỗ", "cái", "người", "hôm", "bữa", "đằng", "phía", "ngày", "năm", "bận", "ông", "bà"))),
    Abbreviation("ni", "này", search=False, context=Context(
        at_end=True, after=("cái", "chỗ", "bên", "người", "hôm", "bữa", "ngày", "năm", "bận", "việc", "sơ",
                            "tục", "tờ", "giấy", "khi", "như", "đơn", "mẫu", "lần"),
        not_after=("cô", "sư", "tăng", "nữ"), not_before=("lông", "cô", "sư"))),
    Abbreviation("dậy", "vậy", search=False, context=Context(
        at_end=True, after=("sao", "thế", "như", "rứa"),
        not_after=("thức", "ngủ", "nổi", "đứng", "ngồi", "trỗi", "dấy", "dạy", "đánh", "gọi"))),
)


def _accented(table: Iterable[Abbreviation]) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for entry in table:
        if entry.short in out:
            raise ValueError(f"abbreviation {entry.short!r} is in the table twice")
        if entry.short != entry.short.lower() or len(entry.short.split()) != 1:
            raise ValueError(f"abbreviation {entry.short!r} is not one lower-case word")
        if entry.context is not None and entry.search:
            raise ValueError(f"abbreviation {entry.short!r} reads its sentence: the search cannot (search=False)")
        out[entry.short] = entry.expansion
    return out


def derive_folded(table: Iterable[Abbreviation]) -> Dict[str, str]:
    """The folded table: folded key → folded expansion, for the search.

    Only keys typed without marks, only entries the search reads, and only
    entries that change folded text.
    """
    folded: Dict[str, str] = {}
    for entry in table:
        if not entry.search or has_diacritics(entry.short):
            continue
        expansion = fold(entry.expansion)
        if expansion != entry.short:
            folded[entry.short] = expansion
    return folded


# Accented: as typed → standard Vietnamese (the NLU normaliser).
ABBREVIATIONS: Dict[str, str] = _accented(TABLE)
# The contextual entries, by key.
CONTEXTS: Dict[str, Context] = {e.short: e.context for e in TABLE if e.context is not None}
# Folded, derived: folded key → folded expansion (the search).
FOLDED_ABBREVIATIONS: Dict[str, str] = derive_folded(TABLE)


def expand_folded(words: Iterable[str]) -> List[str]:
    """Folded words with every abbreviation the search reads replaced by its folded words."""
    out: List[str] = []
    for word in words:
        out.extend(FOLDED_ABBREVIATIONS.get(word, word).split())
    return out
