"""Handoff tickets, their messages, and feedback on answers.

They live in the same database as the catalogue (same Base, same Alembic
chain). A conversation is identified by the channel's sender id; nothing
else about the citizen is stored.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from storage.base import Base, utcnow

STATUS_WAITING = "waiting"  # in the queue, no officer yet
STATUS_ACTIVE = "active"  # an officer has taken it
STATUS_CLOSED = "closed"  # handed back to the bot
OPEN_STATUSES = (STATUS_WAITING, STATUS_ACTIVE)

REASON_REQUESTED = "requested"
REASON_REPEATED_FAILURE = "repeated_failure"

AUTHOR_CITIZEN = "citizen"
AUTHOR_BOT = "bot"
AUTHOR_OFFICER = "officer"


class HandoffTicket(Base):
    __tablename__ = "handoff_tickets"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(64), nullable=False, default="rest")
    reason = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False, default=STATUS_WAITING, index=True)
    procedure_code = Column(String(64))
    officer = Column(String(255))
    created_at = Column(DateTime, nullable=False, default=utcnow)
    claimed_at = Column(DateTime)
    closed_at = Column(DateTime)

    messages = relationship(
        "HandoffMessage",
        back_populates="ticket",
        order_by="HandoffMessage.id",
        cascade="all, delete-orphan",
    )


class HandoffMessage(Base):
    """One line of the transcript: what the citizen, the bot or an officer said."""

    __tablename__ = "handoff_messages"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("handoff_tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    author = Column(String(16), nullable=False)
    officer = Column(String(255))
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    # Officer messages wait here until the citizen's channel has delivered them.
    delivered_at = Column(DateTime)
    # A channel that pushes (Zalo) refused it for good: the channel's error code, shown to officers.
    delivery_error = Column(String(32))

    ticket = relationship("HandoffTicket", back_populates="messages")


class Feedback(Base):
    __tablename__ = "answer_feedback"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(64))
    helpful = Column(Boolean, nullable=False, index=True)
    question = Column(Text)
    intent = Column(String(64))
    procedure_code = Column(String(64), index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
