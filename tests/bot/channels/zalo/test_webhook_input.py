"""The Zalo webhook's input checks and failure reply, served in-process (issue 15, items 1, 8 and 9)."""
from __future__ import annotations

import asyncio
import hashlib
import json

import pytest

from bot.channels.failures import FAILURE_REPLY, LATE_REPLY
from bot.channels.zalo.channel import ZaloInput
from bot.channels.zalo.config import ZaloSettings
from bot.channels.zalo.store import ChannelStore
from tests.bot.channels.asgi import served
from tests.bot.channels.conftest import HOTLINE, FakeRasa
from tests.fakes.zalo_api import APP_ID, OA_SECRET, event, sign

FAILURE = FAILURE_REPLY.format(hotline=HOTLINE)
LATE = LATE_REPLY.format(hotline=HOTLINE)


class RecordingClient:
    """Stands for the Zalo OA API client: keeps what would be sent."""

    tokens = None

    def __init__(self):
        self.sent = []

    async def send(self, user_id, message, retry=True):
        self.sent.append((user_id, message))
        return {"error": 0}

    async def close(self):
        pass


def deliver(engine, rasa, raw, headers):
    """POST one event; (response, what the channel sent to Zalo once the background work is done)."""
    client = RecordingClient()
    channel = ZaloInput(ZaloSettings(app_id=APP_ID, oa_secret_key=OA_SECRET), store=ChannelStore(engine), client=client)

    async def go():
        async with served(("/webhooks/zalo", channel.blueprint(rasa))) as call:
            response = await call("POST", "/webhooks/zalo/webhook", body=raw, headers=headers)
            await channel.wait_idle()
            return response

    return asyncio.run(go()), client.sent


def test_a_deeply_nested_body_is_a_clear_400(wiring, engine):
    body = event("u-1", "xin chào")
    raw, headers = sign(body)
    raw = raw[:-1] + b', "extra": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response, sent = deliver(engine, FakeRasa(), raw, headers)
    assert response.status == 400 and "Traceback" not in response.text and sent == []


@pytest.mark.parametrize("user_id", ["a\x00b", "u\ud800", "\x1b", "u" * 200])
def test_a_user_id_with_bad_characters_is_400(wiring, engine, user_id):
    rasa = FakeRasa()
    body = event(user_id, "xin chào")
    raw = json.dumps(body).encode()  # \u escapes: a lone surrogate can be sent this way
    digest = hashlib.sha256(APP_ID.encode() + raw + body["timestamp"].encode() + OA_SECRET.encode()).hexdigest()
    headers = {"Content-Type": "application/json", "X-ZEvent-Signature": f"mac={digest}"}
    response, sent = deliver(engine, rasa, raw, headers)
    assert response.status == 400 and response.json["error"]
    assert rasa.messages == [] and sent == []


def test_bad_characters_in_the_text_are_cleaned(wiring, engine):
    rasa = FakeRasa(reply="Đăng ký khai sinh (mã 1.001193)")
    raw, headers = sign(event("u-2", "khai\x00 sinh\ufffe"))
    response, sent = deliver(engine, rasa, raw, headers)
    assert response.status == 200 and rasa.messages[0].text == "khai  sinh"
    assert [m["text"] for _, m in sent] == ["Đăng ký khai sinh (mã 1.001193)"]


@pytest.mark.parametrize("rasa, reply", [(FakeRasa(error=ConnectionError("redis down")), FAILURE),
                                         (FakeRasa(sleep=60), LATE)], ids=["failing", "frozen"])
def test_a_failing_or_frozen_turn_sends_the_failure_reply(wiring, engine, rasa, reply):
    """A failing turn: the failure reply; a frozen one: the answer will follow (both name the hotline)."""
    raw, headers = sign(event("u-3", "đăng ký khai sinh cần gì"))
    response, sent = deliver(engine, rasa, raw, headers)
    assert response.status == 200
    assert sent == [("u-3", {"text": reply})] and HOTLINE in reply
