"""The moments the tests pin time to, written once."""

from __future__ import annotations

import datetime as dt

# Friday 27 March 2026, 10:00 in Helsinki (EET, UTC+02:00): two days before summer time begins on
# the 29th, so a clock of 72 hours ends at 11:00 on Monday's wall clock, not at 10:00.
T0 = dt.datetime(2026, 3, 27, 8, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)

# Monday 2 March 2026, 12:00 in Helsinki: when the seeded privacy statements are imported.
IMPORTED_AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
