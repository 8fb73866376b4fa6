"""Start-up of the action server: its services are built before it serves.

rasa_sdk (3.6) imports a top-level package named `rasa_sdk_plugins`, if there
is one on the path, when the action server starts (`rasa run actions` and
`python -m rasa_sdk` alike), after it has imported the `actions` package and
before it listens. Its hook builds actions/runtime.py from the settings, so a
malformed setting or a secret left at its demo value outside
APP_ENV=development stops the server at once with a Vietnamese message,
instead of failing on the first citizen's question.
"""
from __future__ import annotations

import logging
import sys

import pluggy

from settings import SettingsError
from storage.engine import MissingDatabase

hookimpl = pluggy.HookimplMarker("rasa_sdk")
logger = logging.getLogger(__name__)


class ActionServerStart:
    @hookimpl
    def attach_sanic_app_extensions(self, app) -> None:
        from actions import runtime

        try:
            runtime.start()
        except (SettingsError, MissingDatabase) as exc:
            message = f"Máy chủ actions không khởi động: {exc}"
            logger.error(message)
            print(message, file=sys.stderr, flush=True)
            raise SystemExit(2) from None


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(ActionServerStart())
