"""Words and "is there anything to read"."""
import pytest

from vietnamese.words import has_content, words


@pytest.mark.parametrize("text", ["a", "1", "hỏi", "  Đ  ", "😀 ok"])
def test_text_with_a_letter_or_digit_has_content(text):
    assert has_content(text)


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "?!...", "\x00\n", None, 123, b"abc"])
def test_nothing_to_read(text):
    assert not has_content(text)


def test_words_keep_case_and_marks_and_split_on_everything_else():
    assert words("Đăng-ký  tạm_trú, 2 lần!") == ["Đăng", "ký", "tạm", "trú", "2", "lần"]
