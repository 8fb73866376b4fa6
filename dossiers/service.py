"""Dossier look-up as the dialogue uses it: status by code, details after verification.

Every source call runs under a deadline (DEADLINE_S) so that a slow or
failing source gives the citizen a polite answer within 3 seconds. Wrong
verification digits are counted per conversation and per code; after
MAX_FAILURES within WINDOW, details are refused for that conversation or
code until the window passes. Nothing personal is logged.

An Outcome says what happened (its kind) with the values a reply needs
(its params); only the replies built from a dossier's data (FOUND: the
status, VERIFIED: the details) come as text. The fixed replies for the
other kinds are domain responses, sent by actions.dossiers.
"""
from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from dossiers import texts
from dossiers.codes import EXAMPLE, looks_like_code, parse_code
from dossiers.models import LookupAttempt
from dossiers.privacy import conversation_key
from dossiers.records import PublicStatus
from dossiers.sources import DossierSource, SourceUnavailable
from dossiers.workdays import WorkingCalendar
from storage.base import utcnow
from storage.engine import make_session_factory

logger = logging.getLogger(__name__)

DEADLINE_S = 2.8
MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
VIETNAM = dt.timezone(dt.timedelta(hours=7))

# Outcome kinds, with the params each one carries.
NO_CODE = "no_code"  # example: a well-formed code to show
MALFORMED = "malformed"  # example
NOT_FOUND = "not_found"  # code
UNAVAILABLE = "unavailable"  # hotline: the number to call instead
FOUND = "found"  # text: the public status
DIGITS_FORMAT = "digits_format"  # (none): not four digits
WRONG_DIGITS = "wrong_digits"  # attempts_left: tries before the lock, 1..MAX_FAILURES - 1
LOCKED = "locked"  # minutes: how long details stay refused (WINDOW)
VERIFIED = "verified"  # text: the private details


@dataclass
class Outcome:
    """What a look-up or a verification gave.

    `text` is set only for FOUND and VERIFIED (replies built from the
    dossier's data); `params` holds the values the fixed reply for `kind`
    needs (see the kinds above); `code` is the normalised dossier code once
    one was read; `status` the public status when FOUND.
    """

    kind: str
    text: Optional[str] = None
    code: Optional[str] = None
    status: Optional[PublicStatus] = None
    params: Dict[str, Any] = field(default_factory=dict)


def today_in_vietnam() -> dt.date:
    return dt.datetime.now(VIETNAM).date()


class DossierService:
    """Look-ups over `source`; failed verifications are logged in `engine`'s database.

    `hash_key` (Settings.hash_key) keys the hash that stands for a conversation
    in that log; `calendar` counts working days (the bundled one by default).
    """

    def __init__(
        self,
        source: DossierSource,
        engine: Engine,
        hash_key: bytes,
        calendar: Optional[WorkingCalendar] = None,
        today: Callable[[], dt.date] = today_in_vietnam,
        hotline: str = "18001096",
        deadline_s: float = DEADLINE_S,
    ):
        self.source = source
        self.engine = engine
        self.hash_key = hash_key
        self.sessions = make_session_factory(engine)
        self.calendar = calendar or WorkingCalendar.from_file()
        self.today = today
        self.hotline = hotline
        self.deadline_s = deadline_s
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="dossier-source")

    def _call(self, function, *args):
        future = self._pool.submit(function, *args)
        try:
            return future.result(timeout=self.deadline_s)
        except concurrent.futures.TimeoutError:
            raise SourceUnavailable("timeout") from None
        except SourceUnavailable:
            raise
        except Exception as exc:  # a source must not break the conversation
            logger.error("dossier source failed: %s", type(exc).__name__)
            raise SourceUnavailable(type(exc).__name__) from None

    def look_up(self, text: str) -> Outcome:
        """The public status for the code in `text`: NO_CODE, MALFORMED, NOT_FOUND, UNAVAILABLE or FOUND."""
        code = parse_code(text or "")
        if code is None:
            kind = MALFORMED if looks_like_code(text or "") else NO_CODE
            return Outcome(kind, params={"example": EXAMPLE})
        try:
            status = self._call(self.source.status, code.value)
        except SourceUnavailable as exc:
            logger.warning("dossier status unavailable: %s", exc)
            return self._unavailable(code.value)
        if status is None:
            return Outcome(NOT_FOUND, code=code.value, params={"code": code.value})
        text = texts.public_answer(status, self.calendar, self.today())
        return Outcome(FOUND, text, code=code.value, status=status)

    def verify(self, code: str, digits: str, conversation_id: str) -> Outcome:
        """Private details if the last four phone digits match, with the attempt counted.

        DIGITS_FORMAT, WRONG_DIGITS, LOCKED, UNAVAILABLE or VERIFIED.
        """
        digits = "".join(ch for ch in (digits or "") if ch.isdigit())
        if len(digits) != 4:
            return Outcome(DIGITS_FORMAT, code=code)
        key = conversation_key(conversation_id, self.hash_key)
        try:
            if self._recent_failures(key, code) >= MAX_FAILURES:
                return self._locked(code)
            details = self._call(self.source.details, code, digits)
            self._record(key, code, details is not None)
            if details is None:
                left = MAX_FAILURES - self._recent_failures(key, code)
                if left <= 0:
                    return self._locked(code)
                return Outcome(WRONG_DIGITS, code=code, params={"attempts_left": left})
        except SourceUnavailable as exc:
            logger.warning("dossier details unavailable: %s", exc)
            return self._unavailable(code)
        except SQLAlchemyError as exc:
            logger.error("look-up attempts unavailable: %s", type(exc).__name__)
            return self._unavailable(code)
        return Outcome(VERIFIED, texts.details_answer(details), code=code)

    def _unavailable(self, code: str) -> Outcome:
        return Outcome(UNAVAILABLE, code=code, params={"hotline": self.hotline})

    @staticmethod
    def _locked(code: str) -> Outcome:
        return Outcome(LOCKED, code=code, params={"minutes": int(WINDOW.total_seconds() // 60)})

    def _recent_failures(self, key: str, code: str) -> int:
        since = utcnow() - WINDOW
        with self.sessions() as session:
            by_key = session.execute(
                select(func.count(LookupAttempt.id)).where(
                    LookupAttempt.conversation_key == key, LookupAttempt.at >= since, LookupAttempt.success.is_(False)
                )
            ).scalar_one()
            by_code = session.execute(
                select(func.count(LookupAttempt.id)).where(
                    LookupAttempt.dossier_code == code, LookupAttempt.at >= since, LookupAttempt.success.is_(False)
                )
            ).scalar_one()
        return max(by_key, by_code)

    def _record(self, key: str, code: str, success: bool) -> None:
        """Log the attempt. A success that cannot be logged (database read-only or locked) is let through:
        the citizen gave the right digits; a failure that cannot be logged is SQLAlchemyError (UNAVAILABLE)."""
        try:
            with self.sessions.begin() as session:
                session.add(LookupAttempt(conversation_key=key, dossier_code=code, success=success))
        except SQLAlchemyError as exc:
            if not success:
                raise
            logger.error("look-up attempt not recorded: %s", type(exc).__name__)
