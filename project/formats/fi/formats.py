"""Finnish: '22.11.2026 klo 14.05'. Day and month without a leading zero and a period between hour
and minute, as Kielitoimisto recommends; the hour padded to two digits, as the pages have always
shown it."""

from __future__ import annotations

MOMENT_FORMAT = r"j.n.Y \k\l\o H.i"

DATE_FORMAT = "j.n.Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = MOMENT_FORMAT
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y H.i"
