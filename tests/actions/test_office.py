"""The desk's hours, complaints, English, "none of these", several questions in one message, and a
follow-up after a dossier look-up (actions/office.py, actions/procedures.py)."""
import datetime as dt

from rasa_sdk.events import SlotSet

from actions import office
from actions.office import ActionComplain, ActionNonVietnamese, ActionOfficeInfo, office_info_text
from actions.procedures import ActionAnswerDocuments, ActionAnswerQuestion, ActionNoneOfThese
from actions.runtime import desk_store
from tests.actions.helpers import run_action

OFFICER = {"title": "Gặp cán bộ", "payload": "/request_human"}


def test_office_hours_say_whether_the_desk_is_open_at_lunch_or_closed_for_a_holiday():
    lunch = office_info_text(dt.datetime(2026, 12, 1, 12, 10))
    assert lunch.splitlines()[0].startswith("Giờ làm việc của bộ phận một cửa: 7 giờ 30 – 11 giờ 30 và 13 giờ 30")
    assert "giờ nghỉ trưa; bộ phận một cửa làm việc lại lúc 13 giờ 30 hôm nay" in lunch
    assert "Tổng đài hỗ trợ: 18001096" in lunch
    holiday = office_info_text(dt.datetime(2027, 1, 1, 9, 0))
    assert "ngày nghỉ lễ (Tết Dương lịch)" in holiday and "thứ Hai 04/01" in holiday


def test_the_office_action_answers_now_with_an_officer_button(service):
    events, (message,) = run_action(ActionOfficeInfo(), "giờ làm việc của bộ phận một cửa", intent="ask_office_info")
    assert events == []
    assert message["text"].startswith("Giờ làm việc của bộ phận một cửa:")
    assert message["buttons"] == [OFFICER]


def test_an_address_set_by_the_operator_is_given(service, monkeypatch):
    from officer_desk.config import DeskSettings

    monkeypatch.setattr(office, "desk_settings", lambda: DeskSettings(office_address="số 1 Lý Thái Tổ, phường Hoàn Kiếm"))
    assert "Địa chỉ: số 1 Lý Thái Tổ, phường Hoàn Kiếm." in office_info_text(dt.datetime(2026, 12, 1, 10))


def test_a_complaint_is_acknowledged_recorded_without_numbers_and_an_officer_offered(service):
    text = "toi muon khieu nai vi tre hen, goi lai cho toi so 0912345678"
    events, messages = run_action(ActionComplain(), text, intent="complain", sender_id="c-complain",
                                  slots={"procedure_code": "1.004194"})
    assert events == [SlotSet("pending_offer", "handoff")]
    assert messages[0]["text"].startswith("Tôi rất tiếc về việc này. Tôi đã ghi nhận phản ánh")
    assert "dichvucong.gov.vn" in messages[1]["text"] and "phiếu xin lỗi và hẹn lại ngày trả kết quả" in messages[1]["text"]
    assert messages[1]["buttons"] == [OFFICER]
    (row,) = desk_store().feedback()
    assert (row.intent, row.helpful, row.procedure_code, row.conversation_id) == ("complain", False, "1.004194", "c-complain")
    assert "0912345678" not in row.question and "[số đã ẩn]" in row.question


def test_english_gets_an_english_reply_with_the_hotline(service):
    events, (message,) = run_action(ActionNonVietnamese(), "I want to renew my visa", intent="non_vietnamese")
    assert message["text"].startswith("Hello! I am the virtual assistant for administrative procedures in Vietnam.")
    assert "Hotline: 18001096." in message["text"] and message["buttons"] == [OFFICER]


def _asked_then_refused(times):
    events = [{"event": "user", "text": "xin giay phep kinh doanh quan an nho", "parse_data": {"intent": {"name": "ask_documents"}}},
              {"event": "action", "name": "action_answer_documents"}]
    for _ in range(times):
        events.append({"event": "user", "text": "/none_of_these", "parse_data": {"intent": {"name": "none_of_these"}}})
        events.append({"event": "action", "name": "action_none_of_these"})
    return events


def test_none_of_these_asks_to_rephrase_then_offers_an_officer(service):
    events, (message,) = run_action(ActionNoneOfThese(), "/none_of_these", intent="none_of_these",
                                    events=_asked_then_refused(1), sender_id="c-none")
    assert events == [] and message["text"].startswith("Xin lỗi vì chưa đúng ý bạn. Bạn hãy viết lại")
    events, (message,) = run_action(ActionNoneOfThese(), "/none_of_these", intent="none_of_these",
                                    events=_asked_then_refused(2), sender_id="c-none")
    assert events == [SlotSet("pending_offer", "handoff")] and message["buttons"] == [OFFICER]
    rows = desk_store().feedback()
    assert [(r.intent, r.question) for r in rows] == [("none_of_these", "xin giay phep kinh doanh quan an nho")] * 2


def test_two_questions_about_one_procedure_get_two_answers(service):
    events, messages = run_action(ActionAnswerDocuments(), "lam ho chieu can giay to gi, bao lau thi co")
    assert len(messages) == 2
    time, documents = messages
    assert "(mã 1.001456)" in time["text"].splitlines()[0] and "thời hạn giải quyết" in time["text"]
    assert not time["buttons"]
    assert "hẹn" in time["text"] or "ngày làm việc" in time["text"]
    assert documents["buttons"] and ("Giấy tờ" in documents["text"] or "giấy tờ" in documents["text"])
    assert all(len(m["text"]) <= 2000 for m in messages)
    assert SlotSet("procedure_code", "1.001456") in events


def test_a_complaint_inside_a_question_is_answered_and_acknowledged(service):
    events, messages = run_action(ActionAnswerQuestion(), "răng mà đăng ký kết hôn lâu rứa, nộp ở mô", intent="ask_where")
    texts = [m["text"] for m in messages]
    assert "mã 1.000894" in texts[0] and "mã 1.000894" in texts[1]  # how long, then where
    assert texts[-1].startswith("Tôi ghi nhận bạn không hài lòng")
    assert [r.intent for r in desk_store().feedback()] == ["complain"]


def test_a_follow_up_after_a_dossier_look_up_is_about_its_procedure(service):
    events, (message,) = run_action(ActionAnswerDocuments(), "cần bổ sung gì vậy", slots={"procedure_code": "1.004194"})
    assert "mã 1.004194" in message["text"].splitlines()[0]


def test_the_more_of_another_procedure_is_that_procedure_not_the_next_page(service):
    """Found by a new-user check: "thế còn kết hôn" after khai tử showed khai tử's next page."""
    from actions.procedures import ActionAnswerMore

    events, (message,) = run_action(ActionAnswerMore(), "thế còn kết hôn", intent="ask_more",
                                    slots={"procedure_code": "1.000656"})
    assert "(mã 1.000894)" in message["text"].splitlines()[0]
    events, (message,) = run_action(ActionAnswerMore(), "còn nữa không", intent="ask_more",
                                    slots={"procedure_code": "1.000656"})
    assert "(mã 1.000894)" not in message["text"]
