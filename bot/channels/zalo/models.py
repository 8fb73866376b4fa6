"""The Zalo channel's tables (schema in migrations/versions/0004_channels.py, 0007_outbox.py).

- `channel_events`: the events taken (the inbox): each id once, so a
  retried webhook is processed once; the event itself until it has been
  processed (`processed_at`), so one recorded before a crash is processed
  after the restart; `locked_until` is the lease of the process handling it;
- `channel_tokens`: the current access and refresh token pair (Zalo's refresh
  tokens are single-use, so the refreshed pair must outlive the process).
"""
from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, String, Text, UniqueConstraint

from storage.base import Base, utcnow


class ChannelEvent(Base):
    __tablename__ = "channel_events"
    __table_args__ = (UniqueConstraint("channel", "event_id", name="uq_channel_events_event"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(16), nullable=False)
    event_id = Column(String(128), nullable=False)
    received_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    payload = Column(JSON(none_as_null=True))  # the event's fields (events.InboundEvent), until processed
    processed_at = Column(DateTime, index=True)
    locked_until = Column(DateTime)


class ChannelToken(Base):
    __tablename__ = "channel_tokens"

    key = Column(String(128), primary_key=True)
    access_token = Column(Text)
    refresh_token = Column(Text)
    expires_at = Column(DateTime)
    seed_fingerprint = Column(String(64))  # which environment pair this row descends from
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
