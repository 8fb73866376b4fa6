"""Validate action server responses with a validator compiled once.

Rasa 3.6 checks every response of the action server with
`jsonschema.validate(result, schema)`, which first re-checks the schema itself
against the JSON Schema meta-schema. Profiling a REST turn with a custom
action (py-spy, bench/results/dialogue.md) showed more than half of the Rasa
server's time in that check. The schema is Rasa's own constant, so it is
checked once here and the same validation (same schema, same errors, same
message) then runs with a compiled validator.

Installed explicitly by the project's channels when Rasa creates them
(nothing happens at import time).
"""
from __future__ import annotations

import threading
from typing import Any, Dict, Text

_lock = threading.Lock()
_installed = False


def install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        from jsonschema import validators
        from jsonschema.exceptions import best_match
        from rasa.core.actions.action import RemoteAction
        from rasa.shared.constants import DOCS_BASE_URL

        schema = RemoteAction.action_response_format_spec()
        validator_class = validators.validator_for(schema)
        validator_class.check_schema(schema)
        validator = validator_class(schema)

        def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
            error = best_match(validator.iter_errors(result))
            if error is not None:
                error.message += (
                    f". Failed to validate Action server response from API, "
                    f"make sure your response from the Action endpoint is valid. "
                    f"For more information about the format visit "
                    f"{DOCS_BASE_URL}/custom-actions"
                )
                raise error
            return True

        RemoteAction._validate_action_result = _validate_action_result
        _installed = True
