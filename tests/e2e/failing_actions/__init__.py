"""The project's actions, with one way to make them fail: for the logs test.

The action server is started with `--actions tests.e2e.failing_actions`. Every
question action (actions.base.QuestionAction) then raises, on a message
holding FAIL_MARKER, an exception whose message carries the whole tracker
(texts, slots, events): the worst an action could do. Nothing of it may reach
either server's log.
"""
from __future__ import annotations

import actions.conversation  # noqa: F401  (the project's actions, registered by rasa_sdk)
import actions.dossiers  # noqa: F401
import actions.feedback  # noqa: F401
import actions.handoff  # noqa: F401
import actions.procedures  # noqa: F401
from actions.base import QuestionAction

FAIL_MARKER = "kiemtraloi"
_run = QuestionAction.run


def _failing_run(self, dispatcher, tracker, domain):
    if FAIL_MARKER in ((tracker.latest_message or {}).get("text") or ""):
        raise RuntimeError(f"forced failure: {tracker.latest_message!r} {tracker.slots!r} {tracker.events!r}")
    return _run(self, dispatcher, tracker, domain)


QuestionAction.run = _failing_run
