"""Actions for the conversation itself: fallback, yes / no, goodbye, restart.

Texts: bot/domain/conversation.yml (and the handoff offer's answers in
bot/domain/handoff.yml).
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import buttons, dossiers
from actions.base import Events, QuestionAction, latest_text
from actions.handoff import OFFER_HANDOFF, failed, start_handoff
from actions.runtime import desk_store
from actions.threaded import ThreadedAction
from vietnamese.words import has_content

logger = logging.getLogger(__name__)
RESTART_NOTE = "(Người dân đã bắt đầu lại cuộc trò chuyện; yêu cầu tự đóng.)"

# Example questions offered when the assistant did not understand: (label, intent, procedure code).
EXAMPLES = [
    ("Đăng ký khai sinh cần giấy tờ gì?", "ask_documents", "1.001193"),
    ("Lệ phí đăng ký tạm trú", "ask_fee", "1.004194"),
]


class ActionFallback(QuestionAction):
    """Low NLU confidence, or nothing to understand: ask again, with examples."""

    def name(self) -> Text:
        return "action_fallback"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        if not has_content(latest_text(tracker)):
            dispatcher.utter_message(response="utter_ask_for_words")
            return []
        dispatcher.utter_message(
            response="utter_rephrase",
            buttons=[buttons.button(label, intent, procedure_code=code) for label, intent, code in EXAMPLES],
        )
        return failed(dispatcher, tracker)


class ActionAffirm(ThreadedAction):
    """"Có" / "đúng rồi": accepts what was offered, or just acknowledges."""

    def name(self) -> Text:
        return "action_affirm"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if tracker.get_slot("pending_offer") == OFFER_HANDOFF:
            return start_handoff(dispatcher, tracker, reason="requested")
        dispatcher.utter_message(response="utter_affirm_ask_more")
        return []


class ActionDeny(QuestionAction):
    """"Không": declines what was offered; "bỏ qua" when asked for the phone digits ends the look-up."""

    def name(self) -> Text:
        return "action_deny"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        if tracker.get_slot("pending_offer") == OFFER_HANDOFF:
            dispatcher.utter_message(response="utter_officer_declined")
            return [SlotSet("pending_offer", None)]
        dispatcher.utter_message(response="utter_ask_procedure_name")
        return []


class ActionGoodbye(ThreadedAction):
    """"Tạm biệt", "thôi nha": says goodbye and ends a dossier look-up still waiting for a code or digits."""

    def name(self) -> Text:
        return "action_goodbye"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_goodbye")
        return dossiers.end_step(tracker)


class ActionRestart(ThreadedAction):
    """`/restart`: Rasa's default restart, with a word to the citizen instead of silence."""

    def name(self) -> Text:
        return "action_restart"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        # Restarting while waiting for an officer resumes the bot, so the ticket is withdrawn.
        ticket = None
        try:
            ticket = desk_store().withdraw(tracker.sender_id, RESTART_NOTE)
        except SQLAlchemyError as exc:
            logger.error("handoff queue unavailable: %s", type(exc).__name__)
        if ticket:
            dispatcher.utter_message(response="utter_restarted_ticket_withdrawn", ticket=ticket)
        else:
            dispatcher.utter_message(response="utter_restarted")
        return [Restarted()]
