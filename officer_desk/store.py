"""The handoff queue and the feedback log, over SQLAlchemy sessions.

Every method opens and commits its own short transaction, so the store can be
shared by the action server and the Rasa server processes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import selectinload

from officer_desk.models import (
    AUTHOR_BOT,
    AUTHOR_CITIZEN,
    AUTHOR_OFFICER,
    OPEN_STATUSES,
    STATUS_ACTIVE,
    STATUS_CLOSED,
    STATUS_WAITING,
    Feedback,
    HandoffMessage,
    HandoffTicket,
)
from storage.base import utcnow
from storage.engine import make_engine, make_session_factory

MAX_TEXT_CHARS = 4000
MAX_TRANSCRIPT_LINES = 60


class DeskError(Exception):
    """A request the desk cannot carry out (unknown ticket, closed ticket...)."""


@dataclass(frozen=True)
class Line:
    author: str
    text: str


def _clip(text: str) -> str:
    text = (text or "").strip()
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"


class DeskStore:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.sessions = make_session_factory(engine)

    @classmethod
    def from_url(cls, database_url: str) -> "DeskStore":
        return cls(make_engine(database_url, must_exist=True, pool_pre_ping=True))

    # --- handoff -------------------------------------------------------------
    def open_ticket(
        self,
        conversation_id: str,
        channel: str,
        reason: str,
        transcript: Sequence[Line],
        procedure_code: Optional[str] = None,
    ) -> HandoffTicket:
        """Queue a conversation; an already open ticket is reused, not duplicated."""
        with self.sessions.begin() as session:
            ticket = self._open_for(session, conversation_id)
            if ticket is None:
                ticket = HandoffTicket(
                    conversation_id=conversation_id,
                    channel=channel or "rest",
                    reason=reason,
                    status=STATUS_WAITING,
                    procedure_code=procedure_code,
                )
                session.add(ticket)
                for line in list(transcript)[-MAX_TRANSCRIPT_LINES:]:
                    if line.text and line.text.strip():
                        ticket.messages.append(
                            HandoffMessage(author=line.author, text=_clip(line.text), delivered_at=utcnow())
                        )
            session.flush()
            session.expunge(ticket)
            return ticket

    def open_ticket_for(self, conversation_id: str) -> Optional[HandoffTicket]:
        with self.sessions() as session:
            return self._open_for(session, conversation_id)

    @staticmethod
    def _open_for(session, conversation_id: str) -> Optional[HandoffTicket]:
        return session.execute(
            select(HandoffTicket)
            .where(HandoffTicket.conversation_id == conversation_id, HandoffTicket.status.in_(OPEN_STATUSES))
            .order_by(HandoffTicket.id.desc())
        ).scalars().first()

    def queue(self, include_closed: bool = False, limit: int = 100) -> List[HandoffTicket]:
        query = select(HandoffTicket).options(selectinload(HandoffTicket.messages)).order_by(HandoffTicket.id)
        if not include_closed:
            query = query.where(HandoffTicket.status.in_(OPEN_STATUSES))
        with self.sessions() as session:
            return list(session.execute(query.limit(limit)).scalars())

    def ticket(self, ticket_id: int) -> HandoffTicket:
        with self.sessions() as session:
            ticket = session.execute(
                select(HandoffTicket).options(selectinload(HandoffTicket.messages)).where(HandoffTicket.id == ticket_id)
            ).scalars().first()
            if ticket is None:
                raise DeskError(f"Không có yêu cầu hỗ trợ số {ticket_id}.")
            return ticket

    def claim(self, ticket_id: int, officer: str) -> HandoffTicket:
        with self.sessions.begin() as session:
            ticket = self._open_ticket(session, ticket_id)
            ticket.officer = officer
            ticket.status = STATUS_ACTIVE
            ticket.claimed_at = ticket.claimed_at or utcnow()
            session.flush()
            session.expunge(ticket)
            return ticket

    def add_citizen_message(self, conversation_id: str, text: str) -> Optional[int]:
        """Append what the citizen wrote while waiting; returns the ticket id, if any."""
        with self.sessions.begin() as session:
            ticket = self._open_for(session, conversation_id)
            if ticket is None or not (text or "").strip():
                return None
            session.add(HandoffMessage(ticket_id=ticket.id, author=AUTHOR_CITIZEN, text=_clip(text), delivered_at=utcnow()))
            return ticket.id

    def add_officer_message(self, ticket_id: int, officer: str, text: str) -> HandoffTicket:
        text = _clip(text)
        if not text:
            raise DeskError("Nội dung trả lời đang trống.")
        with self.sessions.begin() as session:
            ticket = self._open_ticket(session, ticket_id)
            if ticket.status == STATUS_WAITING:
                ticket.status = STATUS_ACTIVE
                ticket.claimed_at = utcnow()
            ticket.officer = ticket.officer or officer
            session.add(HandoffMessage(ticket_id=ticket.id, author=AUTHOR_OFFICER, officer=officer, text=text))
            session.flush()
            session.expunge(ticket)
            return ticket

    def add_bot_notice(self, ticket_id: int, text: str) -> None:
        """A message from the system to the citizen (e.g. handed back), to be delivered."""
        with self.sessions.begin() as session:
            session.add(HandoffMessage(ticket_id=ticket_id, author=AUTHOR_BOT, text=_clip(text)))

    def close(self, ticket_id: int) -> HandoffTicket:
        with self.sessions.begin() as session:
            ticket = self._open_ticket(session, ticket_id)
            ticket.status = STATUS_CLOSED
            ticket.closed_at = utcnow()
            session.flush()
            session.expunge(ticket)
            return ticket

    def withdraw(self, conversation_id: str, note: str) -> Optional[int]:
        """The citizen started over: close their open ticket with a line saying so; its id, if any."""
        with self.sessions.begin() as session:
            ticket = self._open_for(session, conversation_id)
            if ticket is None:
                return None
            session.add(HandoffMessage(ticket_id=ticket.id, author=AUTHOR_CITIZEN, text=_clip(note), delivered_at=utcnow()))
            ticket.status = STATUS_CLOSED
            ticket.closed_at = utcnow()
            return ticket.id

    def take_undelivered(self, conversation_id: str) -> List[Tuple[str, str]]:
        """Officer and system messages not yet shown to this citizen, marked as delivered.

        Called on every citizen message, so the common case (nothing waiting)
        is a single read.
        """
        query = self._waiting(select(HandoffMessage), conversation_id)
        with self.sessions() as session:
            if not session.execute(query.limit(1)).first():
                return []
        with self.sessions.begin() as session:
            rows = session.execute(query.with_for_update()).scalars().all()
            now = utcnow()
            for row in rows:
                row.delivered_at = now
            return [(row.author, row.text) for row in rows]

    def undelivered(self, conversation_id: str) -> List[Tuple[int, str, str]]:
        """(id, author, text) of messages waiting for the citizen, left undelivered.

        For channels that push: they mark each message delivered once the
        channel has accepted it (`mark_delivered`), so a failed push is not lost.
        """
        query = self._waiting(select(HandoffMessage.id, HandoffMessage.author, HandoffMessage.text), conversation_id)
        with self.sessions() as session:
            return [tuple(row) for row in session.execute(query)]

    def mark_delivered(self, message_ids: Iterable[int]) -> None:
        ids = list(message_ids)
        if not ids:
            return
        with self.sessions.begin() as session:
            for row in session.execute(select(HandoffMessage).where(HandoffMessage.id.in_(ids))).scalars():
                row.delivered_at = row.delivered_at or utcnow()

    @staticmethod
    def _waiting(query, conversation_id: str):
        """Officer and system messages for this conversation not yet delivered, oldest first."""
        return (
            query.join(HandoffTicket, HandoffMessage.ticket_id == HandoffTicket.id)
            .where(
                HandoffTicket.conversation_id == conversation_id,
                HandoffMessage.delivered_at.is_(None),
                HandoffMessage.author.in_((AUTHOR_OFFICER, AUTHOR_BOT)),
            )
            .order_by(HandoffMessage.id)
        )

    @staticmethod
    def _open_ticket(session, ticket_id: int) -> HandoffTicket:
        ticket = session.get(HandoffTicket, ticket_id)
        if ticket is None:
            raise DeskError(f"Không có yêu cầu hỗ trợ số {ticket_id}.")
        if ticket.status == STATUS_CLOSED:
            raise DeskError(f"Yêu cầu hỗ trợ số {ticket_id} đã đóng.")
        return ticket

    # --- feedback ------------------------------------------------------------
    def record_feedback(
        self,
        conversation_id: str,
        helpful: bool,
        question: Optional[str],
        intent: Optional[str],
        procedure_code: Optional[str],
        channel: Optional[str] = None,
    ) -> Feedback:
        with self.sessions.begin() as session:
            row = Feedback(
                conversation_id=conversation_id,
                channel=channel,
                helpful=helpful,
                question=_clip(question or "") or None,
                intent=intent,
                procedure_code=procedure_code,
            )
            session.add(row)
            session.flush()
            session.expunge(row)
            return row

    def feedback(self, helpful: Optional[bool] = None, limit: int = 200) -> List[Feedback]:
        query = select(Feedback).order_by(Feedback.id.desc()).limit(limit)
        if helpful is not None:
            query = query.where(Feedback.helpful.is_(helpful))
        with self.sessions() as session:
            return list(session.execute(query).scalars())


def transcript_lines(events: Iterable[dict]) -> List[Line]:
    """The user and bot texts of a Rasa tracker's events, oldest first."""
    lines: List[Line] = []
    for event in events:
        kind = event.get("event")
        text = event.get("text")
        if not text:
            continue
        if kind == "user":
            lines.append(Line(AUTHOR_CITIZEN, text))
        elif kind == "bot":
            lines.append(Line(AUTHOR_BOT, text))
    return lines
