"""Actions answer from the catalogue, name the code, and fail politely."""
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.procedures import ActionAnswerDocuments, ActionAnswerOverview, ActionAnswerQuestion
from actions.runtime import set_procedure_service
from procedures_kb.service import ProcedureService
from tests.actions.helpers import answered, failure, run

SERVICE_DOWN = (
    "Xin lỗi, hệ thống tra cứu thủ tục đang bận. Bạn vui lòng thử lại sau ít phút "
    "hoặc liên hệ bộ phận một cửa nơi nộp hồ sơ."
)


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
    return run(action, tracker)


def test_documents_of_birth_registration(service):
    events, messages = _run(ActionAnswerDocuments(), "đăng ký khai sinh cần giấy tờ gì")
    assert events == answered("1.001193")
    (message,) = messages
    assert message["text"].startswith("Thủ tục đăng ký khai sinh (mã 1.001193) — giấy tờ cần chuẩn bị:")
    assert "Giấy chứng sinh" in message["text"]
    assert "(1 bản chính)" in message["text"]
    assert len(message["text"]) <= 2000


def test_unaccented_everyday_name(service):
    events, messages = _run(ActionAnswerOverview(), "lam so do nhu the nao")
    assert events == answered("1.013978")
    text = messages[0]["text"]
    assert "(mã 1.013978)" in text
    assert "Trực tuyến: thời hạn 17 ngày làm việc" in text
    assert "Trực tiếp: thời hạn 27 ngày làm việc" in text


def test_follow_up_uses_the_procedure_under_discussion(service):
    events, messages = _run(ActionAnswerDocuments(), "cần giấy tờ gì", slots={"procedure_code": "1.004194"})
    assert events == answered("1.004194")
    assert messages[0]["text"].startswith("Thủ tục đăng ký tạm trú (mã 1.004194)")


@pytest.mark.parametrize("text", ["", "😀😀", "xyzq qwzx", "<b>alo</b>' OR 1=1 --", "a" * 100_000])
def test_unknown_procedure_gets_a_polite_question(service, text):
    events, messages = _run(ActionAnswerDocuments(), text)
    assert events == failure(1)
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


def _ask(intent, text, slots=None):
    tracker = Tracker(
        sender_id="test", slots=slots or {}, latest_message={"text": text, "intent": {"name": intent}},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name=None,
    )
    events, messages = run(ActionAnswerQuestion(), tracker)
    return events, [m["text"] for m in messages]


@pytest.mark.parametrize(
    "intent, text, code, expected",
    [
        ("ask_fee", "đăng ký thường trú hết bao nhiêu tiền", "1.004222", ["— phí, lệ phí:", "Trực tuyến: 10.000 đồng", "Trực tiếp: 20.000 đồng"]),
        ("ask_processing_time", "đk tạm trú mất bao lâu", "1.004194", ["— thời hạn giải quyết:", "3 ngày làm việc", "không tính thứ Bảy"]),
        ("ask_where", "làm hộ chiếu ở đâu", "1.001456", ["— nơi nộp hồ sơ:", "Phòng Quản lý xuất nhập cảnh"]),
        ("ask_online", "lam ho chieu online duoc khong", "1.001456", ["có thể nộp trực tuyến", "160.000 đồng"]),
        ("ask_steps", "các bước làm sổ đỏ lần đầu", "1.013978", ["— các bước thực hiện:", "1. "]),
        ("ask_form", "mẫu tờ khai đăng ký thường trú", "1.004222", ["— mẫu đơn, tờ khai:", "CT01"]),
        ("ask_requirements", "điều kiện đăng ký kết hôn", "1.000894", ["— điều kiện thực hiện:", "Nam từ đủ 20 tuổi"]),
        ("ask_legal_basis", "đăng ký thường trú theo luật nào", "1.004222", ["— căn cứ pháp lý:", "68/2020/QH14 Luật Cư trú"]),
        ("ask_result", "đăng ký kết hôn xong được nhận gì", "1.000894", ["— kết quả: Giấy chứng nhận kết hôn"]),
    ],
)
def test_each_question_gets_its_answer_with_the_code(service, intent, text, code, expected):
    events, (message,) = _ask(intent, text)
    assert events == answered(code)
    assert f"(mã {code})" in message
    for fragment in expected:
        assert fragment in message, (fragment, message)
    assert len(message) <= 2000


def test_follow_up_question_about_the_procedure_under_discussion(service):
    events, (message,) = _ask("ask_fee", "còn lệ phí thì sao?", slots={"procedure_code": "1.004194"})
    assert events == answered("1.004194")
    assert message.startswith("Thủ tục đăng ký tạm trú (mã 1.004194) — phí, lệ phí:")


def test_naming_another_procedure_switches(service):
    tracker = Tracker(
        sender_id="t", slots={"procedure_code": "1.004194"},
        latest_message={"text": "còn làm sổ đỏ thì hết bao nhiêu", "intent": {"name": "ask_fee"},
                        "entities": [{"entity": "procedure", "value": "làm sổ đỏ", "start": 4, "end": 13}]},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name=None,
    )
    events, _ = run(ActionAnswerQuestion(), tracker)
    assert events == answered("1.013978")


@pytest.mark.parametrize("text", ["nộp ở đâu?", "làm online được không", "mất bao lâu", "cần giấy tờ gì"])
def test_short_follow_ups_keep_the_procedure(service, text):
    events, (message,) = _ask("ask_where", text, slots={"procedure_code": "1.000894"})
    assert events == answered("1.000894")
    assert "(mã 1.000894)" in message


def test_a_dossier_code_goes_to_the_dossier_look_up(service):
    tracker = Tracker(
        sender_id="t", slots={},
        latest_message={"text": "000.00.07.H29-240315-0012", "intent": {"name": "inform"},
                        "entities": [{"entity": "dossier_code", "value": "000.00.07.H29-240315-0012"}]},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name=None,
    )
    events, messages = run(ActionAnswerOverview(), tracker)
    assert events == [SlotSet("dossier_step", None)]
    assert messages[0]["text"].startswith("Không tìm thấy hồ sơ mã 000.00.07.H29-240315-0012.")
