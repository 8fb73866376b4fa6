"""Working days for due dates: weekends, Vietnamese public holidays, announced changes.

Public holidays come from the `holidays` library (Vietnam), which computes
Tết Nguyên đán and Giỗ Tổ Hùng Vương from the lunar calendar for any year.
The days off and make-up working days the government announces each year are
read from data/calendar_adjustments.yml, or from a file of your own
(DOSSIER_CALENDAR_FILE, which the wiring modules pass to `from_file`).
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Dict, Iterable, Optional, Set

import holidays
import yaml

DEFAULT_ADJUSTMENTS = Path(__file__).resolve().parent / "data" / "calendar_adjustments.yml"
MAX_SPAN_DAYS = 3660  # ten years: beyond that a date is not a processing time


@dataclass
class WorkingCalendar:
    extra_days_off: Set[dt.date] = field(default_factory=set)
    makeup_working_days: Set[dt.date] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._holidays = holidays.Vietnam(language="vi")  # names in Vietnamese ("Tết Dương lịch")
        self._memo: Dict[dt.date, bool] = {}

    @classmethod
    def from_file(cls, path: Optional[Path] = None) -> "WorkingCalendar":
        """The calendar with the announced changes in `path` (YAML: extra_days_off,
        makeup_working_days, lists of ISO dates); the bundled file when None."""
        path = Path(path or DEFAULT_ADJUSTMENTS)
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(
            extra_days_off=set(_dates(data.get("extra_days_off"))),
            makeup_working_days=set(_dates(data.get("makeup_working_days"))),
        )

    def is_working_day(self, day: dt.date) -> bool:
        known = self._memo.get(day)
        if known is None:
            if day in self.makeup_working_days:
                known = True
            else:
                known = day.weekday() < 5 and day not in self._holidays and day not in self.extra_days_off
            if len(self._memo) < 100_000:
                self._memo[day] = known
        return known

    def holiday_name(self, day: dt.date) -> Optional[str]:
        return self._holidays.get(day)

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The date `count` working days after `start` (the day of submission not counted)."""
        day = start
        remaining = max(0, int(count))
        steps = 0
        while remaining:
            day += dt.timedelta(days=1)
            steps += 1
            if steps > MAX_SPAN_DAYS:
                raise ValueError("thời hạn quá dài")
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative if end is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        if (end - start).days > MAX_SPAN_DAYS:
            raise ValueError("khoảng thời gian quá dài")
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def expected_date(self, start: dt.date, value: Decimal, unit: str) -> Optional[dt.date]:
        """When a result is due if submitted on `start`, for a catalogue time limit."""
        if value is None or unit not in ("working_day", "day", "hour", "month", "year"):
            return None
        amount = float(value)
        if unit == "working_day":
            return self.add_working_days(start, int(-(-amount // 1)))  # part of a day counts as a day
        if unit == "day":
            return start + dt.timedelta(days=int(-(-amount // 1)))
        if unit == "hour":
            # Within the working day when short; otherwise the following working days.
            days = int(-(-amount // 8)) if amount > 8 else 0
            return self.add_working_days(start, days) if days else start
        months = int(amount) * (12 if unit == "year" else 1)
        year, month = divmod(start.month - 1 + months, 12)
        year, month = start.year + year, month + 1
        return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _dates(values: Optional[Iterable]) -> Iterable[dt.date]:
    for value in values or []:
        yield value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
