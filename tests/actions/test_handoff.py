"""Failures that offer an officer, the handoff itself, and yes / no to the offer."""
from rasa_sdk.events import ActionExecuted, ConversationPaused, SlotSet

from actions import runtime
from actions.conversation import ActionAffirm, ActionDeny, ActionFallback
from actions.handoff import ActionHandoff
from actions.procedures import ActionAnswerDocuments
from actions.runtime import desk_store, set_procedure_service
from officer_desk.models import AUTHOR_BOT, AUTHOR_CITIZEN
from procedures_kb.service import ProcedureService
from settings import Settings
from tests.actions.helpers import run_action

PAUSED = [SlotSet("failures", 0), SlotSet("pending_offer", None), ConversationPaused(), ActionExecuted("action_listen")]


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
