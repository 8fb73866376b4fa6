"""Zalo replies and officer messages through the outbox, against the fake
Zalo API with a real database (SQLite and PostgreSQL): Zalo's errors (-220,
-32, a permanent refusal), and what survives a restart (an event recorded
but not processed, an officer reply queued but not sent)."""
from __future__ import annotations

import asyncio
import dataclasses

import pytest

from bot.channels.outbox import Policy
from bot.channels.zalo import events
from bot.channels.zalo.channel import ZaloInput
from bot.channels.zalo.client import TokenKeeper, ZaloClient
from bot.channels.zalo.config import ZaloSettings
from bot.channels.zalo.store import ChannelStore
from officer_desk.store import DeskStore
from settings import Settings
from storage import outbox
from storage.outbox import FAILED, PENDING, SENT, OutboxMessage
from tests.fakes import zalo_api as fake_zalo
from tests.fakes.zalo_api import FakeZalo, event


@pytest.fixture(scope="module")
def fake():
    server = FakeZalo().start()
    yield server
    server.stop()


@pytest.fixture
def zalo(fake):
    fake.reset()
    return fake


@pytest.fixture
def store(engine):
    return ChannelStore(engine)


@pytest.fixture
def desk(engine):
    return DeskStore(engine)


def server(fake, store):
    """A Rasa server's Zalo channel (a new one stands for a restarted process)."""
    settings = ZaloSettings.from_settings(Settings.from_env(fake_zalo.environment(fake)))
    channel = ZaloInput(settings, store=store,
                        client=ZaloClient(settings, TokenKeeper(settings, lambda: store), retry_delays=()))
    channel.sender.policy = Policy(base=0.0, cap=0.0, rate_limit_pause=3600.0, poll=0.01)
    return channel


def run(channel, coroutine):
    async def wrapped():
        try:
            return await coroutine
        finally:
            await channel.client.close()

    return asyncio.run(wrapped())


async def answer(message):
    """Rasa standing in: one reply per message."""
    await message.output_channel.send_text_message(message.sender_id, f"Trả lời: {message.text}")


def outbox_rows(store):
    with store.sessions() as session:
        return [(r.recipient, r.status, r.last_error) for r in session.query(OutboxMessage).order_by(OutboxMessage.id)]


def officer_lines(desk, ticket_id):
    return [(m.text[:20], m.delivered_at is not None, m.delivery_error)
            for m in desk.ticket(ticket_id).messages if m.author == "officer"]


# --- Zalo's errors ------------------------------------------------------------------
def test_minus_220_is_taken_as_an_expired_token_refreshed_and_the_message_sent(zalo, store):
    zalo.expired_code = -220  # Zalo reports the expired token under another code
    zalo.expire_access_token()
    channel = server(zalo, store)
    with store.sessions.begin() as session:
        outbox.enqueue(session, "zalo", "zalo:u1", {"text": "Xin chào"}, "k1")
    assert run(channel, channel.push("zalo:u1")) == 1
    assert len(zalo.refreshes) == 1 and zalo.sent[-1]["token"] == "access-1"
    assert run(channel, channel.push("zalo:u1")) == 0, "and not twice"


def test_officer_reply_to_zalo_goes_through_the_outbox_split_and_marked_delivered(zalo, store, desk):
    ticket = desk.open_ticket("zalo:u1", "zalo", "requested", [])
    long_reply = " ".join(["Bạn chuẩn bị tờ khai và giấy tờ tùy thân."] * 80)
    desk.add_officer_message(ticket.id, "Cán bộ Hà", long_reply)
    rest_ticket = desk.open_ticket("r1", "rest", "requested", [])
    desk.add_officer_message(rest_ticket.id, "Cán bộ Hà", "Chào bạn")  # REST collects it next turn
    assert outbox_rows(store) == [("zalo:u1", PENDING, None)]
    channel = server(zalo, store)
    assert run(channel, channel.push("zalo:u1")) == 1
    assert len(zalo.messages_to("u1")) == 2 and all(len(m["text"]) <= 2000 for m in zalo.messages_to("u1"))
    assert officer_lines(desk, ticket.id) == [(long_reply[:20], True, None)]


def test_a_part_zalo_took_is_not_sent_again(zalo, store, desk):
    ticket = desk.open_ticket("zalo:u1", "zalo", "requested", [])
    desk.add_officer_message(ticket.id, "Cán bộ Hà", "\n\n".join(["Đoạn một. " * 150, "Đoạn hai. " * 150]))
    channel = server(zalo, store)
    outbox_store = store.outbox
    (row,) = outbox_store.claim(60)
    outbox_store.progress(row.id, 1)  # the first part went out, then the process stopped
    outbox_store.retry(row.id, "http_503", delay=0)
    assert run(channel, channel.push("zalo:u1")) == 1
    (only,) = zalo.messages_to("u1")
    assert only["text"].startswith("Đoạn hai.")


def test_rate_limit_keeps_the_message_and_pauses(zalo, store, desk):
    ticket = desk.open_ticket("zalo:u1", "zalo", "requested", [])
    desk.add_officer_message(ticket.id, "Cán bộ Hà", "Bạn chờ nhé.")
    zalo.rate_limit = 1
    channel = server(zalo, store)
    assert run(channel, channel.push("zalo:u1")) == 0
    assert outbox_rows(store) == [("zalo:u1", PENDING, "-32")] and zalo.sent == []
    assert officer_lines(desk, ticket.id) == [("Bạn chờ nhé.", False, None)]
    assert run(channel, channel.push("zalo:u1")) == 0 and zalo.calls == 1, "paused: Zalo is not asked again"
    restarted = server(zalo, store)  # after the pause (here: a new process, due at once)
    with store.sessions.begin() as session:
        session.query(OutboxMessage).update({"next_attempt_at": OutboxMessage.created_at})
    assert run(restarted, restarted.push("zalo:u1")) == 1
    assert officer_lines(desk, ticket.id) == [("Bạn chờ nhé.", True, None)]


def test_a_permanent_refusal_is_failed_and_shown_on_the_ticket(zalo, store, desk):
    ticket = desk.open_ticket("zalo:u1", "zalo", "requested", [])
    desk.add_officer_message(ticket.id, "Cán bộ Hà", "Bạn chờ nhé.")
    zalo.refuse_users["u1"] = -213  # the user no longer follows the OA
    channel = server(zalo, store)
    assert run(channel, channel.push("zalo:u1")) == 0
    assert outbox_rows(store) == [("zalo:u1", FAILED, "-213")]
    assert officer_lines(desk, ticket.id) == [("Bạn chờ nhé.", False, "-213")]
    assert zalo.calls == 1
    assert run(channel, channel.push("zalo:u1")) == 0 and zalo.calls == 1, "not tried again"


# --- restarts -----------------------------------------------------------------------------
def test_an_event_recorded_before_a_crash_is_processed_once_after_the_restart(zalo, store):
    recorded = events.parse(event("u1", "lệ phí làm hộ chiếu", msg_id="m-1"))
    # The webhook recorded it and answered 200, then the process died: its lease is over.
    assert store.record_event("zalo", recorded.event_id, dataclasses.asdict(recorded), lease=-1)
    held = events.parse(event("u2", "đang xử lý", msg_id="m-2"))
    store.record_event("zalo", held.event_id, dataclasses.asdict(held), lease=600)  # another server has it
    restarted = server(zalo, store)

    async def start_up():
        taken = await restarted.take_up_unprocessed(answer, None)
        await restarted.wait_idle()
        return taken, await restarted.take_up_unprocessed(answer, None)

    assert run(restarted, start_up()) == (1, 0)
    assert [m["text"] for m in zalo.messages_to("u1")] == ["Trả lời: lệ phí làm hộ chiếu"]
    assert zalo.messages_to("u2") == []
    again = server(zalo, store)  # and another restart finds nothing left to do
    assert run(again, again.take_up_unprocessed(answer, None)) == 0
    assert len(zalo.messages_to("u1")) == 1


def test_an_event_processed_twice_is_answered_once(zalo, store):
    """The process died after Rasa answered but before the event was marked: the replies are keyed by event."""
    recorded = events.parse(event("u1", "xin chào", msg_id="m-1"))
    store.record_event("zalo", recorded.event_id, dataclasses.asdict(recorded), lease=60)
    channel = server(zalo, store)

    async def twice():
        await channel.handle(recorded, answer, None)
        await channel.handle(recorded, answer, None)

    run(channel, twice())
    assert [m["text"] for m in zalo.messages_to("u1")] == ["Trả lời: xin chào"]
    assert outbox_rows(store) == [("zalo:u1", SENT, None)]


def test_an_officer_reply_queued_before_a_crash_is_sent_once_after_the_restart(zalo, store, desk):
    ticket = desk.open_ticket("zalo:u1", "zalo", "requested", [])
    desk.add_officer_message(ticket.id, "Cán bộ Hà", "Một")  # committed; the process died before sending
    desk.add_officer_message(ticket.id, "Cán bộ Hà", "Hai")
    (row,) = store.outbox.claim(lease=-1)  # "Một" was being sent when the process died (lease over)
    restarted = server(zalo, store)

    async def start_up():
        restarted.sender.start()
        for _ in range(500):
            if len(zalo.sent) >= 2:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)
        await restarted.sender.stop()

    run(restarted, start_up())
    assert [m["text"] for m in zalo.messages_to("u1")] == ["Một", "Hai"]
    assert officer_lines(desk, ticket.id) == [("Một", True, None), ("Hai", True, None)]
