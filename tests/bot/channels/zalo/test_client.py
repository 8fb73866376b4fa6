"""The Zalo client against the fake Zalo API, with tokens and seen events in a
real database (SQLite and PostgreSQL)."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging

import pytest

from bot.channels.zalo.client import TokenKeeper, ZaloClient, ZaloError
from bot.channels.zalo.config import ZaloSettings
from bot.channels.zalo.store import ChannelEvent, ChannelStore, Tokens
from settings import Settings
from tests.fakes import zalo_api as fake_zalo
from tests.fakes.zalo_api import FakeZalo


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


def settings_for(fake, **overrides):
    env = fake_zalo.environment(fake)
    env.update({key: value for key, value in overrides.items()})
    return ZaloSettings.from_settings(Settings.from_env(env))


def client_for(settings, store):
    return ZaloClient(settings, TokenKeeper(settings, lambda: store), retry_delays=(0.05, 0.1))


async def _run(client, coroutine):
    try:
        return await coroutine
    finally:
        await client.close()


def test_sends_with_the_access_token_header(zalo, store):
    client = client_for(settings_for(zalo), store)
    result = asyncio.run(_run(client, client.send("u1", {"text": "Xin chào"})))
    assert result["error"] == 0
    assert [(m["user_id"], m["message"], m["token"]) for m in zalo.sent] == [("u1", {"text": "Xin chào"}, "access-0")]


def test_expired_token_is_refreshed_once_kept_in_the_database_and_the_message_sent(zalo, store):
    settings = settings_for(zalo)
    client = client_for(settings, store)
    zalo.expire_access_token()

    async def several():
        return await asyncio.gather(*(client.send(f"u{n}", {"text": f"tin {n}"}) for n in range(4)))

    results = asyncio.run(_run(client, several()))
    assert [r["error"] for r in results] == [0, 0, 0, 0]
    assert len(zalo.refreshes) == 1, "concurrent senders share one refresh"
    assert {item["token"] for item in zalo.sent} == {"access-1"}
    # A new process (same environment) starts from the refreshed pair, not the used-up one.
    assert store.current_tokens(settings.token_key, Tokens("access-0", "refresh-0")) == Tokens(
        "access-1", "refresh-1", store.current_tokens(settings.token_key, None).expires_at
    )
    again = client_for(settings, store)
    asyncio.run(_run(again, again.send("u9", {"text": "sau khi khởi động lại"})))
    assert zalo.sent[-1]["token"] == "access-1" and len(zalo.refreshes) == 1


def test_a_second_process_takes_the_pair_the_first_one_refreshed(zalo, store):
    settings = settings_for(zalo)
    first, second = client_for(settings, store), client_for(settings, store)
    asyncio.run(_run(second, second.send("u0", {"text": "trước"})))  # the second process holds access-0
    zalo.expire_access_token()
    asyncio.run(_run(first, first.send("u1", {"text": "một"})))  # refreshes: refresh-0 is used up
    asyncio.run(_run(second, second.send("u2", {"text": "hai"})))  # -216, then reads the database
    assert len(zalo.refreshes) == 1
    assert [m["token"] for m in zalo.sent] == ["access-0", "access-1", "access-1"]


def test_an_operator_supplied_pair_replaces_the_stored_one(store):
    key = "zalo:app"
    store.current_tokens(key, Tokens("a0", "r0"))
    store.save_tokens(key, Tokens("a1", "r1", dt.datetime(2030, 1, 1)))
    assert store.current_tokens(key, Tokens("a0", "r0")).access_token == "a1"  # same seed: the refreshed pair
    assert store.current_tokens(key, Tokens("a5", "r5")).access_token == "a5"  # new seed from the operator
    assert store.current_tokens(key, None).refresh_token == "r5"
    assert store.current_tokens("zalo:other", None) is None


def test_only_a_refresh_token_is_enough(zalo, store):
    settings = settings_for(zalo, ZALO_ACCESS_TOKEN="")
    client = client_for(settings, store)
    asyncio.run(_run(client, client.send("u1", {"text": "chào"})))
    assert len(zalo.refreshes) == 1 and zalo.sent[0]["token"] == "access-1"


def test_refresh_refused_is_an_error_not_a_loop(zalo, store):
    client = client_for(settings_for(zalo, ZALO_APP_SECRET_KEY="wrong"), store)
    zalo.expire_access_token()
    with pytest.raises(ZaloError) as caught:
        asyncio.run(_run(client, client.send("u1", {"text": "chào"})))
    assert caught.value.code == -14014
    assert len(zalo.refreshes) == 1 and zalo.sent == []


def test_a_short_outage_is_retried_and_a_long_one_reported(zalo, store, caplog):
    client = client_for(settings_for(zalo), store)
    zalo.outage = 2
    asyncio.run(_run(client, client.send("u1", {"text": "lần 1"})))
    assert len(zalo.sent) == 1 and zalo.failed_calls == 2
    zalo.down = True
    client = client_for(settings_for(zalo), store)
    with caplog.at_level(logging.DEBUG), pytest.raises(ZaloError) as caught:
        asyncio.run(_run(client, client.send("u-secret-id", {"text": "nội dung riêng tư"})))
    assert caught.value.code == "http_503" and caught.value.retriable
    assert "u-secret-id" not in caplog.text and "riêng tư" not in caplog.text


def test_zalo_unreachable(store):
    settings = ZaloSettings.from_settings(Settings.from_env({
        "ZALO_APP_ID": "a", "ZALO_ACCESS_TOKEN": "t", "ZALO_API_URL": "http://127.0.0.1:9", "ZALO_TIMEOUT": "2"}))
    client = client_for(settings, store)
    with pytest.raises(ZaloError) as caught:
        asyncio.run(_run(client, client.send("u1", {"text": "chào"})))
    assert caught.value.retriable


def test_a_refused_message_is_reported_with_zalos_code(zalo, store):
    client = client_for(settings_for(zalo), store)
    with pytest.raises(ZaloError) as caught:
        asyncio.run(_run(client, client.send("u1", {"text": "x" * 2001})))
    assert caught.value.code == -201 and not caught.value.retriable


def test_seen_events_are_recorded_once_and_purged(store, engine):
    def first_time(channel, event_id):
        return store.record_event(channel, event_id, {"name": "user_send_text"}, lease=60)

    assert first_time("zalo", "msg-1") is True
    assert first_time("zalo", "msg-1") is False
    assert first_time("web", "msg-1") is True  # per channel
    assert first_time("zalo", "m" * 500) is True  # long ids are cut, not refused
    assert store.purge_events(dt.timedelta(days=2)) == 0
    with store.sessions.begin() as session:
        for row in session.query(ChannelEvent):
            row.received_at = row.received_at - dt.timedelta(days=3)
    assert store.purge_events(dt.timedelta(days=2)) == 3
    assert first_time("zalo", "msg-1") is True
