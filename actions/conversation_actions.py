"""Actions for the conversation itself: fallback, yes/no, handoff, feedback."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import buttons
from actions.conversation import OFFER_HANDOFF, failed, start_handoff
from actions.dossier_actions import dossier_turn, wants_dossier_turn
from actions.runtime import desk_store
from vietnamese.folding import fold
from vietnamese.words import has_content

logger = logging.getLogger(__name__)
RESTART_NOTE = "(Người dân đã bắt đầu lại cuộc trò chuyện; yêu cầu tự đóng.)"

ANSWER_ACTIONS = {"action_answer_documents", "action_answer_overview", "action_answer_question"}
NEGATIVE_WORDS = (
    "khong huu ich", "chua huu ich", "khong dung", "chua dung", "sai", "khong chinh xac",
    "chua chinh xac", "vo ich", "khong giup", "chua giup", "te qua", "do qua",
)
EXAMPLES = [
    ("Đăng ký khai sinh cần giấy tờ gì?", "ask_documents", "1.001193"),
    ("Lệ phí đăng ký tạm trú", "ask_fee", "1.004194"),
]


class ActionFallback(Action):
    """Low NLU confidence, or nothing to understand: ask again, with examples."""

    def name(self) -> Text:
        return "action_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = (tracker.latest_message or {}).get("text")
        if wants_dossier_turn(tracker):
            return dossier_turn(dispatcher, tracker)
        if not has_content(text):
            dispatcher.utter_message(
                text="Tôi chưa nhận được câu hỏi. Bạn hãy gõ câu hỏi bằng chữ, ví dụ: \"đăng ký khai sinh cần giấy tờ gì\"."
            )
            return []
        dispatcher.utter_message(
            text=(
                "Xin lỗi, tôi chưa hiểu ý bạn. Tôi trả lời về thủ tục hành chính: giấy tờ, lệ phí, thời hạn, "
                "nơi nộp. Bạn có thể hỏi lại, ví dụ:"
            ),
            buttons=[buttons.button(label, intent, procedure_code=code) for label, intent, code in EXAMPLES],
        )
        return failed(dispatcher, tracker)


class ActionHandoff(Action):
    """The citizen asks for a person."""

    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return start_handoff(dispatcher, tracker, reason="requested")


class ActionAffirm(Action):
    """"Có" / "đúng rồi": accepts what was offered, or just acknowledges."""

    def name(self) -> Text:
        return "action_affirm"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if tracker.get_slot("pending_offer") == OFFER_HANDOFF:
            return start_handoff(dispatcher, tracker, reason="requested")
        dispatcher.utter_message(
            text="Vâng. Bạn cần hỏi gì thêm về thủ tục này không? Ví dụ: lệ phí, thời hạn, nơi nộp."
        )
        return []


class ActionDeny(Action):
    def name(self) -> Text:
        return "action_deny"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if wants_dossier_turn(tracker):  # "bỏ qua" when asked for the phone digits
            return dossier_turn(dispatcher, tracker)
        if tracker.get_slot("pending_offer") == OFFER_HANDOFF:
            dispatcher.utter_message(
                text="Vâng. Bạn hãy hỏi lại và ghi rõ tên thủ tục, ví dụ \"đăng ký kết hôn cần giấy tờ gì\"."
            )
            return [SlotSet("pending_offer", None)]
        dispatcher.utter_message(
            text="Vâng. Bạn hãy cho tôi biết tên thủ tục bạn cần hỏi, ví dụ \"đăng ký tạm trú\"."
        )
        return []


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


class ActionFeedback(Action):
    """Helpful / not helpful, stored with the question and the procedure code."""

    def name(self) -> Text:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        value = next(tracker.get_latest_entity_values("feedback_value"), None)
        if value in (buttons.HELPFUL, buttons.NOT_HELPFUL):
            helpful = value == buttons.HELPFUL
        else:
            helpful = not is_negative((tracker.latest_message or {}).get("text") or "")
        question, intent = answered_question(tracker)
        try:
            desk_store().record_feedback(
                conversation_id=tracker.sender_id,
                helpful=helpful,
                question=question,
                intent=intent,
                procedure_code=tracker.get_slot("procedure_code"),
                channel=tracker.get_latest_input_channel(),
            )
        except SQLAlchemyError as exc:
            logger.error("feedback not stored: %s", type(exc).__name__)
        if helpful:
            dispatcher.utter_message(text="Cảm ơn bạn đã đánh giá! Bạn cần hỏi thêm gì cứ nhắn cho tôi.")
            return []
        dispatcher.utter_message(
            text=(
                "Cảm ơn bạn đã góp ý, cán bộ sẽ xem lại câu trả lời này. Bạn có thể hỏi lại cụ thể hơn "
                "(ghi rõ tên thủ tục và điều cần biết), hoặc chuyển sang cán bộ hỗ trợ."
            ),
            buttons=[buttons.officer_button()],
        )
        return [SlotSet("pending_offer", OFFER_HANDOFF)]


class ActionRestart(Action):
    """`/restart`: Rasa's default restart, with a word to the citizen instead of silence."""

    def name(self) -> Text:
        return "action_restart"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        # Restarting while waiting for an officer resumes the bot, so the ticket is withdrawn.
        ticket = None
        try:
            ticket = desk_store().withdraw(tracker.sender_id, RESTART_NOTE)
        except SQLAlchemyError as exc:
            logger.error("handoff queue unavailable: %s", type(exc).__name__)
        withdrawn = f" Yêu cầu hỗ trợ số {ticket} đã được hủy." if ticket else ""
        dispatcher.utter_message(text=f"Đã bắt đầu lại cuộc trò chuyện.{withdrawn} Bạn cần hỏi về thủ tục nào?")
        return [Restarted()]
