"""Who can read or steer a conversation, against the real servers (issue 15, items 2 and 3).

- REST senders are issued by the server and signed; made-up, tampered or
  another channel's senders are refused, and officer replies reach only their
  own citizen;
- Rasa's HTTP API answers only with RASA_API_TOKEN;
- the action server listens on loopback and runs actions only for calls
  carrying ACTION_SERVER_TOKEN.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.e2e


def _texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def _handoff_with_reply(running, officer, sender: str, reply: str) -> int:
    """Hand `sender`'s REST conversation to an officer who replies; the ticket id."""
    answer = requests.post(f"{running.url}/webhooks/rest/webhook", json={"sender": sender, "message": "cho tôi gặp cán bộ"},
                           timeout=60)
    assert answer.ok and "yêu cầu hỗ trợ số" in _texts(answer.json())
    (ticket,) = [t for t in officer("GET", "/tickets").json()["tickets"] if t["conversation_id"] == sender]
    assert officer("POST", f"/tickets/{ticket['id']}/reply", json={"officer": "Cán bộ Lan", "text": reply}).ok
    return ticket["id"]


# --- item 2: conversation ids -----------------------------------------------------------
def test_officer_replies_reach_only_their_citizen(running, officer):
    """Issue 15: GET /webhooks/rest/updates?sender=<someone's id> returned their officer replies
    and marked them delivered, so the citizen never got them."""
    citizen = running.new_sender()
    ticket = _handoff_with_reply(running, officer, citizen, "Hồ sơ của bạn cần thêm bản sao giấy khai sinh.")
    updates = f"{running.url}/webhooks/rest/updates"
    stranger = running.new_sender()
    tampered = citizen[:-1] + ("A" if citizen[-1] != "A" else "B")
    for guess in (tampered, citizen.split(".")[0], "nguoi-dan-1"):
        refused = requests.get(updates, params={"sender": guess}, timeout=30)
        assert refused.status_code == 403
        assert "/webhooks/rest/conversations" in refused.json()["error"]
    assert requests.get(updates, params={"sender": stranger}, timeout=30).json() == []
    # A sender issued for the web page is not valid over REST, nor the other way round.
    assert requests.get(f"{running.url}/webhooks/webchat/updates", params={"sender": citizen}, timeout=30).status_code == 403
    mine = requests.get(updates, params={"sender": citizen}, timeout=30).json()
    assert [m["text"] for m in mine] == ["Hồ sơ của bạn cần thêm bản sao giấy khai sinh."]
    officer("POST", f"/tickets/{ticket}/release", json={"officer": "Cán bộ Lan"})


def test_made_up_senders_and_wrong_tokens_are_refused(running):
    webhook = f"{running.url}/webhooks/rest/webhook"
    made_up = requests.post(webhook, json={"sender": "nguoi-dan-1", "message": "xin chào"}, timeout=30)
    assert made_up.status_code == 403
    assert "POST /webhooks/rest/conversations" in made_up.json()["error"]
    wrong = requests.post(webhook, json={"sender": "crm-42", "message": "xin chào"},
                          headers={"Authorization": "Bearer not-the-token"}, timeout=30)
    assert wrong.status_code == 401 and "REST_API_TOKEN" in wrong.json()["error"]
    trusted = requests.post(webhook, json={"sender": "crm-42", "message": "xin chào"}, headers=running.rest_headers,
                            timeout=60)
    assert trusted.ok and trusted.json()


# --- item 3: Rasa's HTTP API ---------------------------------------------------------------
def test_the_http_api_needs_its_token(running, post):
    """Issue 15: without authentication the HTTP API showed another citizen's texts, paused a
    conversation, and DELETE /model silenced the bot."""
    sender = "e2e-api-owner"
    post("đăng ký khai sinh cần giấy tờ gì", sender)
    base = running.url
    tracker = f"{base}/conversations/{sender}/tracker"
    assert requests.get(tracker, timeout=30).status_code == 401
    assert requests.get(tracker, params={"token": "wrong"}, timeout=30).status_code == 401
    pause = requests.post(f"{tracker}/events", json={"event": "pause"}, timeout=30)
    assert pause.status_code == 401
    assert requests.delete(f"{base}/model", timeout=30).status_code == 401
    assert requests.get(f"{base}/status", timeout=30).status_code == 401
    assert requests.get(f"{base}/", timeout=30).ok  # Rasa's hello: nothing in it
    # Nothing happened: the bot answers, the conversation is not paused, its texts only with the token.
    assert "(mã 1.000894)" in _texts(post("lệ phí đăng ký kết hôn", sender))
    shown = requests.get(tracker, params={"token": running.rasa_api_token}, timeout=30).json()
    assert shown["paused"] is False and any(e.get("text") == "lệ phí đăng ký kết hôn" for e in shown["events"])


# --- item 3: the action server ---------------------------------------------------------------
ACTION_CALL = {"next_action": "action_no_such_thing", "sender_id": "e2e-forged", "version": "3.6.2",
               "tracker": {"sender_id": "e2e-forged", "slots": {}, "latest_message": {}, "events": [],
                           "paused": False, "latest_event_time": None, "followup_action": None,
                           "active_loop": {}, "latest_action_name": None},
               "domain": {}}


def test_the_action_server_runs_actions_only_for_rasa(running):
    """Issue 15: the action server ran actions for any tracker sent to it."""
    webhook = f"{running.actions_url}/webhook"
    without = requests.post(webhook, json=ACTION_CALL, timeout=30)
    assert without.status_code == 401 and "ACTION_SERVER_TOKEN" in without.json()["error"]
    assert requests.post(webhook, params={"token": "wrong"}, json=ACTION_CALL, timeout=30).status_code == 401
    assert requests.get(f"{running.actions_url}/actions", timeout=30).status_code == 401
    assert requests.get(f"{running.actions_url}/health", timeout=30).ok
    with_token = requests.post(webhook, params={"token": running.action_server_token}, json=ACTION_CALL, timeout=30)
    assert with_token.status_code == 404  # past the door: rasa_sdk looked the action up


def _listening_addresses(port: int) -> set:
    """Local addresses (hex, as in /proc/net/tcp*) of the sockets listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # LISTEN
                found.add(address)
    return found


def test_the_action_server_listens_on_loopback_only(running):
    """Started without SANIC_HOST (scripts/servers.py unsets it), it takes the loopback default."""
    port = int(running.actions_url.rsplit(":", 1)[1])
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1
