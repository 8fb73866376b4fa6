"""The dossier look-up in the conversation: ask for the code, then for the digits.

Three slots carry the step: `dossier_step` says what the assistant asked for
("dossier_code", "phone_digits"), `dossier_code` the code being looked at,
`dossier_step_since` when it asked (Unix seconds). A step is *pending* only
while it is fresh: for STEP_TTL after it was asked, and never across a new
session (Rasa carries slots over into a new session; a `session_started`
event after the step began ends it). A pending step ends with "thôi",
"bỏ qua", "hủy" (SKIP_WORDS), with any other question
(`actions.base.QuestionAction` clears it), with a goodbye, and when the
look-up is done. Digits without a pending step are never a verification
attempt: bare digits after a step ran out get "give the code again".

Values come through `actions.payloads`: a number, list or object where text
is expected gets a polite reply and is never counted; several codes in one
message get a question with one button per code.

Every look-up is counted for its source (`dossiers.limits.Source`): the
conversation, and the client when the channel names it in the message's
metadata. The dossier service says what happened
(`dossiers.service.Outcome`); `say` sends it: the text built from the
dossier's data, or the domain response for the outcome's kind
(bot/domain/dossiers.yml) filled with its params.
"""
from __future__ import annotations

import math
import re
import time
import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import buttons, payloads
from actions.runtime import dossier_service
from actions.threaded import ThreadedAction
from dossiers import service as outcomes
from dossiers.codes import find_codes, looks_like_code, parse_code
from dossiers.limits import Source
from procedures_kb.resolve import PROCEDURE_CODE_RE
from vietnamese.folding import fold

WAITING_CODE = "dossier_code"
WAITING_DIGITS = "phone_digits"
STEP_TTL_S = 600.0
# After too many wrong digits (LOCKED) or the code's daily ceiling (GUARDED_CODE) the step becomes
# REFUSED for as long as the lock lasts: digits typed then are answered with the reason, never
# counted and never taken for an unclear question (which would lead to an officer with the guesses).
REFUSED = "refused"  # this conversation's wrong digits (LOCKED)
GUARDED = "guarded"  # everyone's wrong digits for the code today (GUARDED_CODE): desk or hotline only
REFUSED_TTL_S = outcomes.WINDOW.total_seconds()
CLOCK_SKEW_S = 60.0  # the Rasa server's and the action server's clocks may differ a little
SKIP_WORDS = {
    "bo qua", "khong can", "thoi", "khong", "skip", "huy", "huy bo", "cancel", "dung lai", "thoi khong can",
    "thoi bo qua", "khong tra nua", "thoi khoi", "khoi", "ket thuc",
}
# A message naming a procedure is a procedure question, whatever else it holds.
PROCEDURE_ENTITIES = {"procedure", "procedure_code"}
MAX_CODE_BUTTONS = 5

Events = List[Dict[Text, Any]]


def now() -> float:
    """Unix seconds (tests replace it)."""
    return time.time()


def _latest(tracker: Tracker):
    latest = tracker.latest_message or {}
    text = latest.get("text")
    entities = latest.get("entities")
    kinds = {e.get("entity") for e in entities if isinstance(e, dict)} if isinstance(entities, list) else set()
    return (text if isinstance(text, str) else ""), kinds


def _skip(text: str) -> bool:
    return " ".join(fold(text or "").split()) in SKIP_WORDS


def _only_digits(text: str) -> bool:
    """A message of digits alone (any script), as a reply to "the last 4 digits" is."""
    stripped = "".join((text or "").split())
    return bool(stripped) and len(stripped) <= 12 and all(ch.isdecimal() for ch in stripped)


# A whole Vietnamese phone number, perhaps grouped by spaces, dots or hyphens, never part of a code: 0 or
# +84 / 84, then a mobile number (3, 5, 7, 8 or 9 and 8 digits) or a landline (2 and 9 digits). A CCCD
# (12 digits), an old CMND (9) or other runs of digits are not phone numbers: their last four digits are
# never taken for a verification attempt.
_PHONE = re.compile(
    r"(?<![\w.\-+])(?:\+?84|0)[ .\-]?(?:[35789](?:[ .\-]?\d){8}|2(?:[ .\-]?\d){9})(?![ .\-]?\d)(?!\w)"
)


# A long number or a date in a message answering "the last 4 digits": not the digits (asked again).
_OTHER_NUMBER = re.compile(r"\d{5,}|\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b")


def _phone_tail(text: str) -> Optional[str]:
    """The last four digits (ASCII) of the one phone number in `text` ("sđt của tôi là 0987 650 228"),
    or None when it has none or several."""
    numbers = _PHONE.findall(text or "")
    if len(numbers) != 1:
        return None
    digits = [str(unicodedata.digit(ch)) for ch in numbers[0] if ch.isdecimal()]
    return "".join(digits[-4:])


def _digits_reply(text: str, kinds: set) -> bool:
    """Whether the message answers "the last 4 digits": tagged digits, digits alone or a phone number."""
    return "phone_last_digits" in kinds or _only_digits(text) or _phone_tail(text) is not None


def _session_started_since(tracker: Tracker, since: float) -> bool:
    for event in reversed(tracker.events or []):
        if isinstance(event, dict) and event.get("event") == "session_started":
            stamp = event.get("timestamp")
            return isinstance(stamp, (int, float)) and stamp > since
    return False


def pending_step(tracker: Tracker) -> Optional[str]:
    """WAITING_CODE or WAITING_DIGITS while the step is pending and fresh; None otherwise."""
    step = payloads.slot_text(tracker, "dossier_step")
    if step not in (WAITING_CODE, WAITING_DIGITS):
        return None
    since = payloads.slot_number(tracker, "dossier_step_since")
    if since is None:
        return None
    if not since - CLOCK_SKEW_S <= now() <= since + STEP_TTL_S or _session_started_since(tracker, since):
        return None
    if step == WAITING_DIGITS and not payloads.slot_text(tracker, "dossier_code"):
        return None
    return step


def refused_minutes_left(tracker: Tracker) -> Optional[int]:
    """Minutes the details of the conversation's code stay refused (REFUSED or GUARDED step), or None
    when no refusal is live."""
    if payloads.slot_text(tracker, "dossier_step") not in (REFUSED, GUARDED):
        return None
    since = payloads.slot_number(tracker, "dossier_step_since")
    if since is None or _session_started_since(tracker, since):
        return None
    moment = now()
    if not since - CLOCK_SKEW_S <= moment < since + REFUSED_TTL_S:
        return None
    return max(1, math.ceil((since + REFUSED_TTL_S - moment) / 60))


def _has_step(tracker: Tracker) -> bool:
    return tracker.get_slot("dossier_step") is not None or tracker.get_slot("dossier_step_since") is not None


def end_step(tracker: Tracker) -> Events:
    """The events that end a pending (or stale) step; none when there is no step."""
    return _clear() if _has_step(tracker) else []


def _clear() -> Events:
    return [SlotSet("dossier_step", None), SlotSet("dossier_step_since", None)]


def _ask(step: str) -> Events:
    return [SlotSet("dossier_step", step), SlotSet("dossier_step_since", now())]


def continues_look_up(tracker: Tracker) -> bool:
    """Whether this message continues or starts a dossier look-up.

    True for a dossier code; for the digits or "thôi" / "bỏ qua" while the
    assistant waits for the digits, for "thôi" or something shaped like a code
    while it waits for the code; for bare digits or "thôi" after a step ran
    out (to say so). Never for a message naming a procedure.
    """
    text, kinds = _latest(tracker)
    step = pending_step(tracker)
    if (step == WAITING_DIGITS or (step is None and _has_step(tracker))) and _phone_tail(text) is not None:
        return True  # a phone number given for the digits, whatever else the sentence seems to name
    if step == WAITING_DIGITS and _OTHER_NUMBER.search(text or ""):
        return True  # "số căn cước của tôi là 0012...", a date: asked again for the 4 digits, never counted
    if kinds & PROCEDURE_ENTITIES:
        return False
    if "dossier_code" in kinds:
        return True
    if step is None:
        return _has_step(tracker) and (_digits_reply(text, kinds) or _skip(text))
    if _skip(text):
        return True
    if step == WAITING_DIGITS:
        return "phone_last_digits" in kinds or _only_digits(text)
    return looks_like_code(text)


# The domain response of each outcome that carries no text of its own (bot/domain/dossiers.yml).
RESPONSES = {
    outcomes.NO_CODE: "utter_dossier_ask_code",
    outcomes.MALFORMED: "utter_dossier_code_malformed",
    outcomes.NOT_FOUND: "utter_dossier_not_found",
    outcomes.UNAVAILABLE: "utter_dossier_unavailable",
    outcomes.DIGITS_FORMAT: "utter_dossier_digits_format",
    outcomes.WRONG_DIGITS: "utter_dossier_wrong_digits",
    outcomes.LOCKED: "utter_dossier_locked",
    outcomes.GUARDED_CODE: "utter_dossier_guarded",
    outcomes.TOO_MANY: "utter_dossier_too_many",
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


def source_of(tracker: Tracker) -> Source:
    """Who asks: this conversation, and the client the channel names (message metadata), if any."""
    return Source(str(tracker.sender_id or ""), payloads.client(tracker))


def _codes(tracker: Tracker, text: str) -> Optional[payloads.Values]:
    """The codes the message gives, canonical: from the entities, else found in the text; None when none."""
    given = payloads.texts(tracker, "dossier_code")
    if given.malformed:
        return given
    candidates = list(given.texts) or [code.value for code in find_codes(text)]
    if not candidates:
        return None
    canonical: List[str] = []
    for value in candidates:
        code = parse_code(value)
        if code is not None and code.value not in canonical:
            canonical.append(code.value)
    return payloads.Values(tuple(canonical), malformed=not canonical)


def dossier_turn(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """One step of the look-up: verify the digits asked for, look the code up, or ask for it."""
    text, kinds = _latest(tracker)
    codes = _codes(tracker, text)
    step = pending_step(tracker)
    if codes is not None:
        return _look_up(dispatcher, tracker, codes)
    minutes = refused_minutes_left(tracker)
    if minutes is not None and not _skip(text) and _digits_reply(text, kinds):
        if payloads.slot_text(tracker, "dossier_step") == GUARDED:
            dispatcher.utter_message(response="utter_dossier_guarded", hotline=dossier_service().hotline)
        else:
            dispatcher.utter_message(response="utter_dossier_still_locked", minutes=minutes,
                                     code=payloads.slot_text(tracker, "dossier_code") or "")
        return []  # the refusal stands; nothing counted
    if step is None and _has_step(tracker) and (_digits_reply(text, kinds) or _skip(text)):
        dispatcher.utter_message(response="utter_dossier_skipped" if _skip(text) else "utter_dossier_step_expired")
        return _clear()
    if step is not None and _skip(text):
        dispatcher.utter_message(response="utter_dossier_skipped")
        return _clear()
    if step == WAITING_DIGITS:
        return _verify(dispatcher, tracker, text)
    return _say_look_up(dispatcher, tracker, dossier_service().look_up(text, source_of(tracker)))


def _look_up(dispatcher: CollectingDispatcher, tracker: Tracker, codes: payloads.Values) -> Events:
    if codes.malformed:
        dispatcher.utter_message(response="utter_dossier_code_malformed", example=outcomes.EXAMPLE)
        return _ask(WAITING_CODE)
    if len(codes.texts) > 1:
        choices = [buttons.button(code, "check_dossier_status", dossier_code=code)
                   for code in codes.texts[:MAX_CODE_BUTTONS]]
        dispatcher.utter_message(response="utter_dossier_which_code", buttons=choices)
        return _ask(WAITING_CODE)
    return _say_look_up(dispatcher, tracker, dossier_service().look_up(codes.texts[0], source_of(tracker)))


def _say_look_up(dispatcher: CollectingDispatcher, tracker: Tracker, outcome: outcomes.Outcome) -> Events:
    say(dispatcher, outcome)
    if outcome.kind == outcomes.FOUND:
        # A follow-up ("cần bổ sung gì vậy") is about this dossier's procedure.
        found = [SlotSet("dossier_code", outcome.code), SlotSet("dossier_note", None),
                 SlotSet("dossier_status", getattr(outcome.status, "status", None))] + _procedure_of(outcome)
        refused = dossier_service().details_refused(outcome.code, source_of(tracker))
        if refused is not None:  # locked out of the details: say so rather than ask for digits again
            say(dispatcher, refused)
            return found + _ask(REFUSED if refused.kind == outcomes.LOCKED else GUARDED)
        dispatcher.utter_message(response="utter_ask_phone_digits")
        return found + _ask(WAITING_DIGITS)
    if outcome.kind in (outcomes.NO_CODE, outcomes.MALFORMED):
        return _ask(WAITING_CODE)
    return _clear()


def _procedure_of(outcome: outcomes.Outcome) -> Events:
    """The procedure under discussion becomes the dossier's (its national code, when it has one)."""
    code = getattr(outcome.status, "procedure_code", None)
    return [SlotSet("procedure_code", code)] if isinstance(code, str) and PROCEDURE_CODE_RE.fullmatch(code) else []


def _verify(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> Events:
    digits = payloads.texts(tracker, "phone_last_digits")
    tail = _phone_tail(text)
    if tail is not None:  # a whole phone number: its last four digits are the answer
        digits = payloads.Values(texts=(tail,))
    if digits.malformed or len(digits.texts) > 1:
        # A number, a list, an object: asked again, never counted as an attempt.
        dispatcher.utter_message(response="utter_dossier_digits_format")
        return [SlotSet("dossier_step", WAITING_DIGITS)]
    code = payloads.slot_text(tracker, "dossier_code") or ""
    outcome = dossier_service().verify(code, digits.texts[0] if digits.texts else text, source_of(tracker))
    say(dispatcher, outcome)
    if outcome.kind in (outcomes.DIGITS_FORMAT, outcomes.WRONG_DIGITS):
        return [SlotSet("dossier_step", WAITING_DIGITS)]
    if outcome.kind in (outcomes.LOCKED, outcomes.GUARDED_CODE):
        return _ask(REFUSED if outcome.kind == outcomes.LOCKED else GUARDED)
    if outcome.kind == outcomes.VERIFIED:  # what the officer asked for answers "cần bổ sung gì" later on
        return _clear() + [SlotSet("dossier_note", outcome.params.get("officer_note"))]
    return _clear()


# "cần bổ sung gì", "bổ sung những gì" (folded), after a look-up of a dossier waiting for additions.
SUPPLEMENT_WORDS = ("bo sung", "bo xung", "bs them")
NEEDS_SUPPLEMENT = "needs_supplement"


def supplement_reply(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """When the message asks what to add and the dossier looked up in this conversation waits for additions:
    the officer's note once verified, else how to see it. Nothing otherwise."""
    text = str((tracker.latest_message or {}).get("text") or "")
    if text.startswith("/") or payloads.slot_text(tracker, "dossier_status") != NEEDS_SUPPLEMENT:
        return
    folded = " " + " ".join(fold(text[:500]).split()) + " "
    if not any(f" {words} " in folded for words in SUPPLEMENT_WORDS):
        return
    code = payloads.slot_text(tracker, "dossier_code") or ""
    note = payloads.slot_text(tracker, "dossier_note")
    if note:
        dispatcher.utter_message(response="utter_dossier_supplement_note", code=code, note=note)
    else:
        dispatcher.utter_message(response="utter_dossier_supplement_how", code=code)


class ActionDossierStatus(ThreadedAction):
    """`check_dossier_status`: the look-up itself, whatever step it is at."""

    def name(self) -> Text:
        return "action_dossier_status"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        return dossier_turn(dispatcher, tracker)
