"""The one routing point of every question action, and small tracker readers.

A citizen may be in the middle of a dossier look-up (the assistant asked for
a code or for four phone digits) and meanwhile ask other things. Every
action that answers a free question (procedure answers, fallback, "không")
derives from `QuestionAction`, whose `act` (run in a worker thread, see
actions/threaded.py) first asks
`actions.dossiers.continues_look_up`: if the message carries a dossier code,
or the digits / code / "bỏ qua" the assistant asked for, the look-up goes on;
otherwise the action's own `answer` runs, and a look-up step still pending
ends: a different question ends the verification, so digits typed later are
never taken for it.

Entity values are read through `actions.payloads` (checked by type).
"""
from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import dossiers, payloads
from actions.threaded import ThreadedAction

Events = List[Dict[Text, Any]]


class QuestionAction(ThreadedAction, metaclass=ABCMeta):
    """An action answering a question; subclasses implement `name` and `answer`.

    Abstract (so the SDK registers only the concrete subclasses).
    """

    @abstractmethod
    def name(self) -> Text:
        ...

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        if dossiers.continues_look_up(tracker):
            return dossiers.dossier_turn(dispatcher, tracker)
        return self.answer(dispatcher, tracker) + dossiers.end_step(tracker)

    @abstractmethod
    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        """The action's own reply when the message does not continue a dossier look-up."""


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text")
    return text if isinstance(text, str) else ""


def latest_intent(tracker: Tracker) -> Optional[str]:
    intent = (tracker.latest_message or {}).get("intent")
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else None


def entity_kinds(tracker: Tracker) -> set:
    """The entity types found in the latest message."""
    entities = (tracker.latest_message or {}).get("entities")
    return {e.get("entity") for e in entities if isinstance(e, dict)} if isinstance(entities, list) else set()


def entity(tracker: Tracker, name: str) -> Optional[str]:
    """The latest message's first value for entity `name` that is text or a whole number, if any."""
    return payloads.number_or_text(tracker, name)
