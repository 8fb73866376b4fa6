"""The REST and web page channels: input is checked with clear 4xx errors, and a failing or slow
turn gets the polite failure reply with the hotline (issue 15, items 1, 8 and 9)."""
from __future__ import annotations

import asyncio
import logging
import time

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.exc import OperationalError

from bot.channels.conversation_ids import SenderSigner
from bot.channels.failures import FAILURE_REPLY, LATE_FAILURE_REPLY, LATE_REPLY
from bot.channels.rest import CitizenRestInput
from bot.channels.sender_access import SenderGate
from bot.channels.webchat import WebChatInput
from scripts.servers import free_port
from tests.bot.channels.asgi import served
from tests.bot.channels.conftest import HOTLINE, FakeRasa

CHANNELS = [(CitizenRestInput, "/webhooks/rest"), (WebChatInput, "/webhooks/webchat")]
FAILURE = FAILURE_REPLY.format(hotline=HOTLINE)
TRUSTED = "trusted-integration-token"


def post(channel, rasa, body=None, raw=None, agent=None, path="/webhook", method="POST", params=None):
    """One request to the channel's blueprint, as a trusted integration (any sender of its own); the Response."""
    cls, prefix = channel
    gate = SenderGate(cls.name(), SenderSigner(b"test-conversation-secret"), TRUSTED)
    instance = cls(gate=gate)
    trusted = {"authorization": f"Bearer {TRUSTED}"}

    async def go():
        async with served((prefix, instance.blueprint(rasa)), agent=agent) as call:
            if raw is not None:
                return await call(method, prefix + path, body=raw,
                                  headers={"content-type": "application/json", **trusted})
            return await call(method, prefix + path, json=body, params=params, headers=trusted)

    return asyncio.run(go())


@pytest.fixture(params=CHANNELS, ids=["rest", "webchat"])
def channel(request, wiring):
    return request.param


# --- item 1: characters that broke the tracker store --------------------------------
@pytest.mark.parametrize(
    "raw_sender",
    [r'"a\u0000b"', r'"a\ud800b"', r'"\udfff"', r'"a\u001bb"', r'"x\uffff"', r'"x\ufdd0"', r'"\ud83f\udffe"',
     '"   "', '""', '"' + "a" * 256 + '"', "42", "null", '["a"]'],
    ids=["nul", "lone-high-surrogate", "lone-low-surrogate", "escape", "ffff", "fdd0", "plane-1-nonchar",
         "blank", "empty", "too-long", "number", "null", "list"],
)
def test_a_sender_with_bad_characters_is_refused_before_rasa(channel, raw_sender):
    rasa = FakeRasa()
    response = post(channel, rasa, raw=b'{"sender": ' + raw_sender.encode() + b', "message": "hi"}')
    assert response.status == 400
    assert "sender" in response.json["error"] and "ký tự" in response.json["error"]
    assert rasa.messages == []


def test_a_fine_sender_with_vietnamese_and_emoji_is_accepted(channel):
    rasa = FakeRasa()
    response = post(channel, rasa, {"sender": "người-dân 🙂 1", "message": "hi"})
    assert response.status == 200 and rasa.messages[0].sender_id.endswith("người-dân 🙂 1")  # webchat:... on the page


def test_bad_characters_in_a_message_are_cleaned_not_refused(channel):
    rasa = FakeRasa()
    raw = rb'{"sender": "s1", "message": "a\u0000b\ud800c\u0007d\uffffe \ud83d\ude00"}'
    response = post(channel, rasa, raw=raw)
    assert response.status == 200
    assert rasa.messages[0].text == "a b c d e \U0001F600"


def test_updates_refuse_a_bad_sender(channel):
    assert post(channel, FakeRasa(), path="/updates", method="GET", params={"sender": "a\x00b"}).status == 400
    assert post(channel, FakeRasa(), path="/updates", method="GET", params={"sender": "web-1"}).json == []


# --- item 9: unbounded bodies and metadata ------------------------------------------
def test_a_huge_metadata_is_refused_before_rasa(channel):
    rasa = FakeRasa()
    body = {"sender": "s1", "message": "hi", "metadata": {f"k{n}": "x" * 1_000_000 for n in range(30)}}
    response = post(channel, rasa, body)
    assert response.status == 413 and "quá lớn" in response.json["error"]
    assert rasa.messages == []


@pytest.mark.parametrize(
    "metadata",
    [{"nested": {"a": 1}}, {"list": [1, 2]}, {f"k{n}": n for n in range(11)}, {"long": "x" * 201},
     {"nul": "a\x00b"}, "a string", [1, 2], {"big": 2**70}],
    ids=["nested", "list", "many-keys", "long-value", "control", "string", "list-root", "huge-int"],
)
def test_metadata_must_be_small_and_flat(channel, metadata):
    rasa = FakeRasa()
    response = post(channel, rasa, {"sender": "s1", "message": "hi", "metadata": metadata})
    assert response.status == 400 and "metadata" in response.json["error"]
    assert rasa.messages == []


def test_small_flat_metadata_reaches_rasa(channel):
    rasa = FakeRasa()
    metadata = {"page": "trang-chu", "kiosk": True, "n": 3, "lang": None}
    assert post(channel, rasa, {"sender": "s1", "message": "hi", "metadata": metadata}).status == 200
    given = dict(rasa.messages[0].metadata)
    assert len(given.pop("client_key")) == 32  # the channel's own: who sent it, hashed
    assert given == metadata


@pytest.mark.parametrize("levels", [900, 100_000])
def test_deeply_nested_json_is_a_clear_400(channel, levels):
    rasa = FakeRasa()
    nested = b'{"a": ' * levels + b"1" + b"}" * levels if levels < 1000 else b"[" * levels + b"]" * levels
    raw = b'{"sender": "s1", "message": "hi", "metadata": ' + nested + b"}"
    response = post(channel, rasa, raw=raw)
    assert response.status == 400 and "Traceback" not in response.text
    assert "sâu" in response.json["error"]
    assert rasa.messages == []


def test_a_very_long_message_is_still_cut_and_answered(channel):
    rasa = FakeRasa()
    response = post(channel, rasa, {"sender": "s1", "message": "💩" * 50_000})  # 600 KB as \u escapes
    assert response.status == 200 and len(rasa.messages[0].text) == 4000
    assert "4.000 ký tự" in response.json[0]["text"]


def test_nan_is_not_json(channel):
    response = post(channel, FakeRasa(), raw=b'{"sender": "s1", "message": "hi", "metadata": {"x": NaN}}')
    assert response.status == 400


# --- item 8 / deliverable 4: a failing or slow turn --------------------------------
class BrokenTrackerStore(InMemoryTrackerStore):
    """A tracker store whose database is down (PostgreSQL stopped)."""

    async def retrieve(self, sender_id):
        raise OperationalError("SELECT ...", {}, Exception("connection refused"))


def rasa_turn(lock_store, tracker_store):
    """What Rasa's processor does first with a message: lock the conversation, load its tracker."""

    async def handle(message):
        async with lock_store.lock(message.sender_id):
            await tracker_store.get_or_create_tracker(message.sender_id)
            await message.output_channel.send_text_message(message.sender_id, "never")

    return handle


def _closed_port_redis():
    return RedisLockStore(host="127.0.0.1", port=free_port())


@pytest.mark.parametrize(
    "make_turn",
    [
        lambda: rasa_turn(InMemoryLockStore(), BrokenTrackerStore(Domain.empty())),
        lambda: rasa_turn(_closed_port_redis(), InMemoryTrackerStore(Domain.empty())),
        lambda: FakeRasa(error=RuntimeError("anything else")),
    ],
    ids=["tracker-store-down", "redis-lock-store-down", "unexpected-error"],
)
def test_a_turn_that_fails_gets_the_failure_reply_with_the_hotline(channel, make_turn, caplog):
    caplog.set_level(logging.INFO)
    response = post(channel, make_turn(), {"sender": "s-fail", "message": "số điện thoại 0912345678"})
    assert response.status == 200
    assert [r["text"] for r in response.json] == [FAILURE]
    assert HOTLINE in FAILURE and "0912345678" not in caplog.text


def test_a_frozen_turn_gets_the_failure_reply_long_before_it_ends(channel):
    rasa = FakeRasa(sleep=60)
    started = time.monotonic()
    response = post(channel, rasa, {"sender": "s-slow", "message": "hi"})
    assert time.monotonic() - started < 10
    late = LATE_REPLY.format(hotline=HOTLINE)  # still polite, with the hotline; the answer will follow
    assert response.status == 200 and [r["text"] for r in response.json] == [late] and HOTLINE in late


def test_unexpected_errors_are_short_json_without_traceback(channel, monkeypatch, caplog):
    from bot.channels import rest

    def broken(*args, **kwargs):
        raise ValueError("secret text of a citizen")

    monkeypatch.setattr(rest, "citizen_turn", broken)
    response = post(channel, FakeRasa(), {"sender": "s1", "message": "hi"})
    assert response.status == 500 and set(response.json) == {"error"}
    assert "Traceback" not in response.text and "secret" not in response.text
    assert "ValueError" in caplog.text and "secret text" not in caplog.text


def test_a_late_turn_says_the_answer_will_follow_and_its_answer_is_not_lost(channel):
    """A turn past REPLY_TIMEOUT finishes in the background; what it says then waits for the citizen
    (the next response, or /updates for the page) instead of being dropped."""
    cls, prefix = channel
    gate = SenderGate(cls.name(), SenderSigner(b"test-conversation-secret"), TRUSTED)
    trusted = {"authorization": f"Bearer {TRUSTED}"}
    rasa = FakeRasa(reply="Lệ phí: 100.000 đồng (mã 1.001193)", sleep=1.0)  # the deadline is 0.5 s

    async def go():
        async with served((prefix, cls(gate=gate).blueprint(rasa))) as call:
            first = await call("POST", prefix + "/webhook", json={"sender": "s-late", "message": "lệ phí"},
                               headers=trusted)
            for _ in range(50):  # the turn ends after ~1 s, then its reply is kept
                await asyncio.sleep(0.1)
                later = await call("GET", prefix + "/updates", params={"sender": "s-late"}, headers=trusted)
                if later.json:
                    break
            again = await call("GET", prefix + "/updates", params={"sender": "s-late"}, headers=trusted)
            return first, later, again

    first, later, again = asyncio.run(go())
    assert [r["text"] for r in first.json] == [LATE_REPLY.format(hotline=HOTLINE)]
    assert [r["text"] for r in later.json] == ["Lệ phí: 100.000 đồng (mã 1.001193)"]
    assert again.json == []  # given once


@pytest.mark.parametrize(
    "rasa",
    [lambda: FakeRasa(reply=FAILURE, sleep=1.0), lambda: FakeRasa(error=RuntimeError("store down"), sleep=1.0)],
    ids=["action-fails-after-the-deadline", "turn-raises-after-the-deadline"],
)
def test_a_late_turn_that_then_fails_takes_its_promise_back_in_one_message(channel, rasa):
    """After "the answer will follow", a failure is not a second, contradictory "try again": the kept
    reply says the promised answer could not be sent (with the hotline), once."""
    cls, prefix = channel
    gate = SenderGate(cls.name(), SenderSigner(b"test-conversation-secret"), TRUSTED)
    trusted = {"authorization": f"Bearer {TRUSTED}"}

    async def go():
        async with served((prefix, cls(gate=gate).blueprint(rasa()))) as call:
            first = await call("POST", prefix + "/webhook", json={"sender": "s-late-fail", "message": "lệ phí"},
                               headers=trusted)
            later = None
            for _ in range(50):
                await asyncio.sleep(0.1)
                later = await call("GET", prefix + "/updates", params={"sender": "s-late-fail"}, headers=trusted)
                if later.json:
                    break
            return first, later

    first, later = asyncio.run(go())
    assert [r["text"] for r in first.json] == [LATE_REPLY.format(hotline=HOTLINE)]
    assert [r["text"] for r in later.json] == [LATE_FAILURE_REPLY.format(hotline=HOTLINE)]
    assert HOTLINE in later.json[0]["text"] and FAILURE not in [r["text"] for r in later.json]


def test_a_turn_whose_action_failed_before_the_deadline_promises_nothing_more(channel):
    """The failure reply was said in time: the citizen is not also told that an answer will follow."""

    class FailsThenStalls(FakeRasa):
        async def __call__(self, message):
            self.messages.append(message)
            await message.output_channel.send_text_message(message.sender_id, FAILURE)
            await asyncio.sleep(1.0)

    response = post(channel, FailsThenStalls(), {"sender": "s-fail-early", "message": "lệ phí"})
    assert [r["text"] for r in response.json] == [FAILURE]


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/webhooks/rest/webhook", 405),  # a known path with another method
    ("GET", "/khong-co-trang-nay", 404),  # no route at all
    ("POST", "/webhooks/rest/conversations/x/tracker/events", 404),
])
def test_unrouted_requests_get_short_vietnamese_json_not_an_english_page(method, path, status):
    """The fault (new-user check): Sanic's own English HTML pages ("⚠️ 405 — Method Not Allowed")."""
    gate = SenderGate("rest", SenderSigner(b"test-conversation-secret"), TRUSTED)

    async def go():
        async with served(("/webhooks/rest", CitizenRestInput(gate=gate).blueprint(FakeRasa()))) as call:
            return await call(method, path)

    response = asyncio.run(go())
    assert response.status == status
    assert response.json == {"error": {404: "Không tìm thấy.",
                                       405: "Phương thức không được hỗ trợ ở địa chỉ này."}[status]}
