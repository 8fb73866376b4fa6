import pytest

from bot.components.mentions import PhraseMatcher, find_last_digits
from bot.components.restorer import DiacriticRestorer

CORPUS = [
    "làm sổ đỏ cần giấy tờ gì",
    "đăng ký tạm trú ở đâu",
    "số điện thoại của cán bộ",
    "xin giấy xác nhận độc thân",
    "sổ đỏ mất bao lâu",
]


def test_restores_from_its_vocabulary_and_keeps_length():
    restorer = DiacriticRestorer.train(CORPUS)
    assert restorer.restore("lam so do can giay to gi") == "làm sổ đỏ cần giấy tờ gì"
    assert restorer.restore("So do mat bao lau?") == "Sổ đỏ mất bao lâu?"
    text = "dang ky tam tru o dau 123 xyz"
    assert len(restorer.restore(text)) == len(text)
    assert restorer.restore("xyz qwe") == "xyz qwe"


def test_words_typed_with_marks_are_kept():
    restorer = DiacriticRestorer.train(CORPUS)
    assert restorer.restore("số đỏ") == "số đỏ"


def test_restorer_round_trips_through_json():
    restorer = DiacriticRestorer.train(CORPUS)
    again = DiacriticRestorer.from_dict(restorer.to_dict())
    assert again.restore("xin giay xac nhan doc than") == "xin giấy xác nhận độc thân"


def test_phrase_matcher_takes_the_longest_match():
    matcher = PhraseMatcher(["sổ đỏ", "làm sổ đỏ", "đăng ký tạm trú"])
    text = "cho hỏi lam so do và đăng ký tạm trú"
    assert [text[s:e] for s, e in matcher.find(text)] == ["lam so do", "đăng ký tạm trú"]


def test_last_digits_only_in_short_answers_or_with_a_cue():
    assert find_last_digits("1234") == [(0, 4)]
    assert find_last_digits("số cuối là 5678") == [(11, 15)]
    long = "tôi nộp hồ sơ năm 2024 tại ủy ban phường và chờ mãi chưa thấy kết quả gì cả"
    assert find_last_digits(long) == []
    assert find_last_digits("12345") == []


PLACES = CORPUS + ["cải cách hành chính", "cái giấy này", "màu của giấy", "mẫu đơn", "cà phê", "hà nội"]


@pytest.mark.parametrize("text", ["Lào Cai", "Cà Mau", "Hà Nội", "làm hộ chiếu ở Lào Cai", "thủ tục ở Cà Mau ra sao"])
def test_a_message_written_with_marks_keeps_its_words_without_marks(text):
    restorer = DiacriticRestorer.train(PLACES)
    assert restorer.restore(text) == text


def test_a_name_next_to_a_name_with_marks_is_kept_in_an_unaccented_message():
    restorer = DiacriticRestorer.train(PLACES)
    assert restorer.restore("lam so do o Lào Cai") == "làm sổ đỏ ở Lào Cai"
