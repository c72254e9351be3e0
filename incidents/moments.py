"""The moments a breach can have: from 2000, when the Finnish Personal Data Act (523/1999) came
into force, to the end of this century. A year outside them is a typing slip (0026 for 2026), and
a moment far outside cannot even be turned into UTC; both are refused, naming the field, on the
pages and in the API alike."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
OUT_OF_RANGE = _("Give a time from the year 2000 to 2099.")


def moment_in_range(moment: dt.datetime) -> bool:
    """Whether an aware ``moment`` is one a breach can have; False too for one that has no UTC."""
    try:
        utc = moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return False
    return EARLIEST <= utc < LATEST
