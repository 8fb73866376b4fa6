"""Whose conversation is this (issue 15, item 2): signed senders for REST and the web page,
channel namespaces, and officer replies only on their own channel.

The REST and web page channels run in a real Sanic server (tests/fakes/sanic_server.py)
over a desk store on SQLite and PostgreSQL; Rasa is replaced by a handler that records
the conversation id it is given and answers "ok".
"""
from __future__ import annotations

import asyncio
import uuid
from typing import List

import pytest
import requests
from sanic import Sanic

from bot import runtime
from bot.channels.conversation_ids import SenderSigner, channel_user, reserved_namespace, tracker_id
from bot.channels.rest import CitizenRestInput
from bot.channels.sender_access import SenderGate
from bot.channels.webchat import WebChatInput
from officer_desk.store import DeskStore
from tests.fakes.sanic_server import serving

SECRET = b"unit-test-conversation-secret"
TRUSTED = "unit-test-rest-token"


# --- signing and namespaces ------------------------------------------------------------------
def test_issued_senders_verify_only_for_their_channel_and_secret():
    signer = SenderSigner(SECRET)
    sender = signer.issue("rest")
    random_part, signature = sender.split(".")
    assert len(random_part) == 24 and len(signature) == 43
    assert signer.verify("rest", sender)
    assert not signer.verify("webchat", sender)
    assert not SenderSigner(b"another-secret").verify("rest", sender)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for bad in (f"{random_part}.{flipped}", random_part, f"x{sender}", sender + "\x00", "", None, 42, sender.upper()):
        assert not signer.verify("rest", bad), bad
    assert len({signer.issue("rest") for _ in range(200)}) == 200
    with pytest.raises(ValueError):
        SenderSigner(b"")


def test_namespaces():
    assert tracker_id("zalo", "123") == "zalo:123"
    assert tracker_id("webchat", "abc") == "webchat:abc"
    assert tracker_id("rest", "abc") == "abc"
    assert channel_user("zalo", "zalo:123") == "123"
    assert channel_user("zalo", "123") is None and channel_user("zalo", "webchat:123") is None
    assert channel_user("zalo", "zalo:") is None
    assert reserved_namespace("zalo:1") == "zalo" and reserved_namespace(" WebChat:1") == "webchat"
    assert reserved_namespace("crm:1") is None and reserved_namespace("zalo-1") is None


# --- the channels over HTTP ---------------------------------------------------------------------
@pytest.fixture
def desk(engine):
    store = DeskStore(engine)
    runtime.set_desk_store(store)
    yield store
    runtime.set_desk_store(None)


class Served:
    def __init__(self, url: str, seen: List[str], signer: SenderSigner):
        self.url = url
        self.seen = seen  # conversation ids Rasa was given, in order
        self.signer = signer

    def post(self, channel: str, sender, message: str = "xin chào", token: str = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return requests.post(f"{self.url}/webhooks/{channel}/webhook", json={"sender": sender, "message": message},
                             headers=headers, timeout=30)

    def updates(self, channel: str, sender: str, token: str = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return requests.get(f"{self.url}/webhooks/{channel}/updates", params={"sender": sender}, headers=headers,
                            timeout=30)

    def new_sender(self, channel: str) -> str:
        response = requests.post(f"{self.url}/webhooks/{channel}/conversations", timeout=30)
        assert response.status_code == 200
        return response.json()["sender"]


def _serve(trusted_token: str):
    signer = SenderSigner(SECRET)
    seen: List[str] = []

    async def on_new_message(message) -> None:
        seen.append(message.sender_id)
        await message.output_channel.send_text_message(message.sender_id, "ok")

    app = Sanic(f"access_{uuid.uuid4().hex}")
    app.ctx.agent = None
    rest = CitizenRestInput(SenderGate("rest", signer, trusted_token))
    webchat = WebChatInput("'self'", SenderGate("webchat", signer, trusted_token))
    app.blueprint(rest.blueprint(on_new_message), url_prefix="/webhooks/rest")
    app.blueprint(webchat.blueprint(on_new_message), url_prefix="/webhooks/webchat")
    return app, seen, signer


@pytest.fixture
def served(desk):
    app, seen, signer = _serve(TRUSTED)
    with serving(app) as url:
        yield Served(url, seen, signer)


@pytest.fixture
def served_without_trusted_token(desk):
    app, seen, signer = _serve("")
    with serving(app) as url:
        yield Served(url, seen, signer)


def _officer_reply(desk: DeskStore, conversation_id: str, channel: str, text: str) -> None:
    ticket = desk.open_ticket(conversation_id, channel, "requested", [])
    desk.add_officer_message(ticket.id, "Cán bộ Lan", text)


def test_updates_refuse_a_sender_the_server_did_not_issue_and_keep_the_reply(served, desk):
    """Issue 15: GET /updates?sender=<someone's id> returned their officer replies and marked
    them delivered, so the citizen never got them."""
    _officer_reply(desk, "citizen-1", "rest", "Bạn mang thêm bản sao căn cước.")
    refused = served.updates("rest", "citizen-1")
    assert refused.status_code == 403
    assert "POST /webhooks/rest/conversations" in refused.json()["error"]
    assert [text for _id, _author, text in desk.waiting("citizen-1")] == ["Bạn mang thêm bản sao căn cước."]


def test_a_citizen_gets_their_own_replies_with_the_sender_the_server_issued(served, desk):
    sender = served.new_sender("rest")
    _officer_reply(desk, sender, "rest", "Chào bạn.")
    stranger = served.new_sender("rest")
    assert served.updates("rest", stranger).json() == []
    assert served.updates("webchat", sender).status_code == 403  # issued for REST, not for the page
    assert [m["text"] for m in served.updates("rest", sender).json()] == ["Chào bạn."]
    assert served.updates("rest", sender).json() == []


def test_zalo_replies_never_go_out_over_rest(served, desk):
    """Issue 15: a REST caller with sender=<Zalo user id> took the Zalo user's officer replies."""
    _officer_reply(desk, "zalo:u1", "zalo", "Cho người dùng Zalo.")
    _officer_reply(desk, "u2", "zalo", "Vé cũ, trước khi có không gian tên.")  # a ticket from before namespacing
    for sender in ("u1", "zalo:u1", "u2"):
        assert served.updates("rest", sender).status_code == 403
    refused = served.updates("rest", "zalo:u1", token=TRUSTED)
    assert refused.status_code == 403 and "zalo" in refused.json()["error"]
    assert served.updates("rest", "u1", token=TRUSTED).json() == []
    assert served.updates("rest", "u2", token=TRUSTED).json() == []  # the ticket is Zalo's: not for REST
    assert len(desk.waiting("zalo:u1")) == 1 and len(desk.waiting("u2")) == 1


def test_the_webhook_takes_only_issued_senders(served):
    sender = served.new_sender("rest")
    ok = served.post("rest", sender)
    assert ok.status_code == 200 and [r["text"] for r in ok.json()] == ["ok"]
    assert served.seen == [sender]
    for bad in ("nguoi-dan-1", sender[:-2] + "zz", served.new_sender("webchat"), "zalo:u1"):
        refused = served.post("rest", bad)
        assert refused.status_code == 403, bad
        assert "POST /webhooks/rest/conversations" in refused.json()["error"]
    assert served.seen == [sender], "nothing reached Rasa"


def test_trusted_integrations_use_their_own_ids_outside_other_namespaces(served):
    assert served.post("rest", "crm-42", token=TRUSTED).status_code == 200
    assert served.post("webchat", "kiosk-7", token=TRUSTED).status_code == 200
    wrong = served.post("rest", "crm-42", token="not-it")
    assert wrong.status_code == 401 and "REST_API_TOKEN" in wrong.json()["error"]
    for foreign in ("zalo:123", "ZALO:123", "webchat:abc"):
        assert served.post("rest", foreign, token=TRUSTED).status_code == 403, foreign
    assert served.seen == ["crm-42", "webchat:kiosk-7"]


def test_the_web_page_conversations_are_namespaced(served, desk):
    sender = served.new_sender("webchat")
    assert served.post("webchat", sender).status_code == 200
    assert served.seen == [f"webchat:{sender}"]
    _officer_reply(desk, f"webchat:{sender}", "webchat", "Cán bộ trả lời trang chat.")
    assert served.updates("rest", sender, token=TRUSTED).json() == []  # REST's "<sender>" is another conversation
    assert [m["text"] for m in served.updates("webchat", sender).json()] == ["Cán bộ trả lời trang chat."]


def test_without_rest_api_token_no_bearer_is_accepted(served_without_trusted_token):
    served = served_without_trusted_token
    refused = served.post("rest", "crm-42", token="")
    assert refused.status_code == 401 and "REST_API_TOKEN" in refused.json()["error"]
    assert served.post("rest", "crm-42", token="anything").status_code == 401
    assert served.seen == []


# --- Zalo ---------------------------------------------------------------------------------------
class FakeZaloClient:
    def __init__(self):
        self.sent = []
        self.tokens = None

    async def send(self, user_id, message, retry=True):
        self.sent.append((user_id, message.get("text")))

    async def close(self):
        return None


def _zalo_channel(engine):
    from bot.channels.zalo.channel import ZaloInput
    from bot.channels.zalo.config import ZaloSettings
    from bot.channels.zalo.store import ChannelStore

    client = FakeZaloClient()
    settings = ZaloSettings(app_id="app", oa_secret_key="oa")
    return ZaloInput(settings, store=ChannelStore(engine), client=client), client


def test_a_zalo_user_talks_in_the_zalo_namespace(desk, engine):
    """Issue 15: the Zalo channel used the Zalo user id itself as the conversation id, so a REST
    POST with sender=<Zalo user id> continued that user's conversation."""
    from bot.channels.zalo import events
    from tests.fakes.zalo_api import event

    channel, client = _zalo_channel(engine)
    seen = []

    async def on_new_message(message) -> None:
        seen.append((message.sender_id, message.input_channel))
        await message.output_channel.send_text_message(message.sender_id, "ok")

    sent = asyncio.run(channel.handle(events.parse(event("u1", "xin chào")), on_new_message, None))
    assert seen == [("zalo:u1", "zalo")]
    assert sent == 1 and client.sent == [("u1", "ok")]


def test_officer_replies_are_pushed_to_the_zalo_user_of_the_conversation_only(desk, engine):
    channel, client = _zalo_channel(engine)
    _officer_reply(desk, "zalo:u1", "zalo", "Chào bạn Zalo.")
    _officer_reply(desk, "u9", "rest", "Cho người dùng REST.")
    assert asyncio.run(channel.push("u9")) == 0  # not a Zalo conversation: nothing sent
    assert asyncio.run(channel.push("zalo:u1")) == 1
    assert client.sent == [("u1", "Chào bạn Zalo.")]
    assert desk.waiting("zalo:u1") == [] and len(desk.waiting("u9")) == 1


# --- wiring -------------------------------------------------------------------------------------
def test_the_rasa_server_refuses_a_demo_conversation_secret_outside_development():
    from settings import Settings, SettingsError

    runtime.reset()
    try:
        runtime.configure(Settings.from_env({"APP_ENV": "production", "REST_API_TOKEN": "t"}))
        with pytest.raises(SettingsError, match="CONVERSATION_SECRET"):
            CitizenRestInput.from_credentials({})
        runtime.configure(Settings.from_env({"APP_ENV": "production", "CONVERSATION_SECRET": "s" * 32}))
        gate = CitizenRestInput.from_credentials({}).gate
        assert gate.signer.verify("rest", SenderSigner(b"s" * 32).issue("rest"))
        runtime.configure(Settings.from_env({"APP_ENV": "development"}))
        assert WebChatInput.from_credentials({}).gate.channel == "webchat"  # the demo secret, in development
    finally:
        runtime.reset()


# --- the client behind a message (for the dossier look-up limits) -------------------------------
def test_the_channel_names_the_client_by_a_keyed_hash_and_a_caller_cannot_choose_it(desk):
    """Issue 15, item 5: rotating conversation ids from one client must not escape the per-client
    look-up limits, so the channel (not the caller) says who the client is."""
    signer = SenderSigner(SECRET)
    metadata: List[dict] = []

    async def on_new_message(message) -> None:
        metadata.append(message.metadata)
        await message.output_channel.send_text_message(message.sender_id, "ok")

    app = Sanic(f"client_{uuid.uuid4().hex}")
    app.ctx.agent = None
    app.blueprint(CitizenRestInput(SenderGate("rest", signer)).blueprint(on_new_message), url_prefix="/webhooks/rest")
    with serving(app) as url:
        def post(extra: dict) -> None:
            sender = requests.post(f"{url}/webhooks/rest/conversations", timeout=30).json()["sender"]
            response = requests.post(f"{url}/webhooks/rest/webhook", timeout=30,
                                     json={"sender": sender, "message": "tra cứu hồ sơ", **extra})
            assert response.status_code == 200

        post({})
        post({"metadata": {"client_key": "chosen-by-the-caller", "page": "trang-chu"}})
    first, second = metadata
    assert first["client_key"] == second["client_key"] == signer.client_key("127.0.0.1")
    assert second["page"] == "trang-chu"  # the caller's own small metadata stays
    assert "127.0.0.1" not in str(first)  # the address itself is not kept in the conversation
    assert signer.client_key("127.0.0.1") != SenderSigner(b"another-secret").client_key("127.0.0.1")
