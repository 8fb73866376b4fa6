"""Actions whose work runs in a thread pool, off the action server's event loop.

rasa_sdk calls a synchronous `run` right on the action server's event loop:
while one action waits for the database (a catalogue search, a dossier
look-up, a feedback insert), every other citizen's action waits behind it,
and under load (two Rasa servers on one action server) actions queued past
ACTION_SERVER_TIMEOUT. A ThreadedAction's `run` is a coroutine that hands
`act` to the loop's default thread pool, so the server keeps taking calls
while queries are in flight. The services the actions use are thread-safe
(engines and session factories per process, locks around their caches).
"""
from __future__ import annotations

import asyncio
from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

Events = List[Dict[Text, Any]]


class ThreadedAction(Action, metaclass=ABCMeta):
    """An action implemented by `act` (synchronous), run in a worker thread.

    Abstract: the SDK registers only concrete subclasses.
    """

    @abstractmethod
    def name(self) -> Text:
        ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        """The events of `act`, computed in the event loop's default thread pool."""
        return await asyncio.get_running_loop().run_in_executor(None, self.act, dispatcher, tracker, domain)

    @abstractmethod
    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        """The action's work (blocking database calls allowed); the events to return to Rasa."""
