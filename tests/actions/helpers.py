"""Run an action the way the action server does, with a hand-made tracker.

Messages sent as domain responses (`response="utter_x"`) are rendered the
way Rasa's NLG does, from bot/domain/*.yml with the values passed and the
slots, so that tests assert the exact text a citizen sees.
"""
import asyncio
import functools
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from unittest.mock import ANY

import yaml
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
    metadata: Optional[Dict[str, Any]] = None,
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent}, "entities": entities or []}
    if metadata is not None:
        latest["metadata"] = metadata
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


DOMAIN_DIR = Path(__file__).resolve().parents[2] / "bot" / "domain"
MESSAGE_KEYS = {"text", "buttons", "elements", "custom", "template", "response", "image", "attachment"}


@functools.lru_cache(maxsize=1)
def domain_responses() -> Dict[str, str]:
    """Response name -> its (only) text, from every bot/domain/*.yml."""
    responses: Dict[str, str] = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).items():
            responses[name] = variants[0]["text"]
    return responses


def render(message: Dict[str, Any], slots: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """A dispatched message as Rasa sends it: a response's `{var}` filled from the values passed, then the slots."""
    name = message.get("response")
    if not name:
        return message
    values = dict(slots or {})
    values.update({key: value for key, value in message.items() if key not in MESSAGE_KEYS})
    text = re.sub(r"{([^\n{}]+?)}", lambda m: str(values.get(m.group(1), m.group(0))), domain_responses()[name])
    return {**message, "text": text}


def run(action, tracker: Tracker) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """The action's events and its messages, rendered (through `run`, as the action server calls it:
    a coroutine that runs the action's work in a worker thread)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return events, [render(m, tracker.slots) for m in dispatcher.messages]


def run_action(action, text: str, **kwargs) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    return run(action, make_tracker(text, **kwargs))


def answered(code: str) -> List[Dict[str, Any]]:
    """The events of a successful answer about `code` (whatever "xem tiếp" would show next)."""
    return [SlotSet("procedure_code", code), SlotSet("answer_more", ANY), SlotSet("failures", 0), SlotSet("pending_offer", None)]


def failure(count: int) -> List[Dict[str, Any]]:
    return [SlotSet("failures", count), SlotSet("pending_offer", None)]


def code_entity(code: str) -> List[Dict[str, Any]]:
    return [{"entity": "procedure_code", "value": code}]
