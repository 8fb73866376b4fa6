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


@pytest.mark.parametrize("text", ["", "😀😀😀", "a" * 100_000, "\x00\x01\x02", "<script>alert(1)</script>"])
def test_odd_input_parses(parse, text):
    result = parse(text)
    assert "intent" in result
