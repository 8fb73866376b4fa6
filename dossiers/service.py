"""Dossier look-up as the dialogue uses it: status by code, details after verification.

Every source call runs under a deadline (DEADLINE_S) so that a slow or
failing source gives the citizen a polite answer within 3 seconds. Look-ups
and wrong verification digits are counted per source (the conversation, and
the client when known) and per code, as keyed hashes (dossiers/limits.py):
too many look-ups from one source are refused for a while (TOO_MANY); after
MAX_FAILURES wrong digits for a code, that source is locked out of that
code's details (LOCKED), never the owner in their own conversation; after
CODE_CEILING wrong digits from everyone, the code's details are given only
at the desk or on the hotline (GUARDED). Digits are read in any script
("１２３４", "١٢٣٤"). Nothing personal is logged.

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

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from dossiers import texts
from dossiers.codes import EXAMPLE, looks_like_code, parse_code
from dossiers.limits import (
    FAILURE_WINDOW,
    GUARDED,
    LOOKUP_WINDOW,
    MAX_FAILURES,  # noqa: F401  (the number of tries, for callers and tests)
    LookupLimits,
    Source,
)
from dossiers.privacy import ascii_digits
from dossiers.records import PublicStatus
from dossiers.sources import DossierSource, SourceUnavailable
from dossiers.workdays import WorkingCalendar
from storage.engine import make_session_factory

logger = logging.getLogger(__name__)

DEADLINE_S = 2.8
WINDOW = FAILURE_WINDOW
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
GUARDED_CODE = "guarded"  # hotline: too many wrong digits from everyone; the desk or the hotline gives the details
TOO_MANY = "too_many"  # minutes: too many look-ups from this source; wait
VERIFIED = "verified"  # text: the private details; officer_note: the officer's note (or None)
# An officer's note is kept for the conversation's follow-ups ("cần bổ sung gì") up to this many characters.
NOTE_CHARS = 500


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
        self.limits = LookupLimits(self.sessions, hash_key)
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

    def look_up(self, text: str, source: "Source | str | None" = None) -> Outcome:
        """The public status for the code in `text`, counted for `source` when given.

        NO_CODE, MALFORMED, TOO_MANY, NOT_FOUND, UNAVAILABLE or FOUND.
        """
        code = parse_code(text or "")
        if code is None:
            kind = MALFORMED if looks_like_code(text or "") else NO_CODE
            return Outcome(kind, params={"example": EXAMPLE})
        asking = Source.of(source) if source is not None else None
        try:
            if asking is not None and self.limits.lookup_refused(asking):
                return Outcome(TOO_MANY, code=code.value,
                               params={"minutes": int(LOOKUP_WINDOW.total_seconds() // 60)})
            status = self._call(self.source.status, code.value)
            if asking is not None:
                self.limits.record_lookup(asking, code.value, status is not None)
        except SourceUnavailable as exc:
            logger.warning("dossier status unavailable: %s", exc)
            return self._unavailable(code.value)
        except SQLAlchemyError as exc:
            logger.error("look-up counters unavailable: %s", type(exc).__name__)
            return self._unavailable(code.value)
        if status is None:
            return Outcome(NOT_FOUND, code=code.value, params={"code": code.value})
        text = texts.public_answer(status, self.calendar, self.today())
        return Outcome(FOUND, text, code=code.value, status=status)

    def details_refused(self, code: str, source: "Source | str") -> Optional[Outcome]:
        """LOCKED or GUARDED_CODE when `source` may not try digits for `code` now, so that it is not
        asked for them; None when it may, or when the counters cannot be read (`verify` decides then)."""
        try:
            refused = self.limits.digits_refused(Source.of(source), code)
        except SQLAlchemyError as exc:
            logger.error("look-up counters unavailable: %s", type(exc).__name__)
            return None
        if refused == GUARDED:
            return Outcome(GUARDED_CODE, code=code, params={"hotline": self.hotline})
        return self._locked(code) if refused is not None else None

    def verify(self, code: str, digits: str, source: "Source | str") -> Outcome:
        """Private details if the last four phone digits match, with the attempt counted for `source`.

        `digits` may be in any script; DIGITS_FORMAT (not four digits: not
        counted), LOCKED, GUARDED_CODE, WRONG_DIGITS, UNAVAILABLE or VERIFIED.
        """
        digits = ascii_digits(digits) if isinstance(digits, str) else ""
        if len(digits) != 4:
            return Outcome(DIGITS_FORMAT, code=code)
        asking = Source.of(source)
        try:
            refused = self.limits.digits_refused(asking, code)
            if refused == GUARDED:
                return Outcome(GUARDED_CODE, code=code, params={"hotline": self.hotline})
            if refused is not None:
                return self._locked(code)
            details = self._call(self.source.details, code, digits)
            self._record_digits(asking, code, details is not None)
            if details is None:
                left = self.limits.attempts_left(asking, code)
                if left <= 0:
                    return self._locked(code)
                return Outcome(WRONG_DIGITS, code=code, params={"attempts_left": left})
        except SourceUnavailable as exc:
            logger.warning("dossier details unavailable: %s", exc)
            return self._unavailable(code)
        except SQLAlchemyError as exc:
            logger.error("look-up counters unavailable: %s", type(exc).__name__)
            return self._unavailable(code)
        return Outcome(VERIFIED, texts.details_answer(details), code=code,
                       params={"officer_note": (details.officer_note or "")[:NOTE_CHARS] or None})

    def _record_digits(self, asking: Source, code: str, matched: bool) -> None:
        """Count the attempt. A match that cannot be counted (database read-only or locked) is let through:
        the citizen gave the right digits; a failure that cannot be counted is SQLAlchemyError (UNAVAILABLE)."""
        try:
            self.limits.record_digits(asking, code, matched)
        except SQLAlchemyError as exc:
            if not matched:
                raise
            logger.error("look-up attempt not recorded: %s", type(exc).__name__)

    def _unavailable(self, code: str) -> Outcome:
        return Outcome(UNAVAILABLE, code=code, params={"hotline": self.hotline})

    @staticmethod
    def _locked(code: str) -> Outcome:
        return Outcome(LOCKED, code=code, params={"minutes": int(WINDOW.total_seconds() // 60)})
