"""Actions run their work in worker threads: one action waiting for the database never holds the
action server's event loop, so other citizens' actions go on meanwhile."""
from __future__ import annotations

import asyncio
import threading

from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor

from actions.threaded import ThreadedAction


class WaitsForAnother(ThreadedAction):
    """Both calls must be inside `act` at the same moment for either to finish."""

    barrier = threading.Barrier(2, timeout=10)
    threads: list = []

    def name(self):
        return "action_waits_for_another"

    def act(self, dispatcher, tracker, domain):
        self.threads.append(threading.current_thread())
        self.barrier.wait()  # BrokenBarrierError if the calls ran one after the other
        dispatcher.utter_message(text=f"xong {tracker.sender_id}")
        return []


def _call(sender: str) -> dict:
    tracker = Tracker(sender, {}, {"text": "hi"}, [], False, None, {}, "action_listen")
    return {"next_action": "action_waits_for_another", "sender_id": sender, "tracker": tracker.current_state(),
            "domain": {}}


def test_two_actions_are_in_flight_at_once_off_the_event_loop():
    executor = ActionExecutor()
    executor.register_action(WaitsForAnother)

    async def both():
        loop_thread = threading.current_thread()
        answers = await asyncio.gather(executor.run(_call("a")), executor.run(_call("b")))
        return loop_thread, answers

    loop_thread, answers = asyncio.run(both())
    assert [a["responses"][0]["text"] for a in answers] == ["xong a", "xong b"]
    assert len(WaitsForAnother.threads) == 2 and loop_thread not in WaitsForAnother.threads


def test_every_project_action_is_threaded():
    """A new action written with a synchronous `run` would block the loop again."""
    from rasa_sdk import Action

    import actions  # noqa: F401  (registers the project's actions as Action subclasses)
    from actions import conversation, dossiers, feedback, handoff, procedures  # noqa: F401

    def concrete(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from concrete(sub)

    project = {cls for cls in concrete(Action) if cls.__module__.startswith("actions.")
               and not getattr(cls, "__abstractmethods__", None)}
    assert project and all(issubclass(cls, ThreadedAction) for cls in project), sorted(
        cls.__name__ for cls in project if not issubclass(cls, ThreadedAction))
