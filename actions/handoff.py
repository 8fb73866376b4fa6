"""Handing over to an officer, and the failure count that leads to it.

Two slots carry the bookkeeping (neither influences the policies):
- `failures`: how many times in a row the assistant could not help;
- `pending_offer`: what the last reply proposed ("handoff"), so that a bare
  "có" / "không" answers it.
Texts: bot/domain/handoff.yml (`{hotline}`, `{office_hours}`, `{ticket}` are
filled by Rasa from the values passed here).
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import buttons, payloads
from actions.runtime import desk_settings, desk_store
from actions.threaded import ThreadedAction
from officer_desk.store import transcript_lines

logger = logging.getLogger(__name__)

OFFER_HANDOFF = "handoff"
# The second failure in a row offers an officer; the third hands over.
OFFER_AFTER = 2
HANDOFF_AFTER = 3


def failure_count(tracker: Tracker) -> int:
    try:
        return int(tracker.get_slot("failures") or 0)
    except (TypeError, ValueError):
        return 0


def succeeded() -> List[Dict[Text, Any]]:
    return [SlotSet("failures", 0), SlotSet("pending_offer", None)]


def failed(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """Count one more failure; offer an officer, or hand over, when they repeat."""
    count = failure_count(tracker) + 1
    if count >= HANDOFF_AFTER:
        return start_handoff(dispatcher, tracker, reason="repeated_failure")
    if count >= OFFER_AFTER:
        dispatcher.utter_message(
            response="utter_offer_officer",
            buttons=[buttons.officer_button(), buttons.button("Hỏi lại", "deny")],
        )
        return [SlotSet("failures", count), SlotSet("pending_offer", OFFER_HANDOFF)]
    return [SlotSet("failures", count), SlotSet("pending_offer", None)]


def start_handoff(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> List[Dict[Text, Any]]:
    """Queue the conversation with its transcript for an officer and pause the bot."""
    settings = desk_settings()
    try:
        ticket = desk_store().open_ticket(
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "rest",
            reason=reason,
            transcript=transcript_lines(tracker.events),
            procedure_code=payloads.slot_text(tracker, "procedure_code"),
        )
    except SQLAlchemyError as exc:
        logger.error("handoff queue unavailable: %s", type(exc).__name__)
        dispatcher.utter_message(
            response="utter_handoff_unavailable", hotline=settings.hotline, office_hours=settings.office_hours
        )
        return succeeded()
    dispatcher.utter_message(
        response="utter_handoff_started",
        ticket=ticket.id, hotline=settings.hotline, office_hours=settings.office_hours,
    )
    # Paused, Rasa predicts nothing more, so no action_listen would be logged; without it the
    # default rule for /restart (which needs the bot to be listening) could not apply later.
    return succeeded() + [ConversationPaused(), ActionExecuted("action_listen")]


class ActionHandoff(ThreadedAction):
    """The citizen asks for a person."""

    def name(self) -> Text:
        return "action_handoff"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return start_handoff(dispatcher, tracker, reason="requested")
