"""English for European readers: '22 November 2026, 14:05', the month named and the day first,
on a 24-hour clock. Django's own English formats are American ('Nov. 22, 2026, 2:05 p.m.',
'11/22/2026'); a short date here is ISO 8601, which no reader on either side of the Atlantic
takes for another day."""

from __future__ import annotations

MOMENT_FORMAT = "j F Y, H:i"

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = MOMENT_FORMAT
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
