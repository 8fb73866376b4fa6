"""Working days follow the Vietnamese calendar (weekends, lunar holidays, announced changes)."""
import datetime as dt
from decimal import Decimal

import pytest

from dossiers.workdays import WorkingCalendar

D = dt.date


@pytest.fixture(scope="module")
def calendar():
    return WorkingCalendar.from_file()


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2026, 2, 16), False),  # Tết Bính Ngọ (lunar New Year's Eve), computed, not listed
        (D(2026, 2, 20), False),
        (D(2026, 2, 23), True),
        (D(2027, 2, 8), False),  # Tết Đinh Mùi
        (D(2026, 4, 27), False),  # Giỗ Tổ Hùng Vương (10/3 âm lịch) falls on Sunday 26/4: observed Monday
        (D(2030, 4, 12), False),  # Giỗ Tổ 2030, far from any hand-written list
        (D(2026, 9, 2), False),
        (D(2026, 11, 21), False),  # Saturday
        (D(2025, 5, 2), False),  # announced extra day off
        (D(2025, 4, 26), True),  # announced make-up Saturday
        (D(2026, 11, 23), True),
    ],
)
def test_working_days(calendar, day, working):
    assert calendar.is_working_day(day) is working


def test_adding_working_days_skips_weekends_and_tet(calendar):
    assert calendar.add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday + 1 → Monday
    assert calendar.add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)  # across Tết
    assert calendar.working_days_between(D(2026, 11, 23), D(2026, 11, 27)) == 4
    assert calendar.working_days_between(D(2026, 11, 27), D(2026, 11, 23)) == -4


def test_expected_result_date_for_catalogue_time_limits(calendar):
    monday = D(2026, 11, 23)
    assert calendar.expected_date(monday, Decimal(7), "working_day") == D(2026, 12, 2)
    assert calendar.expected_date(monday, Decimal(15), "day") == D(2026, 12, 8)
    assert calendar.expected_date(monday, Decimal(1), "month") == D(2026, 12, 23)
    assert calendar.expected_date(monday, Decimal(4), "hour") == monday
    assert calendar.expected_date(monday, None, "working_day") is None


def test_custom_calendar_file(tmp_path):
    path = tmp_path / "cal.yml"
    path.write_text("extra_days_off: [2026-12-31]\nmakeup_working_days: [2026-12-26]\n")
    calendar = WorkingCalendar.from_file(path)
    assert not calendar.is_working_day(D(2026, 12, 31)) and calendar.is_working_day(D(2026, 12, 26))
