"""A fast check of the trained model (make test trains it): intents and entities as people type."""
import asyncio

import pytest

from tests.conftest import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "current.tar.gz"

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def parse():
    if not MODEL.exists():
        pytest.fail("No trained model: run `make model` (make test does it for you).")
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))
    return lambda text: asyncio.run(agent.parse_message(text))


@pytest.mark.parametrize(
    "text, intent",
    [
        ("đăng ký khai sinh cần giấy tờ gì", "ask_documents"),
        ("dang ky khai sinh can giay to gi", "ask_documents"),
        ("làm hộ chiếu hết bao nhiêu tiền", "ask_fee"),
        ("lam ho chieu het bao nhieu tien", "ask_fee"),
        ("đk tạm trú mất bao lâu", "ask_processing_time"),
        ("làm căn cước ở đâu", "ask_where"),
        ("xin chào", "greet"),
        ("cảm ơn nhiều", "thank"),
        ("cho tôi gặp cán bộ", "request_human"),
        ("hồ sơ 000.00.07.H29-240315-0012 đến đâu rồi", "check_dossier_status"),
        # Typed with the input method off, OA commands, invisible characters, Central words (vietnamese.normalize).
        ("lamf laij cancuowcs heets bao nhieeu tieenf", "ask_fee"),
        ("la2m ho65 chie61u o73 d9a6u", "ask_where"),
        ("ddawng kys khai sinh caanf giaays towf gif", "ask_documents"),
        ("#tracuuhoso", "check_dossier_status"),
        ("#canbo", "request_human"),
        ("đăng\u200bký\u200bkhai\u200bsinh cần giấy tờ gì", "ask_documents"),
        ("làm căn cước ở mô", "ask_where"),
        # A bare procedure name asks about it; a bare code or digits answers the assistant's question.
        ("khai tử", "ask_procedure"),
        ("đăng ký xe máy", "ask_procedure"),
        ("000.00.07.H29-240315-0012", "inform"),
        ("4 số cuối là 6789", "inform"),
        # An unfamiliar official name in a formal frame or alone is no dossier look-up.
        ("Kiểm tra nhà nước về chất lượng muối nhập khẩu", "ask_procedure"),
        ("Thời hạn giải quyết thủ tục cấp phép nhập khẩu thuốc thú y", "ask_processing_time"),
        ("ủy ban làm việc thứ bảy không", "ask_office_info"),
        ("cán bộ thái độ không tốt", "complain"),
    ],
)
def test_intents(parse, text, intent):
    assert parse(text)["intent"]["name"] == intent


def test_entities_and_normalised_text(parse):
    result = parse("hs 000 00 07 h29 240315 0012 lam so do cua toi sao roi")
    entities = {(e["entity"], e["value"]) for e in result["entities"]}
    assert ("dossier_code", "000.00.07.H29-240315-0012") in entities
    assert ("procedure", "lam so do") in entities
    assert "hồ sơ" in result["normalized_text"]


def test_a_code_of_the_national_portal_and_its_normalised_keys(parse):
    result = parse("tra cứu hồ sơ G22.99-251225-020175")
    assert ("dossier_code", "G22.99-251225-020175") in {(e["entity"], e["value"]) for e in result["entities"]}
    assert parse("la2m ho65 chie61u")["normalized_text"] == "làm hộ chiếu"


@pytest.mark.parametrize("text", ["\u200b\u200b", "", "😀😀😀", "a" * 100_000, "\x00\x01\x02", "<script>alert(1)</script>"])
def test_odd_input_parses(parse, text):
    result = parse(text)
    assert "intent" in result
