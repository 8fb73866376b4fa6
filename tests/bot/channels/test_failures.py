"""The Rasa server's call to the action server: down, frozen or failing gives the citizen the polite
failure reply with the hotline, quickly, once per turn (issue 15, item 8)."""
from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.channels import failures
from scripts.servers import free_port
from tests.bot.channels.conftest import HOTLINE

FAILURE = failures.FAILURE_REPLY.format(hotline=HOTLINE)


async def _http_server(status: int, body: bytes, delay: float = 0.0):
    """A loopback server answering every request with `status` and `body` after `delay` seconds."""

    async def handle(reader, writer):
        await reader.read(65536)
        await asyncio.sleep(delay)
        writer.write(b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                     % (status, len(body), body))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/webhook"


async def _run_action(url: str):
    failures.install()
    domain = Domain.empty()
    action = RemoteAction("action_answer_question", EndpointConfig(url))
    return await action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses),
                            DialogueStateTracker("s1", []), domain)


def _texts(events):
    return [e.text for e in events if isinstance(e, BotUttered)]


def test_action_server_down_gives_the_failure_reply(wiring):
    events = asyncio.run(_run_action(f"http://127.0.0.1:{free_port()}/webhook"))
    assert _texts(events) == [FAILURE] and HOTLINE in FAILURE


def test_frozen_action_server_gives_the_failure_reply_without_waiting_for_it(wiring):
    async def scenario():
        server, url = await _http_server(200, b'{"events": [], "responses": []}', delay=60)
        try:
            started = time.monotonic()
            events = await _run_action(url)
            return events, time.monotonic() - started
        finally:
            server.close()

    events, elapsed = asyncio.run(scenario())
    assert _texts(events) == [FAILURE] and elapsed < 10


@pytest.mark.parametrize("status, body", [(500, b"oops"), (200, b"not json"), (200, b'{"events": "x"}')])
def test_an_action_server_error_gives_the_failure_reply(wiring, status, body):
    async def scenario():
        server, url = await _http_server(status, body)
        try:
            return await _run_action(url)
        finally:
            server.close()

    assert _texts(asyncio.run(scenario())) == [FAILURE]


def test_a_working_action_server_is_unchanged(wiring):
    async def scenario():
        server, url = await _http_server(200, b'{"events": [], "responses": [{"text": "Xin ch\\u00e0o"}]}')
        try:
            return await _run_action(url)
        finally:
            server.close()

    assert _texts(asyncio.run(scenario())) == ["Xin chào"]


def test_a_form_rejection_still_reaches_rasa(wiring):
    async def scenario():
        server, url = await _http_server(400, b'{"action_name": "action_answer_question", "error": "no"}')
        try:
            return await _run_action(url)
        finally:
            server.close()

    with pytest.raises(ActionExecutionRejection):
        asyncio.run(scenario())


def test_the_failure_is_said_once_per_turn(wiring):
    async def turn():
        url = f"http://127.0.0.1:{free_port()}/webhook"
        return await _run_action(url) + await _run_action(url)

    async def scenario():
        return await failures.guarded(turn(), timeout=10)

    events, state = asyncio.run(scenario())
    assert _texts(events) == [FAILURE] and state.action_failed


def test_a_late_turn_finishes_in_the_background(wiring):
    done = []

    async def slow_turn():
        await asyncio.sleep(0.5)
        done.append(True)
        return "late"

    async def scenario():
        result, state = await failures.guarded(slow_turn(), timeout=0.05)
        assert result is None and state is not None
        await asyncio.sleep(1.5)

    asyncio.run(scenario())
    assert done == [True]
