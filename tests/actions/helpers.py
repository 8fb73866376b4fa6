"""Run an action the way the action server does, with a hand-made tracker."""
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    text: str,
    intent: str = "ask_documents",
    slots: Optional[Dict[str, Any]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    sender_id: str = "test",
) -> Tracker:
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent}, "entities": entities or []},
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


def run_action(action, text: str, **kwargs) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, make_tracker(text, **kwargs), {})
    return events, dispatcher.messages


def answered(code: str) -> List[Dict[str, Any]]:
    """The events of a successful answer about `code`."""
    return [SlotSet("procedure_code", code), SlotSet("failures", 0), SlotSet("pending_offer", None)]


def failure(count: int) -> List[Dict[str, Any]]:
    return [SlotSet("failures", count), SlotSet("pending_offer", None)]


def code_entity(code: str) -> List[Dict[str, Any]]:
    return [{"entity": "procedure_code", "value": code}]
