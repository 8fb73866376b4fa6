"""Entity, slot and metadata values as the actions may use them: checked by type, in one place.

Buttons send payloads such as `/inform{"phone_last_digits": "6789"}`, and
anyone can type one with any JSON value: a number, a list (Rasa makes one
entity per item), an object, true, null. Rasa hands them to the actions as
they are. The actions read values only through here:

    texts(tracker, name)     Values: the latest message's text values of entity `name`
                             (in order, without repeats), and whether any value was not
                             text or was too long (`malformed`)
    text(tracker, name)      the one text value, or None (none, several, or malformed)
    number_or_text(...)      the first value that is text or a whole number, as text (page numbers)
    slot_text(tracker, name) a slot's value if it is text, else None
    slot_number(...)         a slot's value if it is a number (not true/false), else None
    client(tracker)          the client the channel names in the message's metadata, or None

Wrong types are never coerced: "1234" typed as a number could have lost a
leading zero, and a list of codes needs a question, not a guess.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from rasa_sdk import Tracker

MAX_CHARS = 200
MAX_FREE_CHARS = 5000  # a free value (a procedure's name or code as typed) is answered, not refused
MAX_VALUES = 10
CLIENT_KEY = "client_key"  # message metadata: a hashed client address, set by the channel or the proxy


@dataclass(frozen=True)
class Values:
    texts: Tuple[str, ...] = ()
    malformed: bool = False

    @property
    def given(self) -> bool:
        return bool(self.texts) or self.malformed


def _raw(tracker: Tracker, name: str) -> List[Any]:
    entities = (tracker.latest_message or {}).get("entities") or []
    if not isinstance(entities, list):
        return []
    return [e.get("value") for e in entities if isinstance(e, dict) and e.get("entity") == name]


def texts(tracker: Tracker, name: str) -> Values:
    found: List[str] = []
    malformed = False
    for value in _raw(tracker, name):
        if isinstance(value, str) and value.strip() and len(value) <= MAX_CHARS:
            value = value.strip()
            if value not in found:
                found.append(value)
        else:
            malformed = True
    return Values(tuple(found[:MAX_VALUES]), malformed or len(found) > MAX_VALUES)


def text(tracker: Tracker, name: str) -> Optional[str]:
    values = texts(tracker, name)
    return values.texts[0] if len(values.texts) == 1 and not values.malformed else None


def number_or_text(tracker: Tracker, name: str) -> Optional[str]:
    for value in _raw(tracker, name):
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and abs(value) < 10**6:
            return str(value)
        if isinstance(value, str) and value.strip():
            return value.strip()[:MAX_FREE_CHARS]
    return None


def slot_text(tracker: Tracker, name: str) -> Optional[str]:
    value = tracker.get_slot(name)
    return value if isinstance(value, str) and len(value) <= MAX_CHARS else None


def slot_number(tracker: Tracker, name: str) -> Optional[float]:
    value = tracker.get_slot(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def client(tracker: Tracker) -> Optional[str]:
    metadata = (tracker.latest_message or {}).get("metadata")
    value = metadata.get(CLIENT_KEY) if isinstance(metadata, dict) else None
    return value if isinstance(value, str) and 0 < len(value) <= MAX_CHARS else None
