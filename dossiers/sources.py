"""Where dossiers come from: the SQL store here, or a one-stop system's API.

A DossierSource answers two questions: the public status of a code, and the
private details once the last four phone digits are checked. Sources raise
SourceUnavailable when they cannot answer (down, slow, garbage), never
anything else.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Optional

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from dossiers.models import Dossier
from dossiers.privacy import tail_matches
from dossiers.records import PrivateDetails, PublicStatus, StatusStep
from storage.engine import make_session_factory


class SourceUnavailable(Exception):
    """The source could not answer now; the citizen should try later."""


class DossierSource(ABC):
    @abstractmethod
    def status(self, code: str) -> Optional[PublicStatus]:
        """The public status of a well-formed code, or None if the source has no such dossier."""

    @abstractmethod
    def details(self, code: str, last_digits: str) -> Optional[PrivateDetails]:
        """The private details if `last_digits` match the registered phone, else None."""


class SqlDossierSource(DossierSource):
    """The embedded store (tables `dossiers`, `dossier_events`).

    `hash_key` is the server secret the phone numbers were hashed with when the
    dossiers were written (Settings.hash_key, DOSSIER_HASH_KEY).
    """

    def __init__(self, engine: Engine, hash_key: bytes):
        self.engine = engine
        self.hash_key = hash_key
        self.sessions = make_session_factory(engine)

    def _get(self, session, code: str, with_events: bool = False) -> Optional[Dossier]:
        query = select(Dossier).where(Dossier.code == code)
        if with_events:
            query = query.options(selectinload(Dossier.events))
        return session.execute(query).scalars().first()

    def status(self, code: str) -> Optional[PublicStatus]:
        try:
            with self.sessions() as session:
                row = self._get(session, code)
                return public_status(row) if row is not None else None
        except SQLAlchemyError as exc:
            raise SourceUnavailable(type(exc).__name__) from None

    def details(self, code: str, last_digits: str) -> Optional[PrivateDetails]:
        try:
            with self.sessions() as session:
                row = self._get(session, code, with_events=True)
                if row is None or not tail_matches(last_digits, row.phone_salt, row.phone_tail_hash, self.hash_key):
                    return None
                return PrivateDetails(
                    applicant_name_masked=row.applicant_name_masked,
                    result_summary=row.result_summary,
                    officer_note=row.officer_note,
                    pickup_place=row.pickup_place,
                    history=[StatusStep(e.at, e.status, e.step, e.handled_by) for e in row.events],
                )
        except SQLAlchemyError as exc:
            raise SourceUnavailable(type(exc).__name__) from None


def public_status(row: Dossier) -> PublicStatus:
    return PublicStatus(
        code=row.code,
        procedure_code=row.procedure_code,
        procedure_name=row.procedure_name,
        status=row.status,
        receiving_agency=row.receiving_agency,
        channel=row.channel,
        received_at=row.received_at,
        due_date=row.due_date,
        completed_at=row.completed_at,
        returned_at=row.returned_at,
    )
