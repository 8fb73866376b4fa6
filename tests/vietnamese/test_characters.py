"""Invisible characters, look-alike letters and digits of other scripts, in both the NLU and the search."""
import pytest

from vietnamese.characters import clean
from vietnamese.normalize import normalize, query_words
from vietnamese.words import has_content


@pytest.mark.parametrize(
    "typed, normalized",
    [
        # A zero-width space between two whole syllables is a space ...
        ("đăng\u200bký\u200bkhai\u200bsinh", "đăng ký khai sinh"),
        ("dang\u200bky\u200btam\u200btru", "dang ky tam tru"),
        # ... inside a word, or between parts that make one syllable, it vanishes.
        ("kh\u200bai sinh", "khai sinh"),
        ("kha\u200bi sinh", "khai sinh"),
        ("đăng\u200b ký", "đăng ký"),
        # The others never separate words.
        ("k\u034fh\u034fa\u034fi sinh", "khai sinh"),
        ("đăng\u00adký", "đăngký"),
        ("\ufeffhộ chiếu", "hộ chiếu"),
        ("căn\u200dcước", "căncước"),
        ("hộ\u2060chiếu", "hộchiếu"),
        ("\u200fsổ đỏ\u200e", "sổ đỏ"),
        ("căn\ufe0f cước", "căn cước"),
        ("tạm\u200c trú", "tạm trú"),
    ],
)
def test_invisible_characters(typed, normalized):
    assert normalize(typed).text == normalized


@pytest.mark.parametrize("typed", ["\u200b", "\u200b\u200b\ufeff", "\u034f\u00ad\u2060", " \u200d "])
def test_a_message_of_only_invisible_characters_is_empty(typed):
    result = normalize(typed)
    assert result == normalize("") or (result.text == "" and result.spans == [])
    assert query_words(typed) == []
    assert not has_content(result.text)


@pytest.mark.parametrize(
    "typed, normalized",
    [
        ("сăn cước", "căn cước"),  # Cyrillic с
        ("hộ сhiếu", "hộ chiếu"),
        ("Нà Nội", "Hà Nội"),  # Cyrillic Н
        ("giấy khаi sinh", "giấy khai sinh"),  # Cyrillic а
        ("kу́ tên", "ký tên"),  # Cyrillic у with a combining acute
        ("hο sο", "ho so"),  # Greek ο
        ("ցiấy tờ", "giấy tờ"),  # Armenian ց
        ("ɡiấy tờ", "giấy tờ"),  # IPA ɡ
        ("hộ khẩu cɑ̃", "hộ khẩu cã"),
        ("ｄｋ tạm trú", "đăng ký tạm trú"),  # full-width letters
        ("𝐜𝐜𝐜𝐝", "căn cước công dân"),  # mathematical bold
        ("số １２３４", "số 1234"),
        ("số ١٢٣٤", "số 1234"),  # Arabic-Indic digits
        ("số १२३४", "số 1234"),  # Devanagari digits
        # A word wholly in another script is a word of that script.
        ("спасибо", "спасибо"),
        ("ευχαριστώ", "ευχαριστώ"),
        ("хорошо cảm ơn", "хорошо cảm ơn"),
    ],
)
def test_look_alike_letters_and_digits(typed, normalized):
    assert normalize(typed).text == normalized


def test_the_search_reads_what_the_nlu_reads():
    assert query_words("сăn\u200bcước сông dân") == ["can", "cuoc", "cong", "dan"]
    assert query_words("k\u034fh\u034fa\u034fi sinh") == ["khai", "sinh"]
    assert query_words("ｃｃｃｄ") == ["can", "cuoc", "cong", "dan"]


@pytest.mark.parametrize(
    "typed, word, original",
    [
        ("kh\u200bai sinh", "khai", "kh\u200bai"),
        ("đăng\u200bký", "ký", "ký"),
        ("сăn cước", "căn", "сăn"),
        ("k\u034fh\u034fa\u034fi", "khai", "k\u034fh\u034fa\u034fi"),
        ("số ١٢٣٤", "1234", "١٢٣٤"),
    ],
)
def test_spans_point_at_what_the_user_wrote(typed, word, original):
    result = normalize(typed)
    assert len(result.text) == len(result.spans)
    index = result.text.index(word)
    start, end = result.original_span(index, index + len(word))
    assert typed[start:end] == original


def test_clean_keeps_one_span_per_character():
    chars, spans = clean("a\u200bb\u034fc")
    assert len(chars) == len(spans)
    assert all(end == start + 1 for start, end in spans)
