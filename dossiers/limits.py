"""Limits on dossier look-ups and verification attempts: per source, per code, for everyone.

A *source* is a conversation and, when the channel says which client sent the
message (a hashed client address in the message's metadata), that client: a
limit holds for each of them, so rotating conversation ids from one client
gains nothing. Everything is counted in the database (table
dossier_lookup_events), as keyed hashes only (dossiers.privacy): never a raw
code, conversation id, client address or digits.

The limits (sliding windows):

- **look-ups** (codes checked) by one source: LOOKUPS_PER_SOURCE per
  LOOKUP_WINDOW, of which UNKNOWN_PER_SOURCE codes that do not exist: one
  client can no longer check hundreds of codes a minute to find valid ones;
- **wrong digits for one code in one conversation**: MAX_FAILURES per
  FAILURE_WINDOW, then that conversation is locked out of that code's
  details. Counted per (code, conversation), not per client, so a stranger's
  guesses never lock the owner, in their own conversation, out of their
  details, even from the same address (a carrier's NAT, a shared wifi);
- **wrong digits from one source, any code**: SOURCE_FAILURES per
  SOURCE_WINDOW, per conversation and per client (one client rotating
  conversations, or trying many codes);
- **wrong digits for one code from everyone**: CODE_CEILING per CODE_WINDOW.
  Beyond it, the code's details are not given online any more until the
  window passes: the citizen is sent to the one-stop desk or the hotline
  (a longer challenge than four digits). Rotating sources thus gets at most
  CODE_CEILING guesses a day at 10,000 possible digits (0.2 %).

Checks and records are separate statements: citizens writing at the same
moment may each get one attempt past a limit, never more than one each.
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple

from sqlalchemy import delete, func, select
from sqlalchemy.orm import sessionmaker

from dossiers.models import LookupEvent
from dossiers.privacy import conversation_key, lookup_key
from storage.base import utcnow

LOOKUPS_PER_SOURCE = 20
UNKNOWN_PER_SOURCE = 8
LOOKUP_WINDOW = dt.timedelta(minutes=10)
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
SOURCE_FAILURES = 10
SOURCE_WINDOW = dt.timedelta(hours=1)
CODE_CEILING = 20
CODE_WINDOW = dt.timedelta(hours=24)
KEEP = CODE_WINDOW  # rows older than the longest window are deleted
PRUNE_EVERY = 200  # records between two deletions of old rows

CODE = "code"
DIGITS = "digits"

# What a check may say.
LOCKED = "locked"  # this source, for this code (or for any code): wait
GUARDED = "guarded"  # this code, for everyone: ask the desk or the hotline


@dataclass(frozen=True)
class Source:
    """Who is asking: the conversation id, and the client when the channel names it (any text; hashed here)."""

    conversation_id: str
    client: Optional[str] = None

    @classmethod
    def of(cls, value: "Source | str") -> "Source":
        return value if isinstance(value, Source) else cls(str(value or ""))


class LookupLimits:
    """The counters over `sessions`' database; `hash_key` keys every hash; `now` is naive UTC."""

    def __init__(self, sessions: sessionmaker, hash_key: bytes, now: Callable[[], dt.datetime] = utcnow):
        self.sessions = sessions
        self.hash_key = hash_key
        self.now = now
        self._records = 0
        self._lock = threading.Lock()

    # --- keys -------------------------------------------------------------------------------
    def _keys(self, source: Source) -> List[Tuple[object, str]]:
        keys = [(LookupEvent.conversation_key, conversation_key(source.conversation_id, self.hash_key))]
        if source.client:
            keys.append((LookupEvent.client_key, lookup_key("client", source.client, self.hash_key)))
        return keys

    def _code(self, code: str) -> str:
        return lookup_key("code", code, self.hash_key)

    def _count(self, session, kind: str, window: dt.timedelta, *conditions) -> int:
        return session.execute(
            select(func.count(LookupEvent.id)).where(
                LookupEvent.kind == kind, LookupEvent.at >= self.now() - window, *conditions
            )
        ).scalar_one()

    # --- look-ups ---------------------------------------------------------------------------
    def lookup_refused(self, source: Source) -> bool:
        """Whether this source has checked too many codes (or too many unknown ones) lately."""
        with self.sessions() as session:
            for column, key in self._keys(source):
                if self._count(session, CODE, LOOKUP_WINDOW, column == key) >= LOOKUPS_PER_SOURCE:
                    return True
                unknown = self._count(session, CODE, LOOKUP_WINDOW, column == key, LookupEvent.success.is_(False))
                if unknown >= UNKNOWN_PER_SOURCE:
                    return True
        return False

    def record_lookup(self, source: Source, code: str, found: bool) -> None:
        self._record(CODE, source, code, found)

    # --- verification -----------------------------------------------------------------------
    def digits_refused(self, source: Source, code: str) -> Optional[str]:
        """LOCKED, GUARDED or None (digits may be tried)."""
        code_key = self._code(code)
        with self.sessions() as session:
            failed = LookupEvent.success.is_(False)
            if self._count(session, DIGITS, CODE_WINDOW, LookupEvent.code_key == code_key, failed) >= CODE_CEILING:
                return GUARDED
            for column, key in self._keys(source):
                if self._count(session, DIGITS, SOURCE_WINDOW, column == key, failed) >= SOURCE_FAILURES:
                    return LOCKED
            column, key = self._keys(source)[0]  # the conversation: neighbours behind one address never lock it
            if self._count(session, DIGITS, FAILURE_WINDOW, column == key,
                           LookupEvent.code_key == code_key, failed) >= MAX_FAILURES:
                return LOCKED
        return None

    def attempts_left(self, source: Source, code: str) -> int:
        """Wrong digits this source may still give for this code before it is locked (0..MAX_FAILURES)."""
        code_key = self._code(code)
        column, key = self._keys(source)[0]  # counted per conversation, as digits_refused does
        with self.sessions() as session:
            used = self._count(session, DIGITS, FAILURE_WINDOW, column == key, LookupEvent.code_key == code_key,
                               LookupEvent.success.is_(False))
        return max(0, MAX_FAILURES - used)

    def record_digits(self, source: Source, code: str, matched: bool) -> None:
        self._record(DIGITS, source, code, matched)

    # --- storage ----------------------------------------------------------------------------
    def _record(self, kind: str, source: Source, code: Optional[str], success: bool) -> None:
        keys = dict((column.key, key) for column, key in self._keys(source))
        with self._lock:
            self._records += 1
            prune = self._records % PRUNE_EVERY == 1
        with self.sessions.begin() as session:
            session.add(LookupEvent(
                kind=kind, conversation_key=keys["conversation_key"], client_key=keys.get("client_key"),
                code_key=self._code(code) if code else None, success=success, at=self.now(),
            ))
            if prune:
                session.execute(delete(LookupEvent).where(LookupEvent.at < self.now() - KEEP))
