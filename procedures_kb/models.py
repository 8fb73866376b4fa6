"""SQLAlchemy models of the catalogue, shaped on the national procedure record.

The schema is owned by Alembic (migrations/); these classes are
the mapping the code uses.
"""
from __future__ import annotations

from typing import List, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from storage.base import Base, utcnow  # noqa: F401  (utcnow re-used by the importer)

SOURCE_CURATED = "curated"
SOURCE_NATIONAL = "national"



class Procedure(Base):
    __tablename__ = "procedures"

    id = Column(Integer, primary_key=True)
    code = Column(String(64), nullable=False, unique=True, index=True)
    name = Column(Text, nullable=False)
    decision_number = Column(String(255))
    levels = Column(JSON, nullable=False, default=list)  # e.g. ["Cấp xã", "Cấp tỉnh"]
    field = Column(String(255), index=True)  # lĩnh vực
    procedure_type = Column(String(255))
    target_groups = Column(JSON, nullable=False, default=list)
    implementing_agency = Column(Text)
    competent_agency = Column(Text)
    authorized_agency = Column(Text)
    coordinating_agency = Column(Text)
    receiving_address = Column(Text)
    steps_text = Column(Text)
    conditions_text = Column(Text)
    result_text = Column(Text)
    summary = Column(Text)  # short plain-language description (curated)
    short_title = Column(String(120))  # everyday title for answer headings (curated, else derived)
    # What the curated catalogue leads with (title, summary, essential documents in its order);
    # a national import never overwrites it. Shape: procedures_kb.digest.curated_lead().
    curated_lead = Column(JSON)
    # Everything an answer is rendered from, computed at import (procedures_kb.digest).
    digest = Column(JSON)
    digest_version = Column(Integer)
    source_url = Column(Text)
    source = Column(String(16), nullable=False, default=SOURCE_CURATED)
    source_group = Column(String(64))
    imported_at = Column(DateTime)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    steps = relationship(
        "ProcedureStep", order_by="ProcedureStep.position", cascade="all, delete-orphan"
    )
    methods = relationship(
        "SubmissionMethod", order_by="SubmissionMethod.position", cascade="all, delete-orphan"
    )
    document_cases = relationship(
        "DocumentCase", order_by="DocumentCase.position", cascade="all, delete-orphan"
    )
    legal_bases = relationship(
        "LegalBasis", order_by="LegalBasis.position", cascade="all, delete-orphan"
    )
    related = relationship(
        "RelatedProcedure", order_by="RelatedProcedure.position", cascade="all, delete-orphan"
    )
    aliases = relationship("Alias", order_by="Alias.id", cascade="all, delete-orphan")

    def documents_to_bring(self) -> List["Document"]:
        return [d for case in self.document_cases for d in case.documents if d.kind == "document"]


class ProcedureStep(Base):
    __tablename__ = "procedure_steps"

    id = Column(Integer, primary_key=True)
    procedure_id = Column(
        Integer, ForeignKey("procedures.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = Column(Integer, nullable=False)
    text = Column(Text, nullable=False)


class SubmissionMethod(Base):
    """One row of the 'cách thức thực hiện' table: a channel with its time and fee."""

    __tablename__ = "submission_methods"

    id = Column(Integer, primary_key=True)
    procedure_id = Column(
        Integer, ForeignKey("procedures.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = Column(Integer, nullable=False)
    channel = Column(String(16), nullable=False)  # in_person | online | postal
    time_value = Column(Numeric(10, 2))
    time_unit = Column(String(16))  # working_day | day | hour | month | year | None
    time_raw = Column(Text)
    fee_amount = Column(Numeric(18, 2))
    fee_currency = Column(String(8))  # VND | USD
    fee_is_free = Column(Boolean)
    fee_raw = Column(Text)
    fee_note = Column(Text)
    description = Column(Text)


class DocumentCase(Base):
    """A group of documents that applies to one case (trường hợp)."""

    __tablename__ = "document_cases"

    id = Column(Integer, primary_key=True)
    procedure_id = Column(
        Integer, ForeignKey("procedures.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = Column(Integer, nullable=False)
    title = Column(Text)
    documents = relationship(
        "Document", order_by="Document.position", cascade="all, delete-orphan"
    )


class Document(Base):
    __tablename__ = "documents"

    id = Column(Integer, primary_key=True)
    case_id = Column(
        Integer, ForeignKey("document_cases.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = Column(Integer, nullable=False)
    kind = Column(String(16), nullable=False, default="document")  # document | note
    name = Column(Text, nullable=False)
    form_name = Column(Text)
    originals = Column(Integer, nullable=False, default=0)
    copies = Column(Integer, nullable=False, default=0)
    note = Column(Text)


class LegalBasis(Base):
    __tablename__ = "legal_bases"

    id = Column(Integer, primary_key=True)
    procedure_id = Column(
        Integer, ForeignKey("procedures.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = Column(Integer, nullable=False)
    number = Column(String(255))
    title = Column(Text)


class RelatedProcedure(Base):
    __tablename__ = "related_procedures"

    id = Column(Integer, primary_key=True)
    procedure_id = Column(
        Integer, ForeignKey("procedures.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = Column(Integer, nullable=False)
    related_code = Column(String(64))
    name = Column(Text)


class Alias(Base):
    """An everyday name for a procedure ("làm sổ đỏ", "cccd")."""

    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("procedure_id", "normalized", name="uq_alias_procedure"),)

    id = Column(Integer, primary_key=True)
    procedure_id = Column(
        Integer, ForeignKey("procedures.id", ondelete="CASCADE"), nullable=False, index=True
    )
    text = Column(Text, nullable=False)
    normalized = Column(String(255), nullable=False)


class ImportRun(Base):
    """What each import did, for operators."""

    __tablename__ = "import_runs"

    id = Column(Integer, primary_key=True)
    source_path = Column(Text, nullable=False)
    source_format = Column(String(16), nullable=False)
    started_at = Column(DateTime, nullable=False, default=utcnow)
    finished_at = Column(DateTime)
    records = Column(Integer, nullable=False, default=0)
    created = Column(Integer, nullable=False, default=0)
    updated = Column(Integer, nullable=False, default=0)
    coverage = Column(JSON)
    source_sha256 = Column(String(64))  # fingerprint of the imported file (re-import only on change)


def level_sort_key(levels: Optional[List[str]]) -> int:
    """Commune level first, then province, ministry, other."""
    order = {"Cấp xã": 0, "Cấp tỉnh": 1, "Cấp bộ": 2, "Cơ quan khác": 3}
    return min((order.get(level, 4) for level in (levels or [])), default=5)
