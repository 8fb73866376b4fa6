"""Helpful / not helpful: stored with the question it answered and the procedure code.

A button's value must be one of FEEDBACK_VALUES; any other value (a typed
payload with markup, a number, a list) is refused with a polite word and not
stored. Without a value, the typed words say which. Texts: bot/domain/feedback.yml.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import buttons, payloads
from actions.base import latest_text
from actions.handoff import OFFER_HANDOFF
from actions.runtime import desk_settings, desk_store
from actions.threaded import ThreadedAction
from vietnamese.folding import fold

logger = logging.getLogger(__name__)

ANSWER_ACTIONS = {"action_answer_documents", "action_answer_overview", "action_answer_question"}
FEEDBACK_VALUES = (buttons.HELPFUL, buttons.NOT_HELPFUL)
NEGATIVE_WORDS = (
    "khong huu ich", "chua huu ich", "khong dung", "chua dung", "sai", "khong chinh xac",
    "chua chinh xac", "vo ich", "khong giup", "chua giup", "te qua", "do qua",
)


def answered_question(tracker: Tracker) -> Tuple[Optional[str], Optional[str]]:
    """The user message (text, intent) that the latest procedure answer replied to."""
    answered = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "action" and event.get("name") in ANSWER_ACTIONS:
            answered = True
        elif kind == "user" and answered:
            intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
            return event.get("text"), intent
    return None, None


def is_negative(text: str) -> bool:
    folded = " " + " ".join(fold(text or "").split()) + " "
    return any(f" {phrase} " in folded for phrase in NEGATIVE_WORDS)


class ActionFeedback(ThreadedAction):
    """Helpful / not helpful, from a button's value or the typed words."""

    def name(self) -> Text:
        return "action_feedback"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        given = payloads.texts(tracker, "feedback_value")
        if given.given:
            if given.malformed or len(given.texts) != 1 or given.texts[0] not in FEEDBACK_VALUES:
                dispatcher.utter_message(response="utter_feedback_refused")
                return []
            helpful = given.texts[0] == buttons.HELPFUL
        else:
            helpful = not is_negative(latest_text(tracker))
        question, intent = answered_question(tracker)
        try:
            desk_store().record_feedback(
                conversation_id=tracker.sender_id,
                helpful=helpful,
                question=question,
                intent=intent,
                procedure_code=payloads.slot_text(tracker, "procedure_code"),
                channel=tracker.get_latest_input_channel(),
            )
        except SQLAlchemyError as exc:  # the citizen is told, not thanked for what was lost
            logger.error("feedback not stored: %s", type(exc).__name__)
            dispatcher.utter_message(response="utter_feedback_not_recorded", hotline=desk_settings().hotline)
            return []
        if helpful:
            dispatcher.utter_message(response="utter_feedback_thanks")
            return []
        dispatcher.utter_message(response="utter_feedback_noted", buttons=[buttons.officer_button()])
        return [SlotSet("pending_offer", OFFER_HANDOFF)]
