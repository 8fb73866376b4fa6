"""The dossier look-up in the conversation: ask for the code, then for the digits.

The `dossier_step` slot says what the assistant asked for ("dossier_code",
"phone_digits"); `dossier_code` holds the code being looked at. Any other
question in between is answered as usual and leaves both alone, so a code or
four digits later picks the look-up up again.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from dossiers import service as outcomes
from dossiers import texts
from dossiers.codes import find_codes, looks_like_code
from actions.runtime import dossier_service

WAITING_CODE = "dossier_code"
WAITING_DIGITS = "phone_digits"
SKIP_WORDS = {"bo qua", "khong can", "thoi", "khong", "skip"}


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    return next(tracker.get_latest_entity_values(name), None)


def wants_dossier_turn(tracker: Tracker) -> bool:
    """Whether this message continues or starts a dossier look-up."""
    latest = tracker.latest_message or {}
    text = latest.get("text") or ""
    kinds = {e.get("entity") for e in latest.get("entities") or []}
    if "dossier_code" in kinds:
        return True
    waiting = tracker.get_slot("dossier_step")
    if waiting == WAITING_DIGITS and ("phone_last_digits" in kinds or _skip(text)):
        return True
    return waiting == WAITING_CODE and looks_like_code(text)


def _skip(text: str) -> bool:
    from vietnamese.folding import fold

    return " ".join(fold(text or "").split()) in SKIP_WORDS


def dossier_turn(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    service = dossier_service()
    text = (tracker.latest_message or {}).get("text") or ""
    code = _entity(tracker, "dossier_code")
    if code is None:
        found = find_codes(text)
        code = found[0].value if found else None
    waiting = tracker.get_slot("dossier_step")
    current = tracker.get_slot("dossier_code")

    if code is None and waiting == WAITING_DIGITS and current:
        if _skip(text):
            dispatcher.utter_message(text="Vâng. Bạn cần tra cứu hồ sơ khác hay hỏi thủ tục nào cứ nhắn cho tôi.")
            return [SlotSet("dossier_step", None)]
        digits = _entity(tracker, "phone_last_digits") or text
        outcome = service.verify(current, digits, tracker.sender_id)
        dispatcher.utter_message(text=outcome.text)
        if outcome.kind == outcomes.WRONG_DIGITS:
            return [SlotSet("dossier_step", WAITING_DIGITS)]
        return [SlotSet("dossier_step", None)]

    outcome = service.look_up(code or text)
    dispatcher.utter_message(text=outcome.text)
    if outcome.kind == outcomes.FOUND:
        dispatcher.utter_message(text=texts.ASK_DIGITS)
        return [SlotSet("dossier_code", outcome.code), SlotSet("dossier_step", WAITING_DIGITS)]
    if outcome.kind in (outcomes.NO_CODE, outcomes.MALFORMED):
        return [SlotSet("dossier_step", WAITING_CODE)]
    return [SlotSet("dossier_step", None)]


class ActionDossierStatus(Action):
    """`check_dossier_status`, or a code / digits given when asked."""

    def name(self) -> Text:
        return "action_dossier_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return dossier_turn(dispatcher, tracker)
