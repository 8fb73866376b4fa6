"""The action server's door (issue 15, item 3): it ran actions for any tracker sent to it.

rasa_sdk's own app (the project's actions registered) with the start-up hook's
token check, served on loopback; the hook's binding to SANIC_HOST.
"""
from __future__ import annotations

import pytest
import requests

from rasa_sdk_plugins import require_token
from settings import Settings, bind_action_server
from tests.fakes.sanic_server import serving

TOKEN = "jeton-may-chu-actions"
CALL = {"next_action": "action_no_such_thing", "sender_id": "someone", "version": "3.6.2",
        "tracker": {"sender_id": "someone", "slots": {}, "latest_message": {}, "events": [], "paused": False,
                    "latest_event_time": None, "followup_action": None, "active_loop": {},
                    "latest_action_name": None},
        "domain": {}}


@pytest.fixture(scope="module")
def action_server():
    from rasa_sdk.endpoint import create_app

    app = create_app("actions")
    require_token(app, TOKEN)
    with serving(app) as url:
        yield url


def test_calls_without_the_token_are_refused(action_server):
    for params in ({}, {"token": "wrong"}, {"token": TOKEN[:-1]}, {"token": TOKEN + "x"}):
        refused = requests.post(f"{action_server}/webhook", params=params, json=CALL, timeout=30)
        assert refused.status_code == 401, params
        assert "ACTION_SERVER_TOKEN" in refused.json()["error"]
    assert requests.get(f"{action_server}/actions", timeout=30).status_code == 401
    headers = {"Authorization": f"Bearer {TOKEN}"}  # only the query parameter counts: what Rasa sends
    assert requests.post(f"{action_server}/webhook", headers=headers, json=CALL, timeout=30).status_code == 401


def test_calls_with_the_token_reach_the_actions(action_server):
    allowed = requests.post(f"{action_server}/webhook", params={"token": TOKEN}, json=CALL, timeout=30)
    assert allowed.status_code == 404 and allowed.json()["action_name"] == "action_no_such_thing"
    names = [a["name"] for a in requests.get(f"{action_server}/actions", params={"token": TOKEN}, timeout=30).json()]
    assert "action_handoff" in names


def test_health_stays_open(action_server):
    assert requests.get(f"{action_server}/health", timeout=30).json() == {"status": "ok"}


def test_an_empty_token_is_never_installed():
    from sanic import Sanic

    with pytest.raises(ValueError):
        require_token(Sanic("door_empty_token"), "")


def test_the_action_server_listens_on_loopback_unless_told():
    environ = {}
    assert bind_action_server(Settings.from_env({}), environ) == "127.0.0.1"
    assert environ == {"SANIC_HOST": "127.0.0.1"}
    environ = {}
    bind_action_server(Settings.from_env({"SANIC_HOST": "10.1.2.3"}), environ)
    assert environ == {"SANIC_HOST": "10.1.2.3"}
