"""The dossier store: dossiers, their status history, and look-up attempts.

Same database and Alembic chain as the catalogue. The applicant is stored
only as a masked name and keyed hashes of the phone number; nothing in these
tables reads as personal data in plain text.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import relationship

from storage.base import Base, utcnow

# Statuses as Vietnamese one-stop systems name them.
STATUS_LABELS = {
    "received": "Mới tiếp nhận",
    "processing": "Đang xử lý",
    "needs_supplement": "Chờ bổ sung hồ sơ",
    "suspended": "Tạm dừng",
    "result_ready": "Đã có kết quả – chờ trả",
    "returned": "Đã trả kết quả",
    "rejected": "Từ chối giải quyết",
    "withdrawn": "Đã rút / hủy",
}
# Statuses where the clock has stopped: no "còn N ngày" any more.
FINISHED_STATUSES = {"result_ready", "returned", "rejected", "withdrawn"}


class Dossier(Base):
    __tablename__ = "dossiers"

    id = Column(Integer, primary_key=True)
    code = Column(String(64), nullable=False, unique=True, index=True)
    procedure_code = Column(String(64), ForeignKey("procedures.code"), nullable=False, index=True)
    procedure_name = Column(Text, nullable=False)
    agency_code = Column(String(32), nullable=False)
    receiving_agency = Column(String(255), nullable=False)
    channel = Column(String(16), nullable=False)  # in_person | online | postal
    received_at = Column(DateTime, nullable=False)
    due_date = Column(Date)
    completed_at = Column(DateTime)
    returned_at = Column(DateTime)
    status = Column(String(32), nullable=False, index=True)
    pickup_place = Column(Text)
    # Shown only after verification.
    applicant_name_masked = Column(String(255))
    result_summary = Column(Text)
    officer_note = Column(Text)
    # Verification: keyed hashes with a per-dossier salt (see privacy.py).
    phone_salt = Column(String(32), nullable=False)
    phone_hash = Column(String(64), nullable=False)
    phone_tail_hash = Column(String(64), nullable=False)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    events = relationship(
        "DossierEvent", back_populates="dossier", order_by="DossierEvent.at", cascade="all, delete-orphan"
    )


class DossierEvent(Base):
    """One change of status: when, which step, which agency or desk handled it."""

    __tablename__ = "dossier_events"

    id = Column(Integer, primary_key=True)
    dossier_id = Column(Integer, ForeignKey("dossiers.id", ondelete="CASCADE"), nullable=False, index=True)
    at = Column(DateTime, nullable=False)
    status = Column(String(32), nullable=False)
    step = Column(Text, nullable=False)
    handled_by = Column(String(255))

    dossier = relationship("Dossier", back_populates="events")


class LookupAttempt(Base):
    """A verification attempt, kept to refuse guessing (5 wrong in 15 minutes)."""

    __tablename__ = "dossier_lookup_attempts"
    __table_args__ = (
        Index("ix_lookup_attempts_conversation_at", "conversation_key", "at"),
        Index("ix_lookup_attempts_code_at", "dossier_code", "at"),
    )

    id = Column(Integer, primary_key=True)
    conversation_key = Column(String(64), nullable=False)  # a hash of the conversation id
    dossier_code = Column(String(64), nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)
    success = Column(Boolean, nullable=False)
