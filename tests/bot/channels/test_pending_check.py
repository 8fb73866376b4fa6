"""What waits for a citizen, asked on every turn in one statement (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from bot.channels.pending_check import PendingCheck
from bot.channels.zalo.store import ChannelStore
from officer_desk.store import DeskStore


@pytest.fixture
def stores(engine):
    return DeskStore(engine), ChannelStore(engine), PendingCheck.beside(engine)


def test_nothing_waits_in_one_select(stores):
    desk, _, check = stores
    desk.open_ticket("rest-1", "rest", "handoff", [])  # a ticket, but nothing for the citizen yet
    seen = []
    event.listen(check.engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: seen.append(statement))
    assert check.waiting("rest-1", "rest") == (False, False)
    assert len(seen) == 1 and seen[0].lstrip().upper().startswith("SELECT")
    check.engine.dispose()


def test_an_officer_notice_waits_only_on_its_own_channel_until_taken(stores):
    desk, _, check = stores
    ticket = desk.open_ticket("c-1", "rest", "handoff", [])
    desk.add_bot_notice(ticket.id, "Cán bộ đã trả lời.")
    assert check.waiting("c-1", "rest") == (True, False)
    assert check.waiting("c-1", "webchat") == (False, False)
    assert check.waiting("c-2", "rest") == (False, False)
    assert desk.take_undelivered("c-1", "rest") == [("bot", "Cán bộ đã trả lời.")]
    assert check.waiting("c-1", "rest") == (False, False)
    check.engine.dispose()


def test_kept_replies_wait_until_taken(stores):
    _, channels, check = stores
    channels.keep_replies("rest", "c-3", [{"text": "Lệ phí: 8.000 đồng"}], "late:test")
    assert check.waiting("c-3", "rest") == (False, True)
    assert check.waiting("c-3", "zalo") == (False, False)
    assert channels.take_replies("rest", "c-3") == [{"text": "Lệ phí: 8.000 đồng"}]
    assert check.waiting("c-3", "rest") == (False, False)
    check.engine.dispose()
