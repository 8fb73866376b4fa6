"""The handoff queue and the feedback log, over SQLAlchemy sessions.

Every method opens and commits its own short transaction, so the store can be
shared by the action server and the Rasa server processes.

Officer replies and desk notices to a conversation on a channel that pushes
(`PUSHED_CHANNELS`: Zalo) are also written to the outbox (storage/outbox.py)
in the same transaction, so they are sent after commit, even after a crash;
the sender marks the line delivered (or its `delivery_error`) when it is done.
Other channels (REST, the web page) collect them with the citizen's next turn.
"""
from __future__ import annotations

import re
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
from storage import outbox
from storage.base import utcnow
from storage.engine import make_engine, make_session_factory, pooled_options

MAX_TEXT_CHARS = 4000
MAX_TRANSCRIPT_LINES = 60
PUSHED_CHANNELS = frozenset({"zalo"})  # their officer messages go through the outbox


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
        """The store of a long-lived process: its connections are pooled (SQLite too)."""
        return cls(make_engine(database_url, must_exist=True, pool_pre_ping=True, **pooled_options(database_url)))

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
        """Append what the citizen wrote while waiting (numbers hidden, `private_text`); the ticket id, if any."""
        with self.sessions.begin() as session:
            ticket = self._open_for(session, conversation_id)
            if ticket is None or not (text or "").strip():
                return None
            session.add(HandoffMessage(ticket_id=ticket.id, author=AUTHOR_CITIZEN, text=_clip(private_text(text)),
                                       delivered_at=utcnow()))
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
            line = HandoffMessage(ticket_id=ticket.id, author=AUTHOR_OFFICER, officer=officer, text=text)
            session.add(line)
            session.flush()
            self._to_outbox(session, ticket, line)
            session.expunge(ticket)
            return ticket

    def add_bot_notice(self, ticket_id: int, text: str) -> None:
        """A message from the system to the citizen (e.g. handed back), to be delivered."""
        with self.sessions.begin() as session:
            line = HandoffMessage(ticket_id=ticket_id, author=AUTHOR_BOT, text=_clip(text))
            session.add(line)
            session.flush()
            ticket = session.get(HandoffTicket, ticket_id)
            if ticket is not None:
                self._to_outbox(session, ticket, line)

    @staticmethod
    def _to_outbox(session, ticket: HandoffTicket, line: HandoffMessage) -> None:
        if ticket.channel in PUSHED_CHANNELS:
            outbox.enqueue(session, ticket.channel, ticket.conversation_id, {"text": line.text},
                           key=f"handoff:{line.id}", handoff_message_id=line.id)

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

    def take_undelivered(self, conversation_id: str, channel: Optional[str] = None) -> List[Tuple[str, str]]:
        """Officer and system messages not yet shown to this citizen, marked as delivered.

        With `channel`, only those of tickets opened on that channel (the
        channel asking must be the conversation's own). Called on every citizen
        message, so the common case (nothing waiting) is a single read.
        """
        query = self.waiting_query(select(HandoffMessage), conversation_id, channel)
        with self.sessions() as session:
            if not session.execute(query.limit(1)).first():
                return []
        with self.sessions.begin() as session:
            rows = session.execute(query.with_for_update()).scalars().all()
            now = utcnow()
            for row in rows:
                row.delivered_at = now
            return [(row.author, row.text) for row in rows]

    def waiting(self, conversation_id: str, channel: Optional[str] = None) -> List[Tuple[int, str, str]]:
        """(id, author, text) of the messages not yet delivered to this citizen, left as they are.

        With `channel`, only those of tickets opened on that channel.
        """
        query = self.waiting_query(
            select(HandoffMessage.id, HandoffMessage.author, HandoffMessage.text), conversation_id, channel)
        with self.sessions() as session:
            return [tuple(row) for row in session.execute(query)]

    @staticmethod
    def delivered_in(session, message_id: int) -> None:
        """Inside the outbox's transaction: the channel took this line."""
        line = session.get(HandoffMessage, message_id)
        if line is not None:
            line.delivered_at, line.delivery_error = line.delivered_at or utcnow(), None

    @staticmethod
    def undeliverable_in(session, message_id: int, code: str) -> None:
        """Inside the outbox's transaction: the channel refused this line for good (officers see `code`)."""
        line = session.get(HandoffMessage, message_id)
        if line is not None:
            line.delivery_error = code

    @staticmethod
    def waiting_query(query, conversation_id: str, channel: Optional[str] = None):
        """`query` (a select of HandoffMessage columns) narrowed to the officer and system messages of
        this conversation not yet delivered (on tickets of `channel`, if given), oldest first."""
        query = (
            query.join(HandoffTicket, HandoffMessage.ticket_id == HandoffTicket.id)
            .where(
                HandoffTicket.conversation_id == conversation_id,
                HandoffMessage.delivered_at.is_(None),
                HandoffMessage.author.in_((AUTHOR_OFFICER, AUTHOR_BOT)),
            )
            .order_by(HandoffMessage.id)
        )
        return query.where(HandoffTicket.channel == channel) if channel is not None else query

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
                question=_clip(private_text(question or "")) or None,  # phone and ID numbers hidden
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


# What an officer reads in place of a message that carried verification digits: the officer can help
# without them, and the desk must not become a place where a dossier's phone digits can be read.
DIGITS_HIDDEN = "[4 số cuối điện thoại để xác minh hồ sơ: đã ẩn]"
NUMBER_HIDDEN = "[số đã ẩn]"
# A message that is only four digits (any script, spaces allowed): the verification answer.
_BARE_DIGITS = re.compile(r"^\W*(?:\d\s*){4}\W*$")
# Nine digits or more, perhaps grouped by spaces, dots or hyphens: a phone or an ID number (CCCD has
# 12); or four digits spelt one by one ("0 2 2 8"). Never digits glued to a letter, a dot or a hyphen
# before them: a dossier code (000.00.12.H29-261001-0018) stays readable for the officer.
_NUMBERS = re.compile(r"(?<![\w.\-])\d(?:[ .\-]?\d){8,}|(?<![\w.\-])\d(?:[ .\-]\d){3}(?![ .\-]?\d)")


def _tagged_digits(event: dict) -> bool:
    parse = event.get("parse_data")
    entities = parse.get("entities") if isinstance(parse, dict) else None
    return isinstance(entities, list) and any(
        isinstance(e, dict) and e.get("entity") == "phone_last_digits" for e in entities)


def private_text(text: str, event: Optional[dict] = None) -> str:
    """A citizen's message as an officer may read it (transcripts, messages sent while waiting):
    DIGITS_HIDDEN for a verification answer (four digits alone, or digits the NLU tagged as one),
    phone and ID numbers replaced by NUMBER_HIDDEN."""
    if _BARE_DIGITS.match(text):
        return DIGITS_HIDDEN
    masked = _NUMBERS.sub(NUMBER_HIDDEN, text)
    if masked == text and event is not None and _tagged_digits(event):
        return DIGITS_HIDDEN
    return masked


def transcript_lines(events: Iterable[dict]) -> List[Line]:
    """The user and bot texts of a Rasa tracker's events, oldest first; a citizen's messages as
    `private_text` shows them (no verification digits, no phone or ID numbers)."""
    lines: List[Line] = []
    for event in events:
        kind = event.get("event")
        text = event.get("text")
        if not text:
            continue
        if kind == "user":
            lines.append(Line(AUTHOR_CITIZEN, private_text(text, event)))
        elif kind == "bot":
            lines.append(Line(AUTHOR_BOT, text))
    return lines
