"""Actions answer from the catalogue, name the code, and fail politely."""
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.procedure_actions import SERVICE_DOWN, ActionAnswerDocuments, ActionAnswerOverview
from actions.runtime import set_procedure_service
from procedures_kb.importer import import_path
from procedures_kb.service import ProcedureService
from tests.conftest import CURATED_DIR


@pytest.fixture
def service(engine, session):
    import_path(session, CURATED_DIR)
    service = ProcedureService(engine)
    set_procedure_service(service)
    yield service
    set_procedure_service(None)


def _run(action, text, slots=None):
    tracker = Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": "ask_documents"}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return events, dispatcher.messages


def test_documents_of_birth_registration(service):
    events, messages = _run(ActionAnswerDocuments(), "đăng ký khai sinh cần giấy tờ gì")
    assert events == [SlotSet("procedure_code", "1.001193")]
    (message,) = messages
    assert message["text"].startswith("Thủ tục đăng ký khai sinh (mã 1.001193) — giấy tờ cần chuẩn bị:")
    assert "Giấy chứng sinh" in message["text"]
    assert "(1 bản chính)" in message["text"]
    assert len(message["text"]) <= 2000


def test_unaccented_everyday_name(service):
    events, messages = _run(ActionAnswerOverview(), "lam so do nhu the nao")
    assert events == [SlotSet("procedure_code", "1.013978")]
    text = messages[0]["text"]
    assert "(mã 1.013978)" in text
    assert "Trực tuyến: thời hạn 17 ngày làm việc" in text
    assert "Trực tiếp: thời hạn 27 ngày làm việc" in text


def test_follow_up_uses_the_procedure_under_discussion(service):
    events, messages = _run(ActionAnswerDocuments(), "cần giấy tờ gì", slots={"procedure_code": "1.004194"})
    assert events == [SlotSet("procedure_code", "1.004194")]
    assert messages[0]["text"].startswith("Thủ tục đăng ký tạm trú (mã 1.004194)")


@pytest.mark.parametrize("text", ["", "😀😀", "xyzq qwzx", "<b>alo</b>' OR 1=1 --", "a" * 100_000])
def test_unknown_procedure_gets_a_polite_question(service, text):
    events, messages = _run(ActionAnswerDocuments(), text)
    assert events == []
    (message,) = messages
    assert message["text"].startswith("Xin lỗi, tôi chưa xác định được bạn hỏi thủ tục nào.")
    assert len(message["text"]) <= 2000


def test_database_down_gives_a_polite_message():
    set_procedure_service(ProcedureService.from_url("postgresql://postgres@127.0.0.1:1/none"))
    try:
        events, messages = _run(ActionAnswerDocuments(), "đăng ký khai sinh")
    finally:
        set_procedure_service(None)
    assert events == []
    assert messages[0]["text"] == SERVICE_DOWN
