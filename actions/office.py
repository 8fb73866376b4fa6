"""The one-stop desk itself: its hours and address, complaints about it, and messages in English.

- `action_office_info`: the desk's hours (OFFICE_HOURS), whether it is open
  now, at lunch, closed for the weekend or a holiday, and when it opens next
  (officer_desk.office_hours over the working calendar), its address
  (OFFICE_ADDRESS) and the hotline.
- `action_complain`: acknowledges a complaint, records it for officers with
  the conversation (the desk's feedback records, intent "complain", numbers
  hidden), says how to file a formal phản ánh, kiến nghị, offers an officer.
- `action_non_vietnamese`: a short English reply (what the assistant does,
  that it answers in Vietnamese, the hotline) with an officer button.
Texts: bot/domain/office.yml.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Dict, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import buttons, payloads
from actions.base import Events, latest_text
from actions.handoff import OFFER_HANDOFF
from actions.runtime import desk_settings, desk_store, working_calendar
from actions.threaded import ThreadedAction
from officer_desk.office_hours import OfficeSchedule, describe, parse_sessions

logger = logging.getLogger(__name__)

ADDRESS_UNSET = (
    "Nơi nộp hồ sơ tùy thủ tục: bộ phận một cửa của UBND xã, phường hoặc Trung tâm phục vụ hành chính công "
    "của tỉnh; câu trả lời về từng thủ tục có ghi nơi nộp."
)
ONLINE = "Nhiều thủ tục nộp trực tuyến được cả ngày trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)."


def office_schedule() -> OfficeSchedule:
    calendar = working_calendar()
    return OfficeSchedule(parse_sessions(desk_settings().office_sessions), calendar.is_working_day,
                          calendar.holiday_name)


def office_info_text(now: Optional[dt.datetime] = None) -> str:
    """The reply to "giờ làm việc / địa chỉ / hotline / còn mở cửa không" at `now` (Vietnam time by default)."""
    settings = desk_settings()
    lines = [f"Giờ làm việc của bộ phận một cửa: {settings.office_hours}.", describe(office_schedule().status(now))]
    lines.append(f"Địa chỉ: {settings.office_address}." if settings.office_address else ADDRESS_UNSET)
    lines.append(f"Tổng đài hỗ trợ: {settings.hotline}. {ONLINE}")
    return "\n".join(lines)


class ActionOfficeInfo(ThreadedAction):
    def name(self) -> Text:
        return "action_office_info"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        dispatcher.utter_message(text=office_info_text(), buttons=[buttons.officer_button()])
        return []


def record_complaint(tracker: Tracker) -> bool:
    """Store the complaint for officers (feedback record, intent "complain"); False if the store is down."""
    try:
        desk_store().record_feedback(
            conversation_id=tracker.sender_id, helpful=False, question=latest_text(tracker), intent="complain",
            procedure_code=payloads.slot_text(tracker, "procedure_code"), channel=tracker.get_latest_input_channel(),
        )
    except SQLAlchemyError as exc:
        logger.error("complaint not stored: %s", type(exc).__name__)
        return False
    return True


class ActionComplain(ThreadedAction):
    def name(self) -> Text:
        return "action_complain"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        hotline = desk_settings().hotline
        if record_complaint(tracker):
            dispatcher.utter_message(response="utter_complain_received")
        else:
            dispatcher.utter_message(response="utter_feedback_not_recorded", hotline=hotline)
        dispatcher.utter_message(response="utter_complain_how_to", hotline=hotline, buttons=[buttons.officer_button()])
        return [SlotSet("pending_offer", OFFER_HANDOFF)]


class ActionNonVietnamese(ThreadedAction):
    def name(self) -> Text:
        return "action_non_vietnamese"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        dispatcher.utter_message(response="utter_non_vietnamese", hotline=desk_settings().hotline,
                                 buttons=[buttons.officer_button()])
        return [SlotSet("pending_offer", OFFER_HANDOFF)]
