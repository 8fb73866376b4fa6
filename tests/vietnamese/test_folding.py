"""Folding: one form for "làm sổ đỏ", "lam so do" and "LÀM  SỔ ĐỎ"."""
import unicodedata

import pytest

from vietnamese.folding import accented_words, fold, fold_words, has_diacritics, nfc


@pytest.mark.parametrize(
    "text, folded",
    [
        ("làm sổ đỏ", "lam so do"),
        ("LÀM  SỔ ĐỎ", "lam so do"),
        ("Đăng ký, tạm trú!", "dang ky tam tru"),
        ("Thủ tục 1.001193", "thu tuc 1 001193"),
        (unicodedata.normalize("NFD", "Hỏng"), "hong"),
        ("😀", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded
    assert fold_words(text) == folded.split()


def test_nfc_composes_decomposed_marks():
    assert nfc(unicodedata.normalize("NFD", "Thủ tục")) == "Thủ tục"


def test_accented_words_tell_words_apart_that_fold_alike():
    assert accented_words("Bán BÀN, bạn") == ["bán", "bàn", "bạn"]
    assert accented_words(unicodedata.normalize("NFD", "sổ")) == ["sổ"]


@pytest.mark.parametrize("text, marked", [("sổ", True), ("đo", True), ("Đ", True), ("so do", False), ("", False)])
def test_has_diacritics(text, marked):
    assert has_diacritics(text) is marked
    assert has_diacritics(unicodedata.normalize("NFD", text)) is marked
