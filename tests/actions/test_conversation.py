"""Fallback and restart at the action level."""
import json

import pytest

from actions.conversation import ActionFallback
from tests.actions.helpers import failure, run_action


def _payload(button):
    intent, _, entities = button["payload"][1:].partition("{")
    return intent, json.loads("{" + entities) if entities else {}


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


def test_restart_says_so(service):
    from rasa_sdk.events import Restarted

    from actions.conversation import ActionRestart

    events, (message,) = run_action(ActionRestart(), "/restart", intent="restart")
    assert events == [Restarted()]
    assert message["text"] == "Đã bắt đầu lại cuộc trò chuyện. Bạn cần hỏi về thủ tục nào?"


def test_restart_while_waiting_for_an_officer_withdraws_the_ticket(service):
    from rasa_sdk.events import Restarted

    from actions.conversation import ActionRestart
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
