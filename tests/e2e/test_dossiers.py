"""Dossier status over REST: ask for the code, then the digits; in and out of other topics."""
import pytest

pytestmark = pytest.mark.e2e


def _texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def test_code_then_digits_with_a_question_in_between(post, dossier_samples):
    code, _, _, digits = dossier_samples[0]
    sender = "e2e-dossier-1"
    assert "Bạn cho tôi mã hồ sơ" in _texts(post("hồ sơ của tôi đến đâu rồi", sender))
    typed = code.lower().replace(".", " ")
    status = _texts(post(typed, sender))
    assert f"Hồ sơ {code}" in status and "Tình trạng:" in status and "4 số cuối" in status
    assert "Người nộp" not in status
    # Another topic in between, then the digits.
    assert "(mã 1.004194)" in _texts(post("lệ phí đăng ký tạm trú", sender))
    details = _texts(post(digits, sender))
    assert "Thông tin chi tiết (đã xác minh)" in details and "Người nộp:" in details


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
