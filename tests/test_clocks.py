from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from incidents.clocks.deadlines import deadline_after

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


@pytest.mark.parametrize(
    ("start", "expected_utc"),
    [
        # 28 March 2027: Helsinki goes from 03:00 (UTC+2) to 04:00 (UTC+3); 03:00-03:59 do not exist.
        (local(2027, 2, 28, 3, 30), dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC)),  # -> 04:00 (UTC+3)
        (local(2027, 2, 28, 3, 0), dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC)),
        (local(2027, 2, 28, 3, 59), dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC)),
        # Just outside the gap, the wall time itself.
        (local(2027, 2, 28, 2, 59), dt.datetime(2027, 3, 28, 0, 59, tzinfo=dt.UTC)),
        (local(2027, 2, 28, 4, 0), dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC)),
    ],
)
def test_a_month_ending_in_the_spring_forward_gap_ends_at_the_first_moment_that_exists(
    start: dt.datetime, expected_utc: dt.datetime
) -> None:
    due = deadline_after(start, months=1, zone=HELSINKI)
    # In the gap: 04:00 on the Helsinki clock, never 04:30 or 04:59 (the old offset's reading).
    assert due == expected_utc


def test_a_month_ending_in_the_autumn_hour_that_occurs_twice_ends_at_its_first_occurrence() -> None:
    # 25 October 2026: 03:00-03:59 occur twice in Helsinki (UTC+3, then UTC+2).
    due = deadline_after(local(2026, 9, 25, 3, 30), months=1, zone=HELSINKI)
    assert due == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert due.astimezone(HELSINKI).utcoffset() == dt.timedelta(hours=3)
