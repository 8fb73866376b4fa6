"""Read access to the catalogue: the queries answers are built from."""
from __future__ import annotations

from typing import List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from procedures_kb.models import Alias, DocumentCase, Procedure


def get_procedure(session: Session, code: str) -> Optional[Procedure]:
    """A procedure with everything an answer may need, loaded in a few queries."""
    statement = (
        select(Procedure)
        .where(Procedure.code == code.strip())
        .options(
            selectinload(Procedure.methods),
            selectinload(Procedure.document_cases).selectinload(DocumentCase.documents),
            selectinload(Procedure.legal_bases),
            selectinload(Procedure.steps),
            selectinload(Procedure.aliases),
            selectinload(Procedure.related),
        )
    )
    return session.execute(statement).scalars().first()


def count_procedures(session: Session) -> int:
    return session.execute(select(func.count(Procedure.id))).scalar_one()


def search_rows(session: Session) -> List[tuple]:
    """(code, name, levels, field, source) of every procedure, for the search index."""
    statement = select(
        Procedure.id, Procedure.code, Procedure.name, Procedure.levels, Procedure.field
    ).order_by(Procedure.code)
    return list(session.execute(statement).all())


def alias_rows(session: Session) -> List[tuple]:
    return list(session.execute(select(Alias.procedure_id, Alias.text)).all())
