"""Buttons, disambiguation, failures, handoff and feedback at the action level."""
import json

import pytest
from rasa_sdk.events import ActionExecuted, ConversationPaused, SlotSet

from actions.conversation_actions import (
    ActionAffirm,
    ActionDeny,
    ActionFallback,
    ActionFeedback,
    ActionHandoff,
    answered_question,
    is_negative,
)
from actions.procedure_actions import ActionAnswerDocuments, ActionAnswerOverview, ActionAnswerQuestion
from actions import runtime
from actions.runtime import desk_store, set_procedure_service
from officer_desk.models import AUTHOR_BOT, AUTHOR_CITIZEN
from procedures_kb.service import ProcedureService
from settings import Settings
from tests.actions.helpers import answered, code_entity, failure, run_action

PAUSED = [SlotSet("failures", 0), SlotSet("pending_offer", None), ConversationPaused(), ActionExecuted("action_listen")]

FEEDBACK = [
    {"title": "Hữu ích", "payload": '/feedback{"feedback_value": "helpful"}'},
    {"title": "Chưa hữu ích", "payload": '/feedback{"feedback_value": "not_helpful"}'},
]


def _payload(button):
    intent, _, entities = button["payload"][1:].partition("{")
    return intent, json.loads("{" + entities) if entities else {}


def test_a_button_payload_answers_that_code_directly(service):
    events, (message,) = run_action(
        ActionAnswerQuestion(), '/ask_fee{"procedure_code": "1.004194"}', intent="ask_fee",
        entities=code_entity("1.004194"),
    )
    assert events == answered("1.004194")
    assert message["text"].startswith("Thủ tục đăng ký tạm trú (mã 1.004194) — phí, lệ phí:")
    # Follow-ups for the same procedure, then the feedback pair; never more than five.
    assert message["buttons"][-2:] == FEEDBACK
    assert [b["title"] for b in message["buttons"][:3]] == ["Giấy tờ cần nộp", "Thời hạn", "Nộp ở đâu"]
    assert _payload(message["buttons"][0]) == ("ask_documents", {"procedure_code": "1.004194"})


@pytest.mark.parametrize("code", ["9.999999", "1.001193'; DROP TABLE procedures; --", "<script>", "x" * 500])
def test_an_unknown_or_malformed_code_in_a_payload_is_refused_politely(service, code):
    events, (message,) = run_action(ActionAnswerQuestion(), "/ask_fee", intent="ask_fee", entities=code_entity(code))
    assert events == failure(1)
    assert message["text"].startswith("Xin lỗi, cơ sở dữ liệu không có thủ tục mã")
    assert len(message["text"]) < 300
    assert service.get("1.001193") is not None  # nothing was dropped


@pytest.mark.parametrize(
    "text, codes",
    [
        ("giấy phép lái xe cần giấy tờ gì", {"3.000348", "3.000347", "3.000353"}),
        ("giay phep lai xe can giay to gi", {"3.000348", "3.000347", "3.000353"}),
        ("hộ chiếu cần giấy tờ gì", {"1.001456", "1.010386"}),
        ("căn cước cần giấy tờ gì", {"1.014063", "1.014064", "1.014062", "1.014061"}),
    ],
)
def test_a_question_that_fits_several_procedures_asks_with_buttons(service, text, codes):
    events, (message,) = run_action(ActionAnswerDocuments(), text)
    assert events == [SlotSet("pending_offer", None)]
    assert message["text"] == "Câu hỏi của bạn hợp với nhiều thủ tục. Bạn muốn hỏi thủ tục nào?"
    assert 2 <= len(message["buttons"]) <= 5
    offered = {_payload(b)[1]["procedure_code"] for b in message["buttons"]}
    assert codes <= offered
    # The tap repeats the question that was asked, about the chosen code.
    assert {_payload(b)[0] for b in message["buttons"]} == {"ask_documents"}
    assert all(len(b["title"]) <= 60 and "{" not in b["title"] for b in message["buttons"])


def test_a_fully_named_procedure_is_answered_and_close_ones_offered(service):
    events, (message,) = run_action(ActionAnswerDocuments(), "đăng ký khai sinh cần giấy tờ gì")
    assert events == answered("1.001193")
    offered = [_payload(b) for b in message["buttons"]]
    assert ("ask_documents", {"procedure_code": "2.000528"}) in offered  # có yếu tố nước ngoài
    assert message["buttons"][-2:] == FEEDBACK


def test_choosing_from_the_buttons_answers_the_original_question(service):
    _, (asked,) = run_action(ActionAnswerQuestion(), "giấy phép lái xe hết bao nhiêu tiền", intent="ask_fee")
    intent, entities = _payload(next(b for b in asked["buttons"] if "3.000347" in b["payload"]))
    events, (message,) = run_action(
        ActionAnswerQuestion(), asked["buttons"][0]["payload"], intent=intent, entities=code_entity(entities["procedure_code"])
    )
    assert intent == "ask_fee"
    assert events == answered("3.000347")
    assert message["text"].startswith("Thủ tục đổi giấy phép lái xe (mã 3.000347) — phí, lệ phí:")


def test_documents_name_counts_and_forms(service):
    _, (message,) = run_action(ActionAnswerDocuments(), "", entities=code_entity("1.004222"))
    text = message["text"]
    assert text.startswith("Thủ tục đăng ký thường trú (mã 1.004222) — giấy tờ cần chuẩn bị:")
    assert "mẫu CT01" in text
    assert "bản chính" in text


def test_another_case_of_the_documents_can_be_asked_for(service):
    events, (message,) = run_action(
        ActionAnswerDocuments(), "/ask_documents", entities=code_entity("1.008498") + [
            {"entity": "document_case", "value": "2"}]
    )
    assert events == answered("1.008498")
    assert "Trường hợp 2/3: Đăng ký qua nơi chi trả thu nhập" in message["text"]
    cases = [_payload(b)[1].get("document_case") for b in message["buttons"]]
    assert cases[:2] == ["1", "3"]


def test_nothing_found_suggests_and_counts_a_failure(service):
    events, (message,) = run_action(ActionAnswerDocuments(), "thủ tục nuôi cá voi trên sao hỏa")
    assert events == failure(1)
    assert message["text"].startswith("Xin lỗi, tôi chưa xác định được bạn hỏi thủ tục nào.")


def test_the_second_failure_offers_an_officer(service):
    events, messages = run_action(ActionAnswerDocuments(), "qưeqwe zzxx", slots={"failures": 1.0})
    assert events == [SlotSet("failures", 2), SlotSet("pending_offer", "handoff")]
    assert messages[-1]["text"] == "Có vẻ tôi chưa giúp được bạn. Bạn có muốn chuyển sang cán bộ hỗ trợ không?"
    assert [b["payload"] for b in messages[-1]["buttons"]] == ["/request_human", "/deny"]


def test_the_third_failure_hands_over_with_the_transcript(service):
    history = [
        {"event": "user", "text": "alo", "parse_data": {"intent": {"name": "nlu_fallback"}}},
        {"event": "bot", "text": "Xin lỗi, tôi chưa hiểu ý bạn."},
        {"event": "user", "text": "qưeqwe zzxx", "parse_data": {"intent": {"name": "nlu_fallback"}}},
    ]
    events, messages = run_action(
        ActionFallback(), "qưeqwe zzxx", intent="nlu_fallback", slots={"failures": 2.0}, events=history,
        sender_id="citizen-3",
    )
    assert events == PAUSED
    assert "yêu cầu hỗ trợ số" in messages[-1]["text"] and "18001096" in messages[-1]["text"]
    (ticket,) = desk_store().queue()
    assert ticket.conversation_id == "citizen-3" and ticket.reason == "repeated_failure"
    assert [(m.author, m.text) for m in ticket.messages] == [
        (AUTHOR_CITIZEN, "alo"), (AUTHOR_BOT, "Xin lỗi, tôi chưa hiểu ý bạn."), (AUTHOR_CITIZEN, "qưeqwe zzxx"),
    ]


def test_request_human_queues_once_and_pauses(service, monkeypatch):
    desk = Settings.from_env({"OFFICE_HOURS": "8 giờ – 17 giờ", "HOTLINE": "19001234"})
    monkeypatch.setattr(runtime, "settings", lambda: desk)
    first, (message,) = run_action(ActionHandoff(), "cho tôi gặp cán bộ", intent="request_human", sender_id="c1",
                                   slots={"procedure_code": "1.004194"})
    again, _ = run_action(ActionHandoff(), "cho tôi gặp cán bộ", intent="request_human", sender_id="c1")
    assert first == again == PAUSED
    (ticket,) = desk_store().queue()
    assert ticket.reason == "requested" and ticket.procedure_code == "1.004194"
    assert message["text"] == (
        f"Tôi đã chuyển cuộc trò chuyện cho cán bộ (yêu cầu hỗ trợ số {ticket.id}). "
        "Cán bộ sẽ trả lời ngay tại đây trong giờ làm việc: 8 giờ – 17 giờ. Nếu cần gấp, bạn gọi tổng đài 19001234."
    )


def test_handoff_with_the_queue_down_gives_the_hotline_and_does_not_pause():
    set_procedure_service(ProcedureService.from_url("postgresql://postgres@127.0.0.1:1/none"))
    try:
        events, (message,) = run_action(ActionHandoff(), "gặp cán bộ", intent="request_human")
    finally:
        set_procedure_service(None)
    assert ConversationPaused() not in events
    assert "18001096" in message["text"] and message["text"].startswith("Xin lỗi")


def test_yes_accepts_the_offered_officer_and_no_declines(service):
    events, _ = run_action(ActionAffirm(), "có", intent="affirm", slots={"pending_offer": "handoff"})
    assert ConversationPaused() in events
    events, (message,) = run_action(ActionDeny(), "không", intent="deny", slots={"pending_offer": "handoff"})
    assert events == [SlotSet("pending_offer", None)]
    assert message["text"].startswith("Vâng. Bạn hãy hỏi lại")
    events, (message,) = run_action(ActionAffirm(), "ok", intent="affirm")
    assert events == [] and "lệ phí, thời hạn, nơi nộp" in message["text"]


def _answer_history(text, intent, action="action_answer_question"):
    return [
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
        {"event": "action", "name": action},
        {"event": "bot", "text": "Thủ tục đăng ký tạm trú (mã 1.004194) — phí, lệ phí: ..."},
    ]


def test_feedback_is_stored_with_the_question_and_the_code(service):
    history = _answer_history("dk tam tru het bao nhieu tien", "ask_fee")
    events, (message,) = run_action(
        ActionFeedback(), '/feedback{"feedback_value": "not_helpful"}', intent="feedback",
        entities=[{"entity": "feedback_value", "value": "not_helpful"}],
        slots={"procedure_code": "1.004194"}, events=history, sender_id="c9",
    )
    assert events == [SlotSet("pending_offer", "handoff")]
    assert message["buttons"] == [{"title": "Gặp cán bộ", "payload": "/request_human"}]
    run_action(ActionFeedback(), "câu trả lời này hữu ích", intent="feedback", slots={"procedure_code": "1.004194"},
               events=history, sender_id="c9")
    rows = desk_store().feedback()
    assert [(r.helpful, r.question, r.intent, r.procedure_code) for r in rows] == [
        (True, "dk tam tru het bao nhieu tien", "ask_fee", "1.004194"),
        (False, "dk tam tru het bao nhieu tien", "ask_fee", "1.004194"),
    ]
    assert desk_store().feedback(helpful=False)[0].conversation_id == "c9"


def test_answered_question_skips_later_small_talk():
    from tests.actions.helpers import make_tracker

    history = _answer_history("lam so do can gi", "ask_documents", "action_answer_documents") + [
        {"event": "user", "text": "cảm ơn", "parse_data": {"intent": {"name": "thank"}}},
        {"event": "action", "name": "utter_thank"},
    ]
    assert answered_question(make_tracker("x", events=history)) == ("lam so do can gi", "ask_documents")
    assert answered_question(make_tracker("x")) == (None, None)


@pytest.mark.parametrize(
    "text, negative",
    [("câu trả lời chưa đúng", True), ("tra loi sai roi", True), ("không hữu ích", True),
     ("hữu ích", False), ("câu trả lời tốt", False), ("đánh giá hữu ích", False)],
)
def test_typed_feedback_polarity(text, negative):
    assert is_negative(text) is negative


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "???", "\x00\x01"])
def test_fallback_for_a_message_without_words_asks_for_a_question(service, text):
    events, (message,) = run_action(ActionFallback(), text, intent="nlu_fallback")
    assert events == []
    assert message["text"].startswith("Tôi chưa nhận được câu hỏi.")


def test_fallback_rephrase_offers_examples_and_counts(service):
    events, (message,) = run_action(ActionFallback(), "cái kia thì sao nhỉ", intent="nlu_fallback")
    assert events == failure(1)
    assert message["text"].startswith("Xin lỗi, tôi chưa hiểu ý bạn.")
    assert _payload(message["buttons"][0]) == ("ask_documents", {"procedure_code": "1.001193"})


def test_overview_from_a_bare_name(service):
    events, (message,) = run_action(ActionAnswerOverview(), "làm sổ đỏ", intent="inform")
    assert events == answered("1.013978")
    assert [_payload(b)[0] for b in message["buttons"][:3]] == ["ask_documents", "ask_steps", "ask_online"]


def test_restart_says_so(service):
    from rasa_sdk.events import Restarted

    from actions.conversation_actions import ActionRestart

    events, (message,) = run_action(ActionRestart(), "/restart", intent="restart")
    assert events == [Restarted()]
    assert message["text"] == "Đã bắt đầu lại cuộc trò chuyện. Bạn cần hỏi về thủ tục nào?"


def test_restart_while_waiting_for_an_officer_withdraws_the_ticket(service):
    from rasa_sdk.events import Restarted

    from actions.conversation_actions import ActionRestart
    from actions.runtime import desk_store
    from officer_desk.store import Line

    ticket = desk_store().open_ticket("citizen-9", "rest", "requested", [Line("citizen", "gặp cán bộ")])
    events, (message,) = run_action(ActionRestart(), "/restart", intent="restart", sender_id="citizen-9")
    assert events == [Restarted()]
    assert f"Yêu cầu hỗ trợ số {ticket.id} đã được hủy." in message["text"]
    closed = desk_store().ticket(ticket.id)
    assert closed.status == "closed" and "bắt đầu lại" in closed.messages[-1].text
    assert desk_store().queue() == []
    _, (again,) = run_action(ActionRestart(), "/restart", intent="restart", sender_id="citizen-9")
    assert "đã được hủy" not in again["text"]


def test_time_answer_gives_the_expected_result_date(service, monkeypatch):
    import datetime as dt

    from actions import answers

    monkeypatch.setattr(answers, "today_in_vietnam", lambda: dt.date(2026, 2, 12))  # just before Tết Bính Ngọ
    text = answers.time_answer(service.get("1.004194"))  # 3 working days
    assert "3 ngày làm việc (nộp hôm nay thì dự kiến có kết quả ngày 24/02/2026)" in text
