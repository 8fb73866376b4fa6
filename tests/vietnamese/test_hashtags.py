"""OA keyword commands opening a message."""
import pytest

from vietnamese.hashtags import read_tag
from vietnamese.normalize import normalize, query_words


@pytest.mark.parametrize(
    "typed, normalized",
    [
        ("#tracuuhoso", "tra cứu hồ sơ"),
        ("#TraCuuHoSo", "tra cứu hồ sơ"),
        ("#thutuc khai sinh", "thủ tục khai sinh"),
        ("#thutuckhaisinh", "thủ tục khai sinh"),
        ("#hotro", "hỗ trợ"),
        ("#lienhe", "liên hệ"),
        ("#canbo", "gặp cán bộ"),
        ("  #tracuuhoso 000.00.07.H29-240315-0012", "tra cứu hồ sơ 000.00.07.H29-240315-0012"),
        ("#thutuc #hotro", "thủ tục hỗ trợ"),
        ("#xyzqw hello", "xyzqw hello"),  # unknown: only the '#' goes
        ("#2024", "2024"),
        ("hỏi về #hotro", "hỏi về #hotro"),  # not at the start: not a command
    ],
)
def test_keyword_commands(typed, normalized):
    assert normalize(typed).text == normalized


def test_the_search_reads_the_command():
    assert query_words("#tracuuhoso") == ["tra", "cuu", "ho", "so"]
    assert query_words("#thutuc khai sinh") == ["thu", "tuc", "khai", "sinh"]


def test_a_command_points_at_the_tag():
    typed = "#thutuc khai sinh"
    result = normalize(typed)
    start, end = result.original_span(0, len("thủ tục"))
    assert typed[start:end] == "#thutuc"
    index = result.text.index("khai")
    assert typed[slice(*result.original_span(index, index + 4))] == "khai"


def test_a_long_tag_is_kept():
    tag = "a" * 200
    assert read_tag(tag) == tag
