"""Helpful / not helpful, stored with the question and the procedure code."""
import pytest
from rasa_sdk.events import SlotSet

from actions.feedback import ActionFeedback, answered_question, is_negative
from actions.runtime import desk_store
from tests.actions.helpers import run_action


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


@pytest.mark.parametrize("value", ["<img src=x onerror=alert(1)>", "HELPFUL", 1, True, ["helpful", "not_helpful"],
                                   {"v": "helpful"}, None])
def test_a_value_outside_the_buttons_is_refused_and_not_stored(service, value):
    values = value if isinstance(value, list) else [value]
    events, (message,) = run_action(
        ActionFeedback(), f'/feedback{{"feedback_value": {value!r}}}', intent="feedback",
        entities=[{"entity": "feedback_value", "value": v} for v in values],
        slots={"procedure_code": "1.004194"}, events=_answer_history("dk tam tru", "ask_fee"), sender_id="c10",
    )
    assert events == []
    assert message["text"] == (
        'Xin lỗi, tôi chưa ghi nhận được đánh giá này. Bạn hãy bấm nút "Hữu ích" hoặc "Chưa hữu ích" '
        "dưới câu trả lời, hoặc nhắn nhận xét của bạn."
    )
    assert desk_store().feedback() == []


@pytest.mark.parametrize("value", ["helpful", "not_helpful"])
def test_feedback_that_cannot_be_stored_is_not_thanked(service, monkeypatch, value):
    from sqlalchemy.exc import OperationalError

    from actions import feedback

    class Down:
        def record_feedback(self, **kwargs):
            raise OperationalError("INSERT ...", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr(feedback, "desk_store", lambda: Down())
    events, (message,) = run_action(
        ActionFeedback(), f'/feedback{{"feedback_value": "{value}"}}', intent="feedback",
        entities=[{"entity": "feedback_value", "value": value}], events=_answer_history("x", "ask_fee"),
    )
    assert message["response"] == "utter_feedback_not_recorded" and message["hotline"]
    assert events == []
