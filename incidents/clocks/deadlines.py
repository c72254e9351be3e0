"""Deadline arithmetic for the clocks of the design ("Clocks").

Hours are continuous: 72 hours is 72 × 3600 seconds after the start, across nights, weekends,
holidays and DST changes (no weekend extension applies to periods in hours, Reg. 1182/71
Art. 3(4)). A month is a calendar month, counted on the organisation's wall clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo


def deadline_after(start: dt.datetime, *, hours: int = 0, months: int = 0, zone: ZoneInfo) -> dt.datetime:
    """The moment a period of ``hours`` and/or ``months`` that began at ``start`` runs out (UTC).

    Months move the local date by whole calendar months, keeping the local time of day; a day the
    target month lacks becomes its last day (31 January + 1 month = 28 or 29 February). That is
    the earlier reading of Reg. 1182/71 Art. 3(2)(c), chosen so that no deadline is shown later
    than the strictest authority would count it. A wall time that the target day skips (the
    spring-forward gap) becomes the first moment that exists after it, the end of the gap; a wall
    time that occurs twice (autumn) is its first, earlier occurrence.
    """
    if start.tzinfo is None:
        raise ValueError("deadlines need a timezone-aware start")
    moment = start.astimezone(dt.UTC)
    if months:
        local = moment.astimezone(zone)
        month_index = local.month - 1 + months
        year, month = local.year + month_index // 12, month_index % 12 + 1
        day = min(local.day, calendar.monthrange(year, month)[1])
        wall_clock = dt.datetime.combine(dt.date(year, month, day), local.time().replace(tzinfo=None))
        moment = _first_moment_at_or_after(wall_clock, zone)
    return moment + dt.timedelta(hours=hours)


def _first_moment_at_or_after(wall_clock: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The first instant (UTC) whose local time in ``zone`` is ``wall_clock`` or later."""
    earlier = wall_clock.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)
    if earlier.astimezone(zone).replace(tzinfo=None) == wall_clock:
        return earlier  # the time exists (its first occurrence, if it occurs twice)
    # In a gap, fold=1 reads the wall time with the offset after the change and lands before the
    # gap; fold=0 with the offset before it and lands after. The change lies between: find it.
    low = wall_clock.replace(tzinfo=zone, fold=1).astimezone(dt.UTC)
    high = earlier
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= wall_clock:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0) if high.microsecond else high
