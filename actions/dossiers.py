"""The dossier look-up in the conversation: ask for the code, then for the digits.

The `dossier_step` slot says what the assistant asked for ("dossier_code",
"phone_digits"); `dossier_code` holds the code being looked at. Any other
question in between is answered as usual and leaves both alone, so a code or
four digits later picks the look-up up again: `actions.base.QuestionAction`
asks `continues_look_up` before answering anything else.

The dossier service says what happened (`dossiers.service.Outcome`); `say`
sends it: the text built from the dossier's data, or the domain response
for the outcome's kind (bot/domain/dossiers.yml) filled with its params.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.runtime import dossier_service
from dossiers import service as outcomes
from dossiers.codes import find_codes, looks_like_code
from vietnamese.folding import fold

WAITING_CODE = "dossier_code"
WAITING_DIGITS = "phone_digits"
SKIP_WORDS = {"bo qua", "khong can", "thoi", "khong", "skip"}
# A message naming a procedure is a procedure question, whatever else it holds.
PROCEDURE_ENTITIES = {"procedure", "procedure_code"}


def _latest(tracker: Tracker):
    latest = tracker.latest_message or {}
    kinds = {e.get("entity") for e in latest.get("entities") or []}
    return latest.get("text") or "", kinds


def _entity(tracker: Tracker, name: str):
    return next(tracker.get_latest_entity_values(name), None)


def _skip(text: str) -> bool:
    return " ".join(fold(text or "").split()) in SKIP_WORDS


def continues_look_up(tracker: Tracker) -> bool:
    """Whether this message continues or starts a dossier look-up.

    True for a dossier code (entity), for the digits or "bỏ qua" when the
    assistant asked for the digits, and for something shaped like a code when
    it asked for the code; never for a message naming a procedure.
    """
    text, kinds = _latest(tracker)
    if kinds & PROCEDURE_ENTITIES:
        return False
    if "dossier_code" in kinds:
        return True
    waiting = tracker.get_slot("dossier_step")
    if waiting == WAITING_DIGITS and ("phone_last_digits" in kinds or _skip(text)):
        return True
    return waiting == WAITING_CODE and looks_like_code(text)


# The domain response of each outcome that carries no text of its own (bot/domain/dossiers.yml).
RESPONSES = {
    outcomes.NO_CODE: "utter_dossier_ask_code",
    outcomes.MALFORMED: "utter_dossier_code_malformed",
    outcomes.NOT_FOUND: "utter_dossier_not_found",
    outcomes.UNAVAILABLE: "utter_dossier_unavailable",
    outcomes.DIGITS_FORMAT: "utter_dossier_digits_format",
    outcomes.WRONG_DIGITS: "utter_dossier_wrong_digits",
    outcomes.LOCKED: "utter_dossier_locked",
}


def say(dispatcher: CollectingDispatcher, outcome: outcomes.Outcome) -> None:
    """Send `outcome` to the citizen; ValueError for a kind without text or response."""
    if outcome.text is not None:
        dispatcher.utter_message(text=outcome.text)
        return
    response = RESPONSES.get(outcome.kind)
    if response is None:
        raise ValueError(f"no reply for dossier outcome {outcome.kind!r}")
    dispatcher.utter_message(response=response, **outcome.params)


def dossier_turn(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """One step of the look-up: verify the digits asked for, or look the code up (or ask for it)."""
    service = dossier_service()
    text, _ = _latest(tracker)
    code = _entity(tracker, "dossier_code")
    if code is None:
        found = find_codes(text)
        code = found[0].value if found else None
    waiting = tracker.get_slot("dossier_step")
    current = tracker.get_slot("dossier_code")

    if code is None and waiting == WAITING_DIGITS and current:
        if _skip(text):
            dispatcher.utter_message(response="utter_dossier_skipped")
            return [SlotSet("dossier_step", None)]
        digits = _entity(tracker, "phone_last_digits") or text
        outcome = service.verify(current, digits, tracker.sender_id)
        say(dispatcher, outcome)
        if outcome.kind in (outcomes.DIGITS_FORMAT, outcomes.WRONG_DIGITS):
            return [SlotSet("dossier_step", WAITING_DIGITS)]
        return [SlotSet("dossier_step", None)]

    outcome = service.look_up(code or text)
    say(dispatcher, outcome)
    if outcome.kind == outcomes.FOUND:
        dispatcher.utter_message(response="utter_ask_phone_digits")
        return [SlotSet("dossier_code", outcome.code), SlotSet("dossier_step", WAITING_DIGITS)]
    if outcome.kind in (outcomes.NO_CODE, outcomes.MALFORMED):
        return [SlotSet("dossier_step", WAITING_CODE)]
    return [SlotSet("dossier_step", None)]


class ActionDossierStatus(Action):
    """`check_dossier_status`: the look-up itself, whatever step it is at."""

    def name(self) -> Text:
        return "action_dossier_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return dossier_turn(dispatcher, tracker)
