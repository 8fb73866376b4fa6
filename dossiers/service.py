"""Dossier look-up as the dialogue uses it: status by code, details after verification.

Every source call runs under a deadline (DEADLINE_S) so that a slow or
failing source gives the citizen a polite answer within 3 seconds. Wrong
verification digits are counted per conversation and per code; after
MAX_FAILURES within WINDOW, details are refused for that conversation or
code until the window passes. Nothing personal is logged.
"""
from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Callable, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from dossiers import texts
from dossiers.codes import looks_like_code, parse_code
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

MALFORMED = "malformed"
NOT_FOUND = "not_found"
FOUND = "found"
UNAVAILABLE = "unavailable"
VERIFIED = "verified"
WRONG_DIGITS = "wrong_digits"
LOCKED = "locked"
NO_CODE = "no_code"


@dataclass
class Outcome:
    kind: str
    text: str
    code: Optional[str] = None
    status: Optional[PublicStatus] = None


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
        """The public status for the code in `text`."""
        code = parse_code(text or "")
        if code is None:
            kind = MALFORMED if looks_like_code(text or "") else NO_CODE
            return Outcome(kind, texts.MALFORMED if kind == MALFORMED else texts.ASK_CODE)
        try:
            status = self._call(self.source.status, code.value)
        except SourceUnavailable as exc:
            logger.warning("dossier status unavailable: %s", exc)
            return Outcome(UNAVAILABLE, texts.UNAVAILABLE.format(hotline=self.hotline), code.value)
        if status is None:
            return Outcome(NOT_FOUND, texts.not_found(code.value), code.value)
        return Outcome(FOUND, texts.public_answer(status, self.calendar, self.today()), code.value, status)

    def verify(self, code: str, digits: str, conversation_id: str) -> Outcome:
        """Private details if the last four phone digits match, with the attempt counted."""
        digits = "".join(ch for ch in (digits or "") if ch.isdigit())
        if len(digits) != 4:
            return Outcome(WRONG_DIGITS, texts.DIGITS_FORMAT, code)
        key = conversation_key(conversation_id, self.hash_key)
        try:
            if self._recent_failures(key, code) >= MAX_FAILURES:
                return Outcome(LOCKED, texts.LOCKED.format(minutes=int(WINDOW.total_seconds() // 60)), code)
            details = self._call(self.source.details, code, digits)
            self._record(key, code, details is not None)
            if details is None:
                left = MAX_FAILURES - self._recent_failures(key, code)
                if left <= 0:
                    return Outcome(LOCKED, texts.LOCKED.format(minutes=int(WINDOW.total_seconds() // 60)), code)
                return Outcome(WRONG_DIGITS, texts.wrong_digits(left), code)
        except SourceUnavailable as exc:
            logger.warning("dossier details unavailable: %s", exc)
            return Outcome(UNAVAILABLE, texts.UNAVAILABLE.format(hotline=self.hotline), code)
        except SQLAlchemyError as exc:
            logger.error("look-up attempts unavailable: %s", type(exc).__name__)
            return Outcome(UNAVAILABLE, texts.UNAVAILABLE.format(hotline=self.hotline), code)
        return Outcome(VERIFIED, texts.details_answer(details), code)

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
        with self.sessions.begin() as session:
            session.add(LookupAttempt(conversation_key=key, dossier_code=code, success=success))
