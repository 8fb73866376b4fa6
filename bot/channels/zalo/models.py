"""The Zalo channel's tables (schema in migrations/versions/0004_channels.py).

- `channel_events`: ids of events already taken, so a retried webhook is
  processed once;
- `channel_tokens`: the current access and refresh token pair (Zalo's refresh
  tokens are single-use, so the refreshed pair must outlive the process).
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Text, UniqueConstraint

from storage.base import Base, utcnow


class ChannelEvent(Base):
    __tablename__ = "channel_events"
    __table_args__ = (UniqueConstraint("channel", "event_id", name="uq_channel_events_event"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(16), nullable=False)
    event_id = Column(String(128), nullable=False)
    received_at = Column(DateTime, nullable=False, default=utcnow, index=True)


class ChannelToken(Base):
    __tablename__ = "channel_tokens"

    key = Column(String(128), primary_key=True)
    access_token = Column(Text)
    refresh_token = Column(Text)
    expires_at = Column(DateTime)
    seed_fingerprint = Column(String(64))  # which environment pair this row descends from
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
