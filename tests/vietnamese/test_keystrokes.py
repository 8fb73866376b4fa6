"""Telex and VNI keystrokes typed with the input method off, and the syllables they must make."""
import pytest

from scripts.build_syllables import main as build_syllables
from tests.work import calls
from vietnamese.keystrokes import decode_message, decode_word, telex_syllable, vni_syllable
from vietnamese.normalize import normalize, query_words
from vietnamese.syllables import compose, is_known, is_syllable, parse


@pytest.mark.parametrize(
    "keys, syllable",
    [
        ("lamf", "làm"), ("laij", "lại"), ("heets", "hết"), ("nhieeu", "nhiêu"), ("tieenf", "tiền"),
        ("cuowcs", "cước"), ("nguowif", "người"), ("dduwowcj", "được"), ("hoawcj", "hoặc"), ("ngoaif", "ngoài"),
        ("gif", "gì"), ("gias", "giá"), ("quyeenf", "quyền"), ("giuwx", "giữ"), ("tw", "tư"), ("khoer", "khỏe"),
        ("thuyr", "thủy"), ("hoaf", "hòa"), ("ddi", "đi"), ("tieesng", "tiếng"),
    ],
)
def test_telex_syllables(keys, syllable):
    assert telex_syllable(keys) == syllable


@pytest.mark.parametrize(
    "keys, syllable",
    [("la2m", "làm"), ("ho65", "hộ"), ("chie61u", "chiếu"), ("nguo72i", "người"), ("d9i", "đi"), ("tie61ng", "tiếng")],
)
def test_vni_syllables(keys, syllable):
    assert vni_syllable(keys) == syllable


@pytest.mark.parametrize("keys", ["for", "your", "xyz", "lamff", "covid", "h29", "thanks"])
def test_keys_that_make_no_syllable(keys):
    assert telex_syllable(keys) is None or not is_known(telex_syllable(keys))
    assert vni_syllable(keys) is None


@pytest.mark.parametrize(
    "typed, normalized",
    [
        ("lamf laij cancuowcs heets bao nhieeu tieenf", "làm lại can cước hết bao nhiêu tiền"),
        ("Lamf laij cccd heets bao nhieeu tieenf", "Làm lại căn cước công dân hết bao nhiêu tiền"),
        ("la2m ho65 chie61u", "làm hộ chiếu"),
        ("la2m ho65 chie61u o73 d9a6u", "làm hộ chiếu ở đâu"),
        ("ddawng kys khai sinh caanf gif", "đăng ký khai sinh cần gì"),
        ("спасибо lamf laij сccd", "спасибо làm lại căn cước công dân"),  # mixed scripts
    ],
)
def test_messages_typed_with_keys_are_read(typed, normalized):
    assert normalize(typed).text == normalized


@pytest.mark.parametrize(
    "typed",
    [
        "lam ho chieu", "can gi", "o dau", "viet", "ngoai", "lam ho chieu o dau can giay to gi",
        "this is a test for you", "hello how are you", "what was that",
        "H29 000.00.07.H29-240315-0012", "ma ho so 000.00.07.H29-240315-0012",
        "covid19 va xe 29A1", "lamf",  # one word is not clearly Telex
        "đăng ký lamf laij",  # marks: the input method was on
    ],
)
def test_ordinary_text_is_not_decoded(typed):
    words = typed.split()
    assert decode_message(words) == [None] * len(words)


def test_unaccented_vietnamese_and_english_are_kept_as_typed():
    for typed in ("lam ho chieu o dau", "this is a test for you", "H29 va G22"):
        assert normalize(typed).text == typed


def test_the_search_reads_decoded_keys():
    assert query_words("lamf laij cancuowcs heets bao nhieeu tieenf") == [
        "lam", "lai", "can", "cuoc", "het", "bao", "nhieu", "tien"]
    assert query_words("la2m ho65 chie61u") == ["lam", "ho", "chieu"]


def test_decoded_words_point_at_their_keys():
    typed = "lamf laij cancuowcs heets"
    result = normalize(typed)
    index = result.text.index("cước")
    start, end = result.original_span(index, index + len("cước"))
    assert typed[start:end] == "cancuowcs"
    index = result.text.index("hết")
    assert typed[slice(*result.original_span(index, index + 3))] == "heets"


def test_a_glued_pair_needs_two_syllables_opening_with_a_consonant():
    assert decode_word("cancuowcs", "telex") == "can cước"
    assert decode_word("hoaf", "telex") in ("hòa", None)


def test_four_thousand_characters_of_telex_are_read_in_linear_time():
    sentence = "lamf laij cancuowcs heets bao nhieeu tieenf "
    small, large = (sentence * 25)[:1000], (sentence * 100)[:4000]
    result = normalize(large)
    assert "làm lại can cước hết bao nhiêu tiền" in result.text
    assert len(result.text) == len(result.spans)
    # Four times the text, about four times the work (function calls, which a busy machine does not blur).
    assert calls(normalize, large) < 4.5 * calls(normalize, small)


@pytest.mark.parametrize("word", ["làm", "người", "quyền", "giếng", "khuỷu", "ngoài", "hòa", "thủy", "gì", "xoong"])
def test_syllables_parse_and_compose_back(word):
    parsed = parse(word)
    assert parsed is not None and compose(parsed) == word


@pytest.mark.parametrize("word", ["kh", "xyz", "hòc", "ngh", "abc", "lamf", "đk", "tphcm"])
def test_what_is_not_a_syllable(word):
    assert not is_syllable(word)


def test_the_syllable_list_is_up_to_date():
    """vietnamese/data/syllables.txt is what scripts.build_syllables writes from the project's texts."""
    assert build_syllables(["--check"]) == 0
    assert is_known("cước") and is_known("hộ") and not is_known("xyz")
