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

Sources: how citizens write (nlu_data/, tests/nlu/test_set.yml) and the
words of the national catalogue's procedure names.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Tuple

from vietnamese.folding import fold, has_diacritics


@dataclass(frozen=True)
class Abbreviation:
    short: str  # as typed: lower case, whole word
    expansion: str  # standard Vietnamese, with marks
    search: bool = True  # False: the NLU expands it, the search keeps the letters


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
)


def _accented(table: Iterable[Abbreviation]) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for entry in table:
        if entry.short in out:
            raise ValueError(f"abbreviation {entry.short!r} is in the table twice")
        if entry.short != entry.short.lower() or len(entry.short.split()) != 1:
            raise ValueError(f"abbreviation {entry.short!r} is not one lower-case word")
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
# Folded, derived: folded key → folded expansion (the search).
FOLDED_ABBREVIATIONS: Dict[str, str] = derive_folded(TABLE)


def expand_folded(words: Iterable[str]) -> List[str]:
    """Folded words with every abbreviation the search reads replaced by its folded words."""
    out: List[str] = []
    for word in words:
        out.extend(FOLDED_ABBREVIATIONS.get(word, word).split())
    return out
