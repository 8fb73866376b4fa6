"""Is the desk open now, and when does it open next (officer_desk/office_hours.py)."""
import datetime as dt

import pytest

from dossiers.workdays import WorkingCalendar
from officer_desk.office_hours import (
    AFTER_CLOSING,
    BEFORE_OPENING,
    DAY_OFF,
    HOLIDAY,
    LUNCH,
    OPEN,
    VIETNAM,
    OfficeSchedule,
    describe,
    parse_sessions,
)


@pytest.fixture(scope="module")
def schedule():
    calendar = WorkingCalendar()
    return OfficeSchedule(parse_sessions("07:30-11:30,13:30-17:00"), calendar.is_working_day, calendar.holiday_name)


@pytest.mark.parametrize("moment, state, text", [
    ("2026-12-01 10:00", OPEN, "Bây giờ (10 giờ) bộ phận một cửa đang làm việc, đến 11 giờ 30."),
    ("2026-12-01 12:00", LUNCH, "Bây giờ (12 giờ) là giờ nghỉ trưa; bộ phận một cửa làm việc lại lúc 13 giờ 30 hôm nay."),
    ("2026-12-01 06:15", BEFORE_OPENING, "Bây giờ (6 giờ 15) bộ phận một cửa chưa mở cửa; mở lúc 7 giờ 30 hôm nay."),
    ("2026-12-01 17:00", AFTER_CLOSING, "Bây giờ (17 giờ) bộ phận một cửa đã hết giờ làm việc; mở lại lúc 7 giờ 30 ngày mai."),
    ("2026-12-05 10:00", DAY_OFF, "Hôm nay (thứ Bảy) bộ phận một cửa nghỉ; mở lại lúc 7 giờ 30 thứ Hai 07/12."),
    ("2027-01-01 09:00", HOLIDAY, "Hôm nay là ngày nghỉ lễ (Tết Dương lịch); bộ phận một cửa mở lại lúc 7 giờ 30 thứ Hai 04/01."),
])
def test_the_desk_at_a_moment(schedule, moment, state, text):
    status = schedule.status(dt.datetime.fromisoformat(moment))
    assert status.state == state
    assert describe(status) == text


def test_a_moment_in_another_zone_is_read_in_vietnam_time(schedule):
    utc = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.timezone.utc)  # 10:00 in Hà Nội
    status = schedule.status(utc)
    assert status.is_open and status.now.tzinfo == VIETNAM


def test_a_calendar_with_no_working_day_says_closed_without_a_date():
    never = OfficeSchedule(parse_sessions("08:00-17:00"), lambda day: False)
    assert describe(never.status(dt.datetime(2026, 12, 1, 10))) == "Hiện bộ phận một cửa đang nghỉ."


@pytest.mark.parametrize("text", ["", "8h-11h", "13:00-12:00", "07:30-11:30,11:00-17:00", "25:00-26:00", "07:30"])
def test_malformed_sessions_are_refused_in_vietnamese(text):
    with pytest.raises(ValueError) as error:
        parse_sessions(text)
    assert "khung giờ" in str(error.value) or "giờ" in str(error.value)
