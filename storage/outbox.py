"""The outbox: messages to send to a channel, written in the same transaction
as what causes them and sent after commit by a background sender.

A row per outgoing message: `channel` ("zalo"), `recipient` (the
conversation id), `payload` (a Rasa-style message dict, e.g.
`{"text": "...", "buttons": [...]}`), a unique `idempotency_key` (writing the
same key twice keeps the first row), `status`:

    pending   waiting; sent once `next_attempt_at` has passed
    sending   claimed by one sender until `next_attempt_at` (its lease); a
              sender that died leaves it to be claimed again after that
    sent      Zalo took it (`sent_at`)
    failed    refused for good or out of attempts; `last_error` is the code

Rows of one recipient go out in order: only the oldest unfinished row of a
recipient can be claimed. Claims are exclusive across processes sharing the
database: `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, and on every
backend a compare-and-set UPDATE that only one claimer can win.
Nothing here knows a channel's API; bot/channels/outbox.py sends.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, and_, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, aliased

from storage.base import Base, utcnow
from storage.engine import make_session_factory

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
UNFINISHED = (PENDING, SENDING)
MAX_ERROR_CHARS = 32


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_recipient", "channel", "recipient", "id"),
    )

    id = Column(Integer, primary_key=True)
    channel = Column(String(16), nullable=False)
    recipient = Column(String(255), nullable=False)
    payload = Column(JSON, nullable=False)
    idempotency_key = Column(String(255), nullable=False, unique=True)
    status = Column(String(16), nullable=False, default=PENDING)
    attempts = Column(Integer, nullable=False, default=0)
    parts_sent = Column(Integer, nullable=False, default=0)  # of a message the channel sends in several parts
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow)
    last_error = Column(String(MAX_ERROR_CHARS))  # an error code only, never a text
    handoff_message_id = Column(Integer)  # the officer desk's line this row delivers, if any
    created_at = Column(DateTime, nullable=False, default=utcnow)
    sent_at = Column(DateTime)


@dataclass(frozen=True)
class Claimed:
    """A row a sender holds: send it, then `sent`, `retry` or `fail` it."""

    id: int
    channel: str
    recipient: str
    payload: Dict[str, Any]
    attempts: int  # before this one
    parts_sent: int
    handoff_message_id: Optional[int]


def enqueue(session: Session, channel: str, recipient: str, payload: Dict[str, Any], key: str,
            handoff_message_id: Optional[int] = None) -> None:
    """Add a row inside the caller's transaction; a key already written keeps its row (nothing added)."""
    values = dict(
        channel=channel, recipient=recipient[:255], payload=payload, idempotency_key=key[:255], status=PENDING,
        attempts=0, parts_sent=0, next_attempt_at=utcnow(), created_at=utcnow(),
        handoff_message_id=handoff_message_id,
    )
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"]))


class OutboxStore:
    """Claiming and settling rows; every method is one short transaction."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.sessions = make_session_factory(engine)

    def has_unfinished(self, channel: str, recipient: str) -> bool:
        """Whether `recipient` has a row on `channel` not sent or failed yet: one indexed read, no lock
        (asked on every citizen turn before a claim, which writes)."""
        query = (select(OutboxMessage.id)
                 .where(OutboxMessage.channel == channel, OutboxMessage.recipient == recipient[:255],
                        OutboxMessage.status.in_(UNFINISHED))
                 .limit(1))
        with self.engine.connect() as connection:
            return connection.execute(query).first() is not None

    def claim(self, lease: float, limit: int = 20, channel: Optional[str] = None,
              recipient: Optional[str] = None) -> List[Claimed]:
        """Up to `limit` due rows, each the oldest unfinished one of its recipient, now `sending` for `lease` s."""
        now = utcnow()
        older = aliased(OutboxMessage)
        due = and_(OutboxMessage.status.in_(UNFINISHED), OutboxMessage.next_attempt_at <= now)
        query = (
            select(OutboxMessage.id)
            .where(due)
            .where(~select(older.id).where(
                older.channel == OutboxMessage.channel, older.recipient == OutboxMessage.recipient,
                older.status.in_(UNFINISHED), older.id < OutboxMessage.id,
            ).exists())
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if channel is not None:
            query = query.where(OutboxMessage.channel == channel)
        if recipient is not None:
            query = query.where(OutboxMessage.recipient == recipient)
        until = now + dt.timedelta(seconds=lease)
        claimed: List[Claimed] = []
        if self.engine.dialect.name == "postgresql":
            # Rows another sender is claiming right now are skipped, not waited for.
            query = query.with_for_update(skip_locked=True, of=OutboxMessage)
            with self.sessions.begin() as session:
                ids = list(session.execute(query).scalars())
                for row_id in ids:
                    claimed += self._take(session, row_id, now, until)
            return claimed
        with self.sessions() as session:
            ids = list(session.execute(query).scalars())
        for row_id in ids:
            with self.sessions.begin() as session:  # one statement: only one claimer's UPDATE matches
                claimed += self._take(session, row_id, now, until)
        return claimed

    @staticmethod
    def _take(session: Session, row_id: int, now: dt.datetime, until: dt.datetime) -> List[Claimed]:
        result = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status.in_(UNFINISHED),
                   OutboxMessage.next_attempt_at <= now)
            .values(status=SENDING, next_attempt_at=until)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return []
        row = session.get(OutboxMessage, row_id)
        return [Claimed(row.id, row.channel, row.recipient, dict(row.payload), row.attempts, row.parts_sent,
                        row.handoff_message_id)]

    def progress(self, row_id: int, parts_sent: int) -> None:
        """How many parts of a several-part message the channel took (so a retry does not repeat them)."""
        with self.sessions.begin() as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(parts_sent=parts_sent))

    def sent(self, row_id: int, also: Optional[Callable[[Session, int], None]] = None) -> None:
        """Mark sent; `also(session, handoff_message_id)` runs in the same transaction when the row has one."""
        with self.sessions.begin() as session:
            row = session.get(OutboxMessage, row_id)
            row.status, row.sent_at, row.attempts = SENT, utcnow(), row.attempts + 1
            row.last_error = None
            if also is not None and row.handoff_message_id is not None:
                also(session, row.handoff_message_id)

    def retry(self, row_id: int, error: Any, delay: float, count_attempt: bool = True) -> None:
        """Back to pending, due again in `delay` seconds."""
        with self.sessions.begin() as session:
            row = session.get(OutboxMessage, row_id)
            row.status, row.last_error = PENDING, str(error)[:MAX_ERROR_CHARS]
            row.next_attempt_at = utcnow() + dt.timedelta(seconds=delay)
            if count_attempt:
                row.attempts += 1

    def fail(self, row_id: int, error: Any, also: Optional[Callable[[Session, int, str], None]] = None) -> None:
        """Given up; `also(session, handoff_message_id, code)` records it where officers see it."""
        code = str(error)[:MAX_ERROR_CHARS]
        with self.sessions.begin() as session:
            row = session.get(OutboxMessage, row_id)
            row.status, row.last_error, row.attempts = FAILED, code, row.attempts + 1
            if also is not None and row.handoff_message_id is not None:
                also(session, row.handoff_message_id, code)

    def in_flight(self, channel: str, recipient: str) -> bool:
        """A row of this recipient is being sent by some sender now."""
        with self.sessions() as session:
            return session.execute(
                select(OutboxMessage.id).where(OutboxMessage.channel == channel,
                                               OutboxMessage.recipient == recipient,
                                               OutboxMessage.status == SENDING).limit(1)
            ).first() is not None

    def rows(self, status: Optional[str] = None, limit: int = 200) -> List[OutboxMessage]:
        """Newest first (the officers' view of failed deliveries)."""
        query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
        if status is not None:
            query = query.where(OutboxMessage.status == status)
        with self.sessions() as session:
            return list(session.execute(query).scalars())

    def purge(self, older_than: dt.timedelta) -> int:
        """Forget sent rows older than that; failed ones stay for the officers."""
        with self.sessions.begin() as session:
            result = session.execute(delete(OutboxMessage).where(
                OutboxMessage.status == SENT, OutboxMessage.sent_at < utcnow() - older_than))
            return result.rowcount or 0
