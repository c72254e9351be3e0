"""Swedish as written in Finland: '22.11.2026 kl. 14.05' (the Finnish order of day, month and year,
rather than Sweden's ISO dates, so that both languages of a Finnish notice read alike)."""

from __future__ import annotations

MOMENT_FORMAT = r"j.n.Y \k\l. H.i"

DATE_FORMAT = "j.n.Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = MOMENT_FORMAT
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y H.i"
