"""What the Zalo channel keeps in the database, shared by every Rasa process.

- `channel_events`: the inbox. Each event is recorded once by its id (so a
  retried webhook is processed once) with its fields, before the webhook
  answers 200, under a lease (`locked_until`) of the process that handles
  it; processing ends with `finish`, which writes the replies to the outbox
  and marks the event processed in one transaction. An event left
  unprocessed when its lease ran out (the process died) is claimed again by
  `claim_unprocessed`. Rows are kept for twice the accepted event age, then
  purged;
- `channel_tokens`: the current access and refresh tokens. Zalo's refresh
  tokens are single-use, so after a refresh the new pair must outlive the
  process; the pair given in the environment is used until it has been
  refreshed, and a new pair given there by the operator wins again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.channels.zalo.models import ChannelEvent, ChannelToken
from storage import outbox
from storage.base import utcnow
from storage.engine import make_engine, make_session_factory, pooled_options
from storage.outbox import OutboxStore


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: Optional[dt.datetime] = None


def fingerprint(seed: Tokens) -> str:
    return hashlib.sha256(f"{seed.access_token}\n{seed.refresh_token}".encode("utf-8")).hexdigest()


class ChannelStore:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.sessions = make_session_factory(engine)
        self.outbox = OutboxStore(engine)  # the replies `finish` writes, for the sender

    @classmethod
    def from_url(cls, database_url: str) -> "ChannelStore":
        return cls(make_engine(database_url, must_exist=True, pool_pre_ping=True, **pooled_options(database_url)))

    # --- the inbox ----------------------------------------------------------------
    def record_event(self, channel: str, event_id: str, fields: Dict[str, Any], lease: float) -> bool:
        """Keep the event to process, held by this process for `lease` seconds; False when already recorded."""
        try:
            with self.sessions.begin() as session:
                session.add(ChannelEvent(channel=channel, event_id=event_id[:128], payload=fields,
                                         locked_until=utcnow() + dt.timedelta(seconds=lease)))
        except IntegrityError:
            return False
        return True

    def finish(self, channel: str, event_id: str, replies: Sequence[Tuple[str, Dict[str, Any], str]]) -> None:
        """In one transaction: each (recipient, message, idempotency key) into the outbox; the event processed.

        The event's fields (the citizen's text) are dropped once processed.
        """
        with self.sessions.begin() as session:
            for recipient, message, key in replies:
                outbox.enqueue(session, channel, recipient, message, key)
            session.execute(
                update(ChannelEvent)
                .where(ChannelEvent.channel == channel, ChannelEvent.event_id == event_id[:128])
                .values(processed_at=utcnow(), payload=None, locked_until=None)
            )

    # --- replies a late turn said after the citizen was answered -------------------------
    def keep_replies(self, channel: str, recipient: str, messages: Sequence[Dict[str, Any]], key: str) -> None:
        """Put a late turn's replies (plain JSON messages) in the outbox for `recipient` on `channel`, in order.

        Zalo's sender sends them; REST and the web page take them with `take_replies`.
        """
        with self.sessions.begin() as session:
            for number, message in enumerate(messages):
                outbox.enqueue(session, channel, recipient, dict(message), f"{key}:{number}")

    def take_replies(self, channel: str, recipient: str, lease: float = 60.0) -> List[Dict[str, Any]]:
        """The kept replies of a channel that does not push (REST, the web page), oldest first, now sent."""
        taken: List[Dict[str, Any]] = []
        if not self.outbox.has_unfinished(channel, recipient):  # the common case: a read, no write
            return taken
        while True:
            rows = self.outbox.claim(lease, 1, channel, recipient)
            if not rows:
                return taken
            self.outbox.sent(rows[0].id)
            taken.append(rows[0].payload)

    def claim_unprocessed(self, channel: str, lease: float, limit: int = 50) -> List[Tuple[str, Dict[str, Any]]]:
        """(event id, fields) of recorded events nobody holds any more, now held by this process."""
        now = utcnow()
        with self.sessions() as session:
            candidates = session.execute(
                select(ChannelEvent.id).where(
                    ChannelEvent.channel == channel, ChannelEvent.processed_at.is_(None),
                    ChannelEvent.payload.isnot(None), ChannelEvent.locked_until < now,
                ).order_by(ChannelEvent.id).limit(limit)
            ).scalars().all()
        taken: List[Tuple[str, Dict[str, Any]]] = []
        for row_id in candidates:
            with self.sessions.begin() as session:  # compare-and-set: one process wins each event
                result = session.execute(
                    update(ChannelEvent)
                    .where(ChannelEvent.id == row_id, ChannelEvent.processed_at.is_(None),
                           ChannelEvent.locked_until < now)
                    .values(locked_until=now + dt.timedelta(seconds=lease))
                    .execution_options(synchronize_session=False)
                )
                if result.rowcount == 1:
                    row = session.get(ChannelEvent, row_id)
                    taken.append((row.event_id, dict(row.payload)))
        return taken

    def purge_events(self, older_than: dt.timedelta) -> int:
        with self.sessions.begin() as session:
            result = session.execute(delete(ChannelEvent).where(ChannelEvent.received_at < utcnow() - older_than))
            return result.rowcount or 0

    # --- tokens ----------------------------------------------------------------
    def current_tokens(self, key: str, seed: Optional[Tokens]) -> Optional[Tokens]:
        """The stored pair, or the environment's when it is new (or nothing is stored)."""
        with self.sessions.begin() as session:
            row = session.get(ChannelToken, key)
            if seed is not None and (row is None or row.seed_fingerprint != fingerprint(seed)):
                if row is None:
                    row = ChannelToken(key=key)
                    session.add(row)
                row.access_token, row.refresh_token = seed.access_token, seed.refresh_token
                row.expires_at, row.seed_fingerprint = None, fingerprint(seed)
            if row is None:
                return None
            return Tokens(row.access_token or "", row.refresh_token or "", row.expires_at)

    def save_tokens(self, key: str, tokens: Tokens) -> None:
        with self.sessions.begin() as session:
            row = session.get(ChannelToken, key)
            if row is None:
                row = ChannelToken(key=key)
                session.add(row)
            row.access_token, row.refresh_token, row.expires_at = (
                tokens.access_token, tokens.refresh_token, tokens.expires_at,
            )
