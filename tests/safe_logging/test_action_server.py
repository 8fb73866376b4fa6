"""The action server answers a failing action without the tracker, and logs it cleaned."""
import asyncio
import json
import logging
from types import SimpleNamespace

from rasa_sdk_plugins import action_failed

NAME = "Trần Thị Bình"
DIGITS = "4821"


def test_a_failing_action_gets_a_500_naming_the_action_and_the_type_only(caplog):
    tracker = {"sender_id": "c1", "latest_message": {"text": f"tôi là {NAME}, số {DIGITS}"}}
    request = SimpleNamespace(json={"next_action": "action_answer_overview", "tracker": tracker})
    with caplog.at_level(logging.ERROR, logger="rasa_sdk_plugins"):
        answer = asyncio.run(action_failed(request, RuntimeError(f"boom for {NAME} {DIGITS}")))
    assert answer.status == 500
    body = json.loads(answer.body)
    assert body == {"error": "action action_answer_overview failed: RuntimeError", "action_name": "action_answer_overview"}
    assert "action_answer_overview" in caplog.text and "RuntimeError" in caplog.text


def test_an_unreadable_body_is_named_as_an_unknown_action():
    request = SimpleNamespace(json=["not", "an", "action call"])
    answer = asyncio.run(action_failed(request, ValueError("x")))
    assert json.loads(answer.body)["action_name"] == "?"
