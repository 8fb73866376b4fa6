"""The officers' desk API: odd ids, headers, names and bodies get clear 4xx, a database down a 503,
never a 500 with a traceback (issue 15, items 1, 8 and 9)."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.exc import OperationalError

from bot.channels.officer import OfficerDeskInput
from officer_desk.store import DeskStore, Line
from tests.bot.channels.asgi import served
from tests.bot.channels.conftest import FakeRasa

TOKEN = "desk-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def call(method, path, **kwargs):
    async def go():
        async with served(("/webhooks/officer", OfficerDeskInput(TOKEN).blueprint(FakeRasa()))) as request:
            return await request(method, "/webhooks/officer" + path, **kwargs)

    return asyncio.run(go())


@pytest.mark.parametrize("header", [b"Bearer caf\xe9", b"Bearer \xff\xfe", "Bearer cán-bộ".encode("utf-8"), b"Basic x"])
def test_a_token_that_is_not_ascii_is_401(wiring, header):
    response = call("GET", "/tickets", headers={"Authorization": header})
    assert response.status == 401 and response.json["error"]


@pytest.mark.parametrize("ticket", ["0", "9223372036854775808", "18446744073709551617", "-1", "9" * 40])
def test_ticket_ids_no_ticket_can_have_are_404(wiring, ticket):
    for method, path in [("GET", ""), ("POST", "/claim"), ("POST", "/reply"), ("POST", "/release")]:
        response = call(method, f"/tickets/{ticket}{path}", json={"officer": "A", "text": "x"}, headers=AUTH)
        assert response.status == 404, (method, path, response.text)
        assert "Traceback" not in response.text


def test_the_largest_bigint_is_simply_not_found(wiring):
    assert call("GET", "/tickets/9223372036854775807", headers=AUTH).status == 404


def _ticket(engine):
    return DeskStore(engine).open_ticket("c-1", "rest", "requested", [Line("citizen", "xin chào")]).id


@pytest.mark.parametrize("officer", ["A\x00B", "Lan\ud800", "\x1b[31m", "   "])
def test_an_officer_name_with_control_characters_is_400(wiring, engine, officer):
    ticket = _ticket(engine)
    response = call("POST", f"/tickets/{ticket}/claim", json={"officer": officer}, headers=AUTH)
    assert response.status == 400 and "officer" in response.json["error"]


def test_a_reply_with_control_characters_is_cleaned_and_stored(wiring, engine, monkeypatch):
    from bot.channels import officer

    async def no_tracker(*args, **kwargs):
        return None

    monkeypatch.setattr(officer, "append_events", no_tracker)
    ticket = _ticket(engine)
    response = call("POST", f"/tickets/{ticket}/reply", json={"officer": "Lan", "text": "Chào\x00 bạn\ud800!"},
                    headers=AUTH)
    assert response.status == 200, response.text
    assert response.json["messages"][-1]["text"] == "Chào  bạn !"
    assert call("POST", f"/tickets/{ticket}/reply", json={"officer": "Lan", "text": "\x00\x01"},
                headers=AUTH).status == 400


def test_a_deeply_nested_body_is_400(wiring, engine):
    ticket = _ticket(engine)
    body = b'{"officer": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response = call("POST", f"/tickets/{ticket}/claim", body=body, headers={**AUTH, "content-type": "application/json"})
    assert response.status == 400 and "sâu" in response.json["error"]


class DownStore(DeskStore):
    def _fail(self, *args, **kwargs):
        raise OperationalError("SELECT ...", {}, Exception("unable to open database file"))

    queue = ticket = feedback = claim = _fail


@pytest.mark.parametrize("method, path, params", [
    ("GET", "/tickets", None), ("GET", "/tickets", {"status": "all"}), ("GET", "/feedback", {"helpful": "false"}),
    ("GET", "/tickets/1", None), ("POST", "/tickets/1/claim", None)])
def test_a_database_down_is_503_json(wiring, engine, method, path, params):
    wiring.set_desk_store(DownStore(engine))
    response = call(method, path, json={"officer": "Lan"}, headers=AUTH, params=params)
    assert response.status == 503 and "thử lại" in response.json["error"]
    assert "Traceback" not in response.text and "unable to open" not in response.text
