"""Is the one-stop desk open now, and when does it open next?

The desk works in the sessions of OFFICE_SESSIONS ("07:30-11:30,13:30-17:00":
morning, lunch break, afternoon) on working days; which days are working
days (weekends, public holidays, announced swaps) is the working calendar's
answer (dossiers.workdays.WorkingCalendar, passed in as two functions so that
this module does not depend on the dossier package). Times are Vietnam time
(UTC+7, no daylight saving).

The default sessions are the usual hours of the one-stop desks (the 40-hour
week of state agencies, Decision 188/1999/QĐ-TTg: 8 hours a day, Monday to
Friday); a province sets its own with OFFICE_SESSIONS.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, List, Optional

from settings import Session, parse_sessions

__all__ = ["OfficeSchedule", "OfficeStatus", "Session", "describe", "parse_sessions"]

VIETNAM = dt.timezone(dt.timedelta(hours=7))
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
MAX_DAYS_AHEAD = 60  # a calendar with no working day in two months is a broken calendar

OPEN, BEFORE_OPENING, LUNCH, AFTER_CLOSING, DAY_OFF, HOLIDAY = "open", "before", "lunch", "after", "day_off", "holiday"

@dataclass(frozen=True)
class OfficeStatus:
    """The desk at one moment: `state` (OPEN, BEFORE_OPENING, LUNCH, AFTER_CLOSING, DAY_OFF or HOLIDAY)."""

    state: str
    now: dt.datetime
    closes_at: Optional[dt.datetime] = None  # when OPEN: the end of this session
    opens_at: Optional[dt.datetime] = None  # otherwise: the next session's start
    holiday: Optional[str] = None  # the holiday's name when HOLIDAY

    @property
    def is_open(self) -> bool:
        return self.state == OPEN


@dataclass(frozen=True)
class OfficeSchedule:
    sessions: List[Session]
    is_working_day: Callable[[dt.date], bool]
    holiday_name: Callable[[dt.date], Optional[str]] = lambda day: None

    def status(self, now: Optional[dt.datetime] = None) -> OfficeStatus:
        """The desk at `now` (aware, or naive meaning Vietnam time; default: the current time)."""
        now = _vietnam(now)
        day, clock = now.date(), now.time()
        if self.is_working_day(day):
            for number, (start, end) in enumerate(self.sessions):
                if start <= clock < end:
                    return OfficeStatus(OPEN, now, closes_at=_at(day, end))
                if clock < start:
                    state = BEFORE_OPENING if number == 0 else LUNCH
                    return OfficeStatus(state, now, opens_at=_at(day, start))
            return OfficeStatus(AFTER_CLOSING, now, opens_at=self._next_opening(day))
        holiday = self.holiday_name(day)
        state = HOLIDAY if holiday else DAY_OFF
        return OfficeStatus(state, now, opens_at=self._next_opening(day), holiday=holiday)

    def _next_opening(self, day: dt.date) -> Optional[dt.datetime]:
        for ahead in range(1, MAX_DAYS_AHEAD + 1):
            candidate = day + dt.timedelta(days=ahead)
            if self.is_working_day(candidate):
                return _at(candidate, self.sessions[0][0])
        return None


def _vietnam(now: Optional[dt.datetime]) -> dt.datetime:
    if now is None:
        return dt.datetime.now(VIETNAM)
    return now.replace(tzinfo=VIETNAM) if now.tzinfo is None else now.astimezone(VIETNAM)


def _at(day: dt.date, clock: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=VIETNAM)


def clock_text(moment: dt.datetime) -> str:
    """"13:30" → "13 giờ 30"; "07:00" → "7 giờ"."""
    return f"{moment.hour} giờ {moment.minute:02d}" if moment.minute else f"{moment.hour} giờ"


def day_text(moment: dt.datetime, today: dt.date) -> str:
    """"hôm nay", "ngày mai" or "thứ Hai 05/01"."""
    if moment.date() == today:
        return "hôm nay"
    if moment.date() == today + dt.timedelta(days=1):
        return "ngày mai"
    return f"{WEEKDAYS[moment.weekday()]} {moment:%d/%m}"


def describe(status: OfficeStatus) -> str:
    """One Vietnamese sentence on the desk at that moment, for a citizen."""
    now = status.now
    if status.state == OPEN:
        return f"Bây giờ ({clock_text(now)}) bộ phận một cửa đang làm việc, đến {clock_text(status.closes_at)}."
    if status.opens_at is None:
        return "Hiện bộ phận một cửa đang nghỉ."
    opens = f"{clock_text(status.opens_at)} {day_text(status.opens_at, now.date())}"
    if status.state == LUNCH:
        return f"Bây giờ ({clock_text(now)}) là giờ nghỉ trưa; bộ phận một cửa làm việc lại lúc {opens}."
    if status.state == BEFORE_OPENING:
        return f"Bây giờ ({clock_text(now)}) bộ phận một cửa chưa mở cửa; mở lúc {opens}."
    if status.state == AFTER_CLOSING:
        return f"Bây giờ ({clock_text(now)}) bộ phận một cửa đã hết giờ làm việc; mở lại lúc {opens}."
    if status.state == HOLIDAY:
        return f"Hôm nay là ngày nghỉ lễ ({status.holiday}); bộ phận một cửa mở lại lúc {opens}."
    return f"Hôm nay ({WEEKDAYS[now.weekday()]}) bộ phận một cửa nghỉ; mở lại lúc {opens}."
