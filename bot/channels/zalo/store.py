"""What the Zalo channel keeps in the database, shared by every Rasa process.

- `channel_events`: ids of events already taken, so a retried webhook is
  processed once (kept for twice the accepted event age, then purged);
- `channel_tokens`: the current access and refresh tokens. Zalo's refresh
  tokens are single-use, so after a refresh the new pair must outlive the
  process; the pair given in the environment is used until it has been
  refreshed, and a new pair given there by the operator wins again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.channels.zalo.models import ChannelEvent, ChannelToken
from storage.base import utcnow
from storage.engine import make_engine, make_session_factory


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

    @classmethod
    def from_url(cls, database_url: str) -> "ChannelStore":
        return cls(make_engine(database_url, must_exist=True, pool_pre_ping=True))

    # --- de-duplication -------------------------------------------------------
    def first_time(self, channel: str, event_id: str) -> bool:
        """Record the event; False when it was already recorded (a retry or a replay)."""
        try:
            with self.sessions.begin() as session:
                session.add(ChannelEvent(channel=channel, event_id=event_id[:128]))
        except IntegrityError:
            return False
        return True

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
