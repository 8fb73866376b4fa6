"""A real conversation over the REST channel, through the action server and the database."""
import uuid

import pytest

pytestmark = pytest.mark.e2e


def _sender():
    return f"e2e-{uuid.uuid4().hex[:8]}"


def test_documents_for_birth_registration(say):
    (reply,) = say("đăng ký khai sinh cần giấy tờ gì", _sender())
    assert reply.startswith("Đăng ký khai sinh (mã 1.001193)")
    assert "Giấy chứng sinh" in reply and "Tờ khai đăng ký khai sinh" in reply


def test_unaccented_question(say):
    (reply,) = say("dang ky ket hon can giay to gi", _sender())
    assert "(mã 1.000894)" in reply
    assert "Tờ khai đăng ký kết hôn" in reply


def test_everyday_name_overview(say):
    (reply,) = say("làm sổ đỏ như thế nào", _sender())
    assert "(mã 1.013978)" in reply
    assert "27 ngày làm việc" in reply


def test_greeting(say):
    (reply,) = say("xin chào", _sender())
    assert reply.startswith("Xin chào! Tôi là trợ lý thủ tục hành chính.")


@pytest.mark.parametrize(
    "message",
    ["", "😀😀😀", "a" * 100_000, "<script>alert('x')</script>", "'; DROP TABLE procedures; --", "\x00\x01\x02"],
)
def test_bad_input_gets_a_reply_and_the_conversation_goes_on(say, message):
    sender = _sender()
    replies = say(message, sender)
    assert all("Traceback" not in r for r in replies)
    (reply,) = say("đăng ký tạm trú cần giấy tờ gì", sender)
    assert "(mã 1.004194)" in reply


def test_follow_up_keeps_the_procedure_and_naming_another_switches(say):
    sender = _sender()
    (first,) = say("đăng ký tạm trú cần giấy tờ gì", sender)
    assert "(mã 1.004194)" in first
    (fee,) = say("còn lệ phí thì sao?", sender)
    assert fee.startswith("Đăng ký tạm trú (mã 1.004194) — phí, lệ phí:")
    (time_answer,) = say("mất bao lâu", sender)
    assert "(mã 1.004194) — thời hạn giải quyết:" in time_answer
    (other,) = say("còn làm hộ chiếu thì hết bao nhiêu tiền", sender)
    assert "(mã 1.001456)" in other and "200.000 đồng" in other


def test_unaccented_fee_question(say):
    (reply,) = say("lam ho chieu het bao nhieu tien", _sender())
    assert "(mã 1.001456) — phí, lệ phí:" in reply
