"""When the action server is frozen, then down, the citizen gets the polite failure reply with the
hotline quickly on every channel: REST, the web page and Zalo (issue 15, item 8 and deliverable 4)."""
from __future__ import annotations

import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from bot.channels.failures import FAILURE_REPLY, LATE_REPLY
from scripts.servers import ServerError, running_assistant
from tests.fakes import zalo_api as fake_zalo
from tests.fakes.zalo_api import event, sign

pytestmark = pytest.mark.e2e

HOTLINE = "19009999"
FAILURE = FAILURE_REPLY.format(hotline=HOTLINE)
# On a busy machine the turn may pass REPLY_TIMEOUT before the action deadline ends it: the citizen is then
# told the answer will follow (and the failure reply follows). Either is polite and names the hotline.
POLITE = {FAILURE, LATE_REPLY.format(hotline=HOTLINE)}
QUESTION = "đăng ký khai sinh cần giấy tờ gì"  # answered by a custom action
BOUND_S = 10.0  # generous: the frozen action server would hold a reply for 60 s


class FrozenActionServer:
    """Accepts the Rasa server's calls and answers none of them for 60 s."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                time.sleep(60)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        """From now on the address refuses connections (the action server is down)."""
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture(scope="module")
def frozen():
    server = FrozenActionServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def broken_assistant(e2e_database, zalo_api, frozen, tmp_path_factory):
    """The assistant with its Rasa server calling the frozen action server."""
    _work, database_url = e2e_database
    env = {"HOTLINE": HOTLINE, "ACTION_SERVER_URL": frozen.url, "APP_ENV": "development",
           "ACTION_SERVER_TIMEOUT": "2", "REPLY_TIMEOUT": "2.5",  # the defaults
           **fake_zalo.environment(zalo_api)}
    try:
        with running_assistant(database_url, tmp_path_factory.mktemp("failures"), env=env) as running:
            yield running.url
    except ServerError as exc:
        pytest.fail(str(exc))


def _ask(url, path):
    sender = requests.post(f"{url}/webhooks/{path}/conversations", timeout=30).json()["sender"]
    started = time.monotonic()
    response = requests.post(f"{url}/webhooks/{path}/webhook", json={"sender": sender, "message": QUESTION},
                             timeout=120)
    return response, time.monotonic() - started


@pytest.mark.parametrize("path", ["rest", "webchat"])
def test_a_frozen_action_server_gives_the_failure_reply_quickly(broken_assistant, path):
    response, elapsed = _ask(broken_assistant, path)
    assert response.status_code == 200
    assert POLITE & {r.get("text") for r in response.json()}
    assert elapsed < BOUND_S


def test_a_frozen_action_server_gives_the_failure_reply_on_zalo(broken_assistant, zalo_api):
    zalo_api.clear()
    uid = f"zalo-fail-{uuid.uuid4().hex[:8]}"
    raw, headers = sign(event(uid, QUESTION))
    started = time.monotonic()
    assert requests.post(f"{broken_assistant}/webhooks/zalo/webhook", data=raw, headers=headers,
                         timeout=30).status_code == 200
    assert zalo_api.wait_for(lambda: zalo_api.messages_to(uid), timeout=60)
    assert time.monotonic() - started < BOUND_S
    assert POLITE & {m["text"] for m in zalo_api.messages_to(uid)}


def test_an_action_server_that_is_down_gives_the_failure_reply(broken_assistant, frozen, zalo_api):
    frozen.stop()
    for path in ("rest", "webchat"):
        response, elapsed = _ask(broken_assistant, path)
        assert response.status_code == 200 and POLITE & {r.get("text") for r in response.json()}
    zalo_api.clear()
    uid = f"zalo-down-{uuid.uuid4().hex[:8]}"
    raw, headers = sign(event(uid, QUESTION))
    requests.post(f"{broken_assistant}/webhooks/zalo/webhook", data=raw, headers=headers, timeout=30)
    assert zalo_api.wait_for(lambda: zalo_api.messages_to(uid), timeout=60)
    assert POLITE & {m["text"] for m in zalo_api.messages_to(uid)}
