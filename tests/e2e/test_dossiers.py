"""Dossier status over REST: ask for the code, then the digits; in and out of other topics."""
import pytest

pytestmark = pytest.mark.e2e


def _texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def test_a_question_in_between_ends_the_verification(post, dossier_samples):
    code, _, _, digits = dossier_samples[0]
    sender = "e2e-dossier-1"
    assert "Bạn cho tôi mã hồ sơ" in _texts(post("hồ sơ của tôi đến đâu rồi", sender))
    typed = code.lower().replace(".", " ")
    status = _texts(post(typed, sender))
    assert f"Hồ sơ {code}" in status and "Tình trạng:" in status and "4 số cuối" in status
    assert "Người nộp" not in status
    # Another topic in between ends the verification: the digits alone show nothing and count for nothing...
    assert "(mã 1.004194)" in _texts(post("lệ phí đăng ký tạm trú", sender))
    again = _texts(post(digits, sender))
    assert "Thông tin chi tiết" not in again and "Người nộp" not in again and "lần thử" not in again
    # ...the code again, then the digits.
    assert "4 số cuối" in _texts(post(typed, sender))
    details = _texts(post(digits, sender))
    assert "Thông tin chi tiết (đã xác minh)" in details and "Người nộp:" in details


@pytest.mark.parametrize("value", ["1234", "[1234]", "12.5", "true", '{"a": 1}'])
def test_typed_digits_of_another_type_get_a_polite_reply(post, dossier_samples, value):
    code, _, _, _ = dossier_samples[3]
    sender = f"e2e-dossier-typed-{abs(hash(value))}"
    post(f"kiểm tra hồ sơ {code}", sender)
    reply = _texts(post(f'/inform{{"phone_last_digits": {value}}}', sender))
    assert "Bạn nhập đúng 4 chữ số cuối" in reply


def test_feedback_outside_the_buttons_is_refused(post):
    sender = "e2e-feedback-markup"
    post("lệ phí đăng ký tạm trú", sender)
    reply = _texts(post('/feedback{"feedback_value": "<img src=x onerror=alert(1)>"}', sender))
    assert "chưa ghi nhận được đánh giá này" in reply


def test_code_in_the_first_message_without_diacritics(post, dossier_samples):
    code, _, _, _ = dossier_samples[1]
    replies = _texts(post(f"tra cuu ho so {code}", "e2e-dossier-2"))
    assert f"Hồ sơ {code}" in replies


def test_wrong_digits_then_lockout(post, dossier_samples):
    code, _, _, digits = dossier_samples[2]
    sender = "e2e-dossier-3"
    post(f"kiểm tra hồ sơ {code}", sender)
    wrong = "0000" if digits != "0000" else "1111"
    answers = [_texts(post(wrong, sender)) for _ in range(5)]
    assert "còn 4 lần thử" in answers[0]
    assert any("tạm khóa" in a for a in answers[3:])


@pytest.mark.parametrize(
    "message, expected",
    [
        ("tra cứu hồ sơ 000.00.07.H29-2403", "Mã hồ sơ chưa đúng dạng"),
        ("tra cứu hồ sơ 000.00.07.H29-240315-9999", "Không tìm thấy hồ sơ mã 000.00.07.H29-240315-9999"),
        ("tra cứu hồ sơ 000.00.07.H29-240315-0012' OR '1'='1", "Không tìm thấy hồ sơ"),
    ],
)
def test_bad_codes_get_clear_replies(post, message, expected):
    assert expected in _texts(post(message, f"e2e-dossier-bad-{abs(hash(message))}"))
