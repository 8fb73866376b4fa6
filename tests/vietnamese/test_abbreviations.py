"""One abbreviation table: the NLU and the search read every abbreviation alike."""
from pathlib import Path

import pytest

from vietnamese.abbreviations import (
    ABBREVIATIONS,
    FOLDED_ABBREVIATIONS,
    TABLE,
    Abbreviation,
    Context,
    _accented,
    derive_folded,
)
from vietnamese.folding import accented_words, fold, fold_words, has_diacritics
from vietnamese.normalize import normalize, query_words

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def nlu_reading(text: str) -> str:
    """What the NLU reads, folded: the normaliser's text."""
    return fold(normalize(text).text)


def search_reading(text: str) -> str:
    return " ".join(query_words(text))


@pytest.mark.parametrize(
    "typed, meaning",
    [
        ("cmt", "chung minh nhan dan"),
        ("cmnd", "chung minh nhan dan"),
        ("pp", "ho chieu"),
        ("lp", "le phi"),
        ("sdt", "so dien thoai"),
        ("llpt", "ly lich tu phap"),
        ("lltp", "ly lich tu phap"),
        ("dk", "dang ky"),
        ("đk", "dang ky"),
        ("ĐK", "dang ky"),
        ("qsdđ", "quyen su dung dat"),
    ],
)
def test_both_halves_read_the_disputed_abbreviations_alike(typed, meaning):
    assert nlu_reading(typed) == meaning
    assert search_reading(typed) == meaning


@pytest.mark.parametrize("entry", [e for e in TABLE if e.search], ids=lambda e: e.short)
def test_search_reads_each_entry_as_the_nlu_does(entry):
    assert normalize(entry.short).text == entry.expansion
    assert search_reading(entry.short) == nlu_reading(entry.short) == fold(entry.expansion)
    assert search_reading(f"hỏi {entry.short.upper()} nhé") == f"hoi {fold(entry.expansion)} nhe"


def in_context(entry):
    """A sentence where the entry is expanded, and its expected reading."""
    context = entry.context
    if context is None or context.at_start or context.at_end:
        return entry.short, entry.expansion
    return f"{context.after[0]} {entry.short}", f"{context.after[0]} {entry.expansion}"


@pytest.mark.parametrize("entry", [e for e in TABLE if not e.search], ids=lambda e: e.short)
def test_search_keeps_the_letters_of_nlu_only_entries(entry):
    typed, expected = in_context(entry)
    assert normalize(typed).text == expected
    assert query_words(typed) == fold_words(typed)


def test_contextual_entries_are_the_nlus_only():
    assert all(not e.search for e in TABLE if e.context is not None)
    with pytest.raises(ValueError):
        _accented([Abbreviation("mô", "đâu", context=Context(at_end=True))])


@pytest.mark.parametrize(
    "typed, normalized",
    [
        # Huế and Central question words, where they ask.
        ("làm giấy khai sinh cần chi?", "làm giấy khai sinh cần gì?"),
        ("chi rứa", "gì vậy"),
        ("hồ sơ ni làm chi", "hồ sơ này làm gì"),
        ("mần răng để làm căn cước", "mần sao để làm căn cước"),
        ("răng lâu rứa", "sao lâu vậy"),
        ("nộp ở mô", "nộp ở đâu"),
        ("bên tê có làm không", "bên kia có làm không"),
        ("sao dậy", "sao vậy"),
        ("dzậy hả", "vậy hả"),
        ("hổng biết nhen", "không biết nhé"),
        # The same words where they are ordinary words.
        ("chi phí bao nhiêu", "chi phí bao nhiêu"),
        ("chi nhánh ngân hàng", "chi nhánh ngân hàng"),
        ("xem chi tiết hồ sơ", "xem chi tiết hồ sơ"),
        ("làm chi tiết giúp em", "làm chi tiết giúp em"),
        ("cảm ơn chi", "cảm ơn chi"),
        ("Kim Chi", "Kim Chi"),
        ("bảo hiểm có trả tiền làm răng không", "bảo hiểm có trả tiền làm răng không"),
        ("quy mô hộ kinh doanh", "quy mô hộ kinh doanh"),
        ("mô hình", "mô hình"),
        ("với quy mô", "với quy mô"),
        ("gây tê", "gây tê"),
        ("tê tay", "tê tay"),
        ("áo ni lông", "áo ni lông"),
        ("thức dậy", "thức dậy"),
    ],
)
def test_regional_and_chat_forms(typed, normalized):
    assert normalize(typed).text == normalized


def test_every_folded_entry_comes_from_an_entry_typed_without_marks():
    for short, expansion in FOLDED_ABBREVIATIONS.items():
        sources = [e for e in TABLE if e.short == short]
        assert len(sources) == 1, short
        assert sources[0].search and not has_diacritics(short)
        assert fold(sources[0].expansion) == expansion != short


def test_folded_table_is_exactly_the_derivation():
    assert FOLDED_ABBREVIATIONS == derive_folded(TABLE)
    assert ABBREVIATIONS == {e.short: e.expansion for e in TABLE}


def test_an_accented_key_the_search_reads_folds_to_a_key_with_the_same_meaning():
    for entry in TABLE:
        if entry.search and has_diacritics(entry.short):
            assert FOLDED_ABBREVIATIONS.get(fold(entry.short)) == fold(entry.expansion), entry.short


@pytest.mark.parametrize(
    "word",
    ["hỏng", "hồng", "hông", "cấp", "gì", "hẻm", "học", "đầu tư", "diện tích", "em", "trẻ em", "vậy",
     "rồi", "số", "sở", "hộ", "dân", "khóa", "Hà Nội"],
)
def test_real_words_are_not_corrupted_by_the_search(word):
    assert query_words(word) == fold_words(word)


@pytest.mark.parametrize("word", ["hỏng", "hồng", "cấp", "gì", "hẻm", "học", "đầu tư", "trẻ em"])
def test_real_words_are_kept_by_the_nlu(word):
    assert normalize(word).text == word


def test_cccd_bi_hong_reads_hong_as_broken_in_the_search():
    assert query_words("CCCD bị hỏng") == ["can", "cuoc", "cong", "dan", "bi", "hong"]


def _project_vocabulary():
    """Words written with marks in the curated catalogue, the NLU data and the test questions."""
    paths = sorted((PROJECT_ROOT / "procedures_kb" / "data" / "curated").glob("*.yml"))
    paths += sorted((PROJECT_ROOT / "nlu_data").glob("*.yml"))
    paths += [PROJECT_ROOT / "tests" / "nlu" / "test_set.yml"]
    paths += [PROJECT_ROOT / "tests" / "data" / "retrieval_questions.yml"]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return {w for text in texts for w in accented_words(text) if has_diacritics(w)}


def test_no_folded_key_is_a_word_of_the_project_written_with_marks():
    """A word with marks folding to a key would be expanded by the search: "hông" must not read "hỏng"."""
    vocabulary = _project_vocabulary()
    assert len(vocabulary) > 500
    clashes = sorted(w for w in vocabulary if fold(w) in FOLDED_ABBREVIATIONS and w not in ABBREVIATIONS)
    assert clashes == []


def test_the_table_refuses_a_key_twice_or_not_one_lower_case_word():
    with pytest.raises(ValueError):
        _accented([Abbreviation("dk", "đăng ký"), Abbreviation("dk", "đăng kiểm")])
    with pytest.raises(ValueError):
        _accented([Abbreviation("DK", "đăng ký")])
    with pytest.raises(ValueError):
        _accented([Abbreviation("d k", "đăng ký")])


def test_derivation_skips_marked_keys_nlu_only_entries_and_no_ops():
    table = [
        Abbreviation("hông", "không"),
        Abbreviation("e", "em", search=False),
        Abbreviation("gi", "gì"),
        Abbreviation("ko", "không"),
    ]
    assert derive_folded(table) == {"ko": "khong"}
