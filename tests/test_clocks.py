from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from incidents.clocks import deadline_after

HELSINKI = ZoneInfo("Europe/Helsinki")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def test_72_hours_across_the_spring_change_end_an_hour_later_on_the_wall_clock() -> None:
    # Clocks go forward on Sunday 29 March 2026: 72 real hours later reads 11:00, not 10:00.
    due = deadline_after(local(2026, 3, 27, 10), hours=72, zone=HELSINKI)
    assert due.astimezone(HELSINKI).replace(tzinfo=None) == dt.datetime(2026, 3, 30, 11, 0)
    assert due.astimezone(HELSINKI).utcoffset() == dt.timedelta(hours=3)
    assert due - local(2026, 3, 27, 10) == dt.timedelta(hours=72)


def test_72_hours_across_the_autumn_change_end_an_hour_earlier_on_the_wall_clock() -> None:
    # Clocks go back on Sunday 25 October 2026: 72 real hours later reads 09:00.
    due = deadline_after(local(2026, 10, 23, 10), hours=72, zone=HELSINKI)
    assert due.astimezone(HELSINKI).replace(tzinfo=None) == dt.datetime(2026, 10, 26, 9, 0)
    assert due.astimezone(HELSINKI).utcoffset() == dt.timedelta(hours=2)


def test_hours_run_through_weekends_and_holidays() -> None:
    # Aware on Christmas Eve 2026 (a Thursday), due on Sunday 27 December: no extension.
    due = deadline_after(local(2026, 12, 24, 16, 30), hours=72, zone=HELSINKI)
    assert due.astimezone(HELSINKI).replace(tzinfo=None) == dt.datetime(2026, 12, 27, 16, 30)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (local(2026, 1, 31, 10), 1, dt.datetime(2026, 2, 28, 10, 0)),
        (local(2028, 1, 31, 10), 1, dt.datetime(2028, 2, 29, 10, 0)),  # leap year
        (local(2026, 3, 15, 9), 1, dt.datetime(2026, 4, 15, 9, 0)),  # across the DST change
        (local(2026, 12, 31, 23, 59), 1, dt.datetime(2027, 1, 31, 23, 59)),
        (local(2026, 8, 31, 12), 6, dt.datetime(2027, 2, 28, 12, 0)),
    ],
)
def test_months_are_calendar_months_on_the_local_clock(
    start: dt.datetime, months: int, expected: dt.datetime
) -> None:
    due = deadline_after(start, months=months, zone=HELSINKI)
    assert due.tzinfo == dt.UTC
    assert due.astimezone(HELSINKI).replace(tzinfo=None) == expected


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        deadline_after(dt.datetime(2026, 3, 27, 10), hours=72, zone=HELSINKI)
