"""The normaliser: tables, Unicode forms, offsets back to the original."""
import unicodedata

import pytest

from vietnamese.abbreviations import ABBREVIATIONS, CONTEXTS
from vietnamese.normalize import normalize, query_words


@pytest.mark.parametrize(
    "typed, normalized",
    [
        ("ko", "không"),
        ("k dc", "không được"),
        ("hông", "không"),
        ("đc", "được"),
        ("dk tạm trú", "đăng ký tạm trú"),
        ("ĐK tạm trú", "ĐĂNG KÝ tạm trú"),
        ("hs", "hồ sơ"),
        ("cccd", "căn cước công dân"),
        ("gplx", "giấy phép lái xe"),
        ("gks", "giấy khai sinh"),
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("Khoẻ", "Khỏe"),
        ("  nhiều    khoảng   trắng  ", "nhiều khoảng trắng"),
        ("sao vậy???", "sao vậy?"),
        ("alo 😀😀 ad", "alo ad"),
        ("", ""),
    ],
)
def test_normalisation_table(typed, normalized):
    assert normalize(typed).text == normalized


def test_every_abbreviation_is_lower_case_and_expands():
    for short, long in ABBREVIATIONS.items():
        assert short == short.lower() and long
        if short not in CONTEXTS or CONTEXTS[short].at_start or CONTEXTS[short].at_end:
            assert normalize(short).text == long


def test_nfd_input_is_composed_with_spans_over_the_original():
    typed = unicodedata.normalize("NFD", "Thủ tục")
    result = normalize(typed)
    assert result.text == "Thủ tục"
    assert len(typed) > len(result.text)
    start, end = result.original_span(0, 3)  # "Thủ"
    assert unicodedata.normalize("NFC", typed[start:end]) == "Thủ"


@pytest.mark.parametrize(
    "typed, word, original",
    [
        ("cho hỏi dk tạm trú", "đăng ký", "dk"),
        ("  làm   sổ đỏ", "sổ đỏ", "sổ đỏ"),
        ("😀 cccd nhé", "căn cước công dân", "cccd"),
    ],
)
def test_spans_point_at_what_the_user_wrote(typed, word, original):
    result = normalize(typed)
    index = result.text.index(word)
    start, end = result.original_span(index, index + len(word))
    assert typed[start:end] == original


def test_enormous_and_binary_input():
    result = normalize("a" * 100_000 + "\x00\x01\x02")
    assert len(result.text) == len(result.spans)
    assert "\x00" not in result.text


@pytest.mark.parametrize(
    "typed, words",
    [
        ("ĐK tạm trú cần j", ["dang", "ky", "tam", "tru", "can", "gi"]),
        ("làm  SỔ ĐỎ", ["lam", "so", "do"]),
        ("cmt bị hỏng", ["chung", "minh", "nhan", "dan", "bi", "hong"]),
        ("😀", []),
        ("", []),
        (None, []),
    ],
)
def test_query_words_are_folded_and_expanded(typed, words):
    assert query_words(typed) == words


def test_query_words_read_only_the_first_characters():
    assert query_words("dk " + "x" * 5000, max_chars=10) == ["dang", "ky", "xxxxxxx"]
