"""The outbox table: written inside the caller's transaction, claimed once,
in order per recipient, retried, failed; on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from storage import outbox
from storage.engine import make_engine
from storage.outbox import FAILED, PENDING, SENDING, SENT, OutboxMessage, OutboxStore

LEASE = 60.0


@pytest.fixture
def store(engine):
    return OutboxStore(engine)


def add(store, recipient, text, key=None, channel="zalo"):
    with store.sessions.begin() as session:
        outbox.enqueue(session, channel, recipient, {"text": text}, key or f"{recipient}:{text}")


def statuses(store):
    with store.sessions() as session:
        return {row.idempotency_key: row.status for row in session.query(OutboxMessage)}


def test_written_in_the_callers_transaction_and_a_key_only_once(store):
    with pytest.raises(RuntimeError):
        with store.sessions.begin() as session:
            outbox.enqueue(session, "zalo", "u1", {"text": "mất"}, "k-rolled-back")
            raise RuntimeError("the cause failed: nothing is sent")
    add(store, "u1", "một", key="k1")
    add(store, "u1", "lần nữa", key="k1")  # the same reply written again (a retried event)
    assert statuses(store) == {"k1": PENDING}
    (row,) = store.claim(LEASE)
    assert (row.recipient, row.payload, row.attempts, row.parts_sent) == ("u1", {"text": "một"}, 0, 0)
    assert statuses(store) == {"k1": SENDING}
    store.sent(row.id)
    assert statuses(store) == {"k1": SENT}
    assert store.claim(LEASE) == []


def test_one_row_per_recipient_at_a_time_in_order(store):
    for text in ("a1", "a2", "a3"):
        add(store, "A", text)
    add(store, "B", "b1")
    first = store.claim(LEASE)
    assert sorted(r.payload["text"] for r in first) == ["a1", "b1"]
    assert store.claim(LEASE) == [], "a2 waits until a1 is done"
    for row in first:
        store.sent(row.id)
    assert [r.payload["text"] for r in store.claim(LEASE, recipient="A")] == ["a2"]


def test_retry_waits_fail_unblocks_and_a_dead_senders_lease_runs_out(store):
    add(store, "A", "a1")
    add(store, "A", "a2")
    (row,) = store.claim(LEASE)
    store.retry(row.id, -32, delay=3600, count_attempt=False)
    assert store.claim(LEASE) == [], "not due yet, and a2 keeps its place behind it"
    with store.sessions.begin() as session:
        session.get(OutboxMessage, row.id).next_attempt_at = dt.datetime(2000, 1, 1)
    (again,) = store.claim(LEASE)
    assert again.id == row.id and again.attempts == 0
    store.retry(row.id, "http_503", delay=0)
    (again,) = store.claim(lease=-1)  # its sender dies: the lease is already over
    (taken_over,) = store.claim(LEASE)
    assert taken_over.id == row.id and taken_over.attempts == 1
    store.fail(row.id, -213)
    with store.sessions() as session:
        failed = session.get(OutboxMessage, row.id)
        assert (failed.status, failed.last_error, failed.attempts) == (FAILED, "-213", 2)
    assert [r.payload["text"] for r in store.claim(LEASE)] == ["a2"], "a failed row does not block the next"
    assert [r.status for r in store.rows(FAILED)] == [FAILED]


def test_progress_and_purge(store):
    add(store, "A", "long")
    (row,) = store.claim(LEASE)
    store.progress(row.id, 1)
    store.retry(row.id, "http_503", delay=0)
    (row,) = store.claim(LEASE)
    assert row.parts_sent == 1
    store.sent(row.id)
    assert store.purge(dt.timedelta(days=7)) == 0
    assert store.purge(dt.timedelta(seconds=-1)) == 1


@pytest.mark.parametrize("claimers", [2, 4])
def test_concurrent_claimers_never_take_the_same_row(engine, claimers):
    """Several servers (each its own engine, as separate processes) claim from one table at once."""
    url = engine.url.render_as_string(hide_password=False)
    seeded = OutboxStore(engine)
    with seeded.sessions.begin() as session:
        for n in range(60):
            outbox.enqueue(session, "zalo", f"user-{n % 12}", {"text": f"m{n}"}, f"k{n}")
    engines = [make_engine(url) for _ in range(claimers)]
    stores = [OutboxStore(e) for e in engines]
    taken, errors = [], []
    lock, start = threading.Lock(), threading.Barrier(claimers)

    def work(store):
        try:
            start.wait()
            idle = 0
            while idle < 5:
                rows = store.claim(LEASE, limit=5)
                idle = idle + 1 if not rows else 0
                for row in rows:
                    with lock:
                        taken.append((row.recipient, int(row.payload["text"][1:])))
                    store.sent(row.id)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for e in engines:
        e.dispose()
    assert errors == []
    assert sorted(n for _, n in taken) == list(range(60)), "every row once, none twice"
    for user in {u for u, _ in taken}:
        numbers = [n for u, n in taken if u == user]
        assert numbers == sorted(numbers), "one recipient's rows in order"


def test_a_recipient_with_nothing_unfinished_is_answered_with_one_read(store):
    """Asked on every citizen turn: when nothing waits, the check writes nothing and locks nothing."""
    from sqlalchemy import event

    add(store, "u-other", "của người khác", channel="rest")
    seen = []
    event.listen(store.engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: seen.append(statement))
    assert store.has_unfinished("rest", "u-mine") is False
    assert [statement.split()[0].upper() for statement in seen] == ["SELECT"]
    assert "FOR UPDATE" not in seen[0].upper()
    assert store.has_unfinished("rest", "u-other") is True and store.has_unfinished("zalo", "u-other") is False
    (row,) = store.claim(LEASE, channel="rest", recipient="u-other")
    assert store.has_unfinished("rest", "u-other") is True  # being sent: not finished yet
    store.sent(row.id)
    assert store.has_unfinished("rest", "u-other") is False
