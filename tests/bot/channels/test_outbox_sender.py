"""The outbox sender with a stand-in channel: sent once, backoff, rate-limit
pause, permanent refusals, two senders at once (SQLite and PostgreSQL)."""
from __future__ import annotations

import asyncio
import datetime as dt

from bot.channels.outbox import PERMANENT, RATE_LIMITED, RETRY, DeliveryError, OutboxSender, Policy
from storage import outbox
from storage.base import utcnow
from storage.engine import make_engine
from storage.outbox import FAILED, PENDING, SENT, OutboxMessage, OutboxStore

FAST = Policy(base=0.0, cap=0.0, max_attempts=3, rate_limit_pause=3600.0, lease=60.0, poll=0.01)


class Channel:
    """Records what it was given; answers each call with the next scripted error, if any."""

    def __init__(self, errors=()):
        self.errors = list(errors)
        self.got = []

    async def __call__(self, row, progress):
        if self.errors:
            error = self.errors.pop(0)
            if error is not None:
                raise error
        self.got.append((row.recipient, row.payload["text"]))


def add(store, recipient, text):
    with store.sessions.begin() as session:
        outbox.enqueue(session, "zalo", recipient, {"text": text}, f"{recipient}:{text}")


def rows(store):
    with store.sessions() as session:
        return {r.payload["text"]: (r.status, r.attempts, r.last_error) for r in session.query(OutboxMessage)}


def test_sent_once_in_order_and_retried_after_an_outage(engine):
    store = OutboxStore(engine)
    channel = Channel([DeliveryError("http_503", RETRY)])
    sender = OutboxSender(lambda: store, "zalo", channel, policy=FAST)
    for text in ("một", "hai", "ba"):
        add(store, "u1", text)
    assert asyncio.run(sender.flush("u1")) == 0, "the first try failed: what follows waits"
    assert rows(store)["một"] == (PENDING, 1, "http_503")
    assert asyncio.run(sender.flush("u1")) == 3
    assert channel.got == [("u1", "một"), ("u1", "hai"), ("u1", "ba")]
    assert asyncio.run(sender.flush("u1")) == 0 and len(channel.got) == 3


def test_backoff_doubles_up_to_the_cap_and_gives_up():
    policy = Policy(base=1.0, cap=600.0)
    assert [policy.delay(n) for n in range(12)] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600]


def test_a_retry_is_not_due_before_its_backoff(engine):
    store = OutboxStore(engine)
    sender = OutboxSender(lambda: store, "zalo", Channel([DeliveryError(-14014, RETRY)] * 5),
                          policy=Policy(base=300.0))
    add(store, "u1", "một")
    asyncio.run(sender.run_once())
    with store.sessions() as session:
        row = session.query(OutboxMessage).one()
        assert row.next_attempt_at > utcnow() + dt.timedelta(seconds=200)
    assert asyncio.run(sender.run_once()) == 0 and rows(store)["một"] == (PENDING, 1, "-14014")


def test_out_of_attempts_is_failed(engine):
    store = OutboxStore(engine)
    sender = OutboxSender(lambda: store, "zalo", Channel([DeliveryError("http_503", RETRY)] * 3), policy=FAST)
    add(store, "u1", "một")
    for _ in range(4):
        asyncio.run(sender.run_once())
    assert rows(store)["một"] == (FAILED, 3, "http_503")


def test_rate_limit_pauses_the_channel_without_counting_an_attempt(engine):
    store = OutboxStore(engine)
    channel = Channel([DeliveryError(-32, RATE_LIMITED)])
    sender = OutboxSender(lambda: store, "zalo", channel, policy=FAST)
    add(store, "u1", "một")
    add(store, "u2", "hai")
    asyncio.run(sender.flush("u1"))
    assert rows(store)["một"] == (PENDING, 0, "-32")
    assert asyncio.run(sender.run_once()) == 0 and channel.got == [], "paused: u2 waits too"
    sender._paused_until = 0.0  # the pause is over
    with store.sessions.begin() as session:
        for row in session.query(OutboxMessage):
            row.next_attempt_at = utcnow()
    assert asyncio.run(sender.run_once()) == 2


def test_a_permanent_refusal_fails_at_once_and_is_reported(engine):
    store = OutboxStore(engine)
    reported = []
    sender = OutboxSender(lambda: store, "zalo", Channel([DeliveryError(-213, PERMANENT)]), policy=FAST,
                          on_failed=lambda session, line, code: reported.append((line, code)))
    with store.sessions.begin() as session:
        outbox.enqueue(session, "zalo", "u1", {"text": "cán bộ trả lời"}, "handoff:7", handoff_message_id=7)
    add(store, "u1", "sau đó")
    assert asyncio.run(sender.flush("u1")) == 0
    assert rows(store)["cán bộ trả lời"] == (FAILED, 1, "-213") and reported == [(7, "-213")]
    assert asyncio.run(sender.flush("u1")) == 1 and rows(store)["sau đó"][0] == SENT


def test_two_senders_at_once_send_every_row_once(engine):
    """Two Rasa servers (their own engines) with their background loops on one table."""
    url = engine.url.render_as_string(hide_password=False)
    seeded = OutboxStore(engine)
    for n in range(40):
        add(seeded, f"user-{n % 8}", f"m{n:02d}")
    engines = [make_engine(url), make_engine(url)]
    got = []

    async def both():
        senders = []
        for e in engines:
            store = OutboxStore(e)

            async def deliver(row, progress, got=got):
                await asyncio.sleep(0.001)
                got.append((row.recipient, row.payload["text"]))

            senders.append(OutboxSender(lambda store=store: store, "zalo", deliver, policy=FAST))
        for sender in senders:
            sender.start()
        for _ in range(2000):
            if len(got) >= 40 and all(status == SENT for status, _, _ in rows(seeded).values()):
                break
            await asyncio.sleep(0.01)
        for sender in senders:
            await sender.stop()

    try:
        asyncio.run(both())
    finally:
        for e in engines:
            e.dispose()
    assert sorted(text for _, text in got) == [f"m{n:02d}" for n in range(40)]
    for user in {u for u, _ in got}:
        texts = [t for u, t in got if u == user]
        assert texts == sorted(texts)
