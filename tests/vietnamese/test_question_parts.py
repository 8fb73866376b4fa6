"""Every question a message asks, a complaint inside it, places, and English (vietnamese/*)."""
import pytest

from vietnamese.language import looks_english
from vietnamese.places import place_words
from vietnamese.question_parts import aspects, complains


@pytest.mark.parametrize("text, expected", [
    ("lam ho chieu can giay to gi, bao lau thi co", ["ask_documents", "ask_processing_time"]),
    ("răng mà đăng ký kết hôn lâu rứa, nộp ở mô", ["ask_processing_time", "ask_where"]),
    ("lệ phí làm sổ đỏ bao nhiêu tiền và nộp ở đâu", ["ask_fee", "ask_where"]),
    ("đăng ký khai sinh cần giấy tờ gì", ["ask_documents"]),
    ("cấp lại căn cước như thế nào", ["ask_steps"]),
    ("thủ tục kết hôn làm như thế nào, lệ phí bao nhiêu", ["ask_fee"]),  # "như thế nào" beside a question: wording
    ("có làm online được không, mẫu tờ khai ở đâu", ["ask_online", "ask_form", "ask_where"]),
    ("xin chào", []),
    ("", []),
])
def test_every_question_of_a_message_in_its_order(text, expected):
    assert aspects(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("toi muon khieu nai vi tre hen", True),
    ("răng mà đăng ký kết hôn lâu rứa, nộp ở mô", True),
    ("cán bộ thái độ quá", True),
    ("đăng ký kết hôn cần gì", False),
    ("phản ánh kiến nghị ở đâu", True),
])
def test_a_complaint_is_recognised(text, expected):
    assert complains(text) is expected


def test_places_are_found_whole_and_folded():
    assert place_words("tôi ở Lào Cai muốn đăng ký tạm trú") == {"lao", "cai"}
    assert place_words("TP HCM") == {"tp", "hcm"}
    assert place_words("giấy thông hành Việt Nam – Lào") == set()  # "Lào" alone is not a province
    assert place_words("") == set()


@pytest.mark.parametrize("text, expected", [
    ("I want to renew my visa, what documents do I need?", True),
    ("Hello, can you help me?", True),
    ("What are the office hours?", True),
    ("lam ho chieu can giay to gi", False),
    ("to khai tam tru mau nao", False),
    ("me toi bi mat cccd", False),
    ("visa cho nguoi nuoc ngoai", False),
    ("đăng ký kết hôn", False),
    ("thank you", False),  # too short to tell; the classifier's "thank"
    ("", False),
    (None, False),
])
def test_english_is_recognised_and_unaccented_vietnamese_is_not(text, expected):
    assert looks_english(text) is expected
