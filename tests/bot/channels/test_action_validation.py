"""The compiled validator accepts and rejects action responses exactly like Rasa's."""
import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot.channels import action_validation

VALID = [
    {"events": [{"event": "slot", "name": "procedure_code", "value": "1.004194"}],
     "responses": [{"text": "Thủ tục đăng ký tạm trú (mã 1.004194)",
                    "buttons": [{"title": "Lệ phí", "payload": "/ask_fee"}]}]},
    {"events": [], "responses": []},
]
INVALID = [
    {"events": "not a list", "responses": []},
    {"events": [{"no_event_key": 1}], "responses": []},
    {"events": [], "responses": "text"},
]


def _original(result):
    jsonschema.validate(result, RemoteAction.action_response_format_spec())


@pytest.mark.parametrize("result", VALID)
def test_valid_responses_pass(result):
    _original(result)
    action_validation.install()
    assert RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1"))._validate_action_result(result)


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_fail_like_rasa(result):
    with pytest.raises(jsonschema.ValidationError) as original:
        _original(result)
    action_validation.install()
    with pytest.raises(jsonschema.ValidationError) as ours:
        RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1"))._validate_action_result(result)
    assert ours.value.message.startswith(original.value.message)
    assert "Failed to validate Action server response" in ours.value.message
