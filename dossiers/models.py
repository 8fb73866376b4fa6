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


class LookupEvent(Base):
    """A code look-up or a verification attempt, counted to limit guessing (dossiers/limits.py).

    Only keyed hashes (dossiers.privacy): of the conversation id, of the
    client when the channel names it, of the dossier code. Rows older than
    the longest window are deleted.
    """

    __tablename__ = "dossier_lookup_events"
    __table_args__ = (
        Index("ix_lookup_events_conversation", "conversation_key", "kind", "at"),
        Index("ix_lookup_events_client", "client_key", "kind", "at"),
        Index("ix_lookup_events_code", "code_key", "kind", "at"),
        Index("ix_lookup_events_at", "at"),
    )

    id = Column(Integer, primary_key=True)
    kind = Column(String(16), nullable=False)  # "code" (a look-up) | "digits" (a verification attempt)
    conversation_key = Column(String(64), nullable=False)
    client_key = Column(String(64))
    code_key = Column(String(64))
    success = Column(Boolean, nullable=False)  # code: found; digits: matched
    at = Column(DateTime, nullable=False, default=utcnow)
