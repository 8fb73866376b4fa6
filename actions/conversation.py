"""Conversation bookkeeping shared by the actions: failures, offers, handoff.

Two slots carry it (neither influences the policies):
- `failures`: how many times in a row the assistant could not help;
- `pending_offer`: what the last reply proposed ("handoff"), so that a bare
  "có" / "không" answers it.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import buttons
from actions.runtime import desk_settings, desk_store
from officer_desk.store import transcript_lines

logger = logging.getLogger(__name__)

OFFER_HANDOFF = "handoff"
# The second failure in a row offers an officer; the third hands over.
OFFER_AFTER = 2
HANDOFF_AFTER = 3


def latest_intent(tracker: Tracker) -> Optional[str]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


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
            text="Có vẻ tôi chưa giúp được bạn. Bạn có muốn chuyển sang cán bộ hỗ trợ không?",
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
            procedure_code=tracker.get_slot("procedure_code"),
        )
    except SQLAlchemyError as exc:
        logger.error("handoff queue unavailable: %s", type(exc).__name__)
        dispatcher.utter_message(
            text=(
                "Xin lỗi, hiện tôi chưa chuyển được cuộc trò chuyện cho cán bộ. "
                f"Bạn vui lòng gọi tổng đài {settings.hotline} ({settings.office_hours})."
            )
        )
        return [SlotSet("failures", 0), SlotSet("pending_offer", None)]
    dispatcher.utter_message(
        text=(
            f"Tôi đã chuyển cuộc trò chuyện cho cán bộ (yêu cầu hỗ trợ số {ticket.id}). "
            f"Cán bộ sẽ trả lời ngay tại đây trong giờ làm việc: {settings.office_hours}. "
            f"Nếu cần gấp, bạn gọi tổng đài {settings.hotline}."
        )
    )
    # Paused, Rasa predicts nothing more, so no action_listen would be logged; without it the
    # default rule for /restart (which needs the bot to be listening) could not apply later.
    return [SlotSet("failures", 0), SlotSet("pending_offer", None), ConversationPaused(), ActionExecuted("action_listen")]
