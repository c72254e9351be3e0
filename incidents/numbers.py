"""The largest numbers the database holds: an id (a 64-bit integer), and a count or a version (a
positive 32-bit integer on PostgreSQL). A larger number in a form or an API body is refused as too
large, naming its field, before the database is asked; in an address it is no such page."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import get_format

ID_MAX = 2**63 - 1
NUMBER_MAX = 2**31 - 1


def decimal_text(value: float | Decimal) -> str:
    """A score as a person writes it, with the decimal mark of the active language: 0,5 and 2,75
    in Finnish and Swedish, 0.5 and 2.75 in English; a whole number without decimals (4)."""
    return f"{float(value):g}".replace(".", str(get_format("DECIMAL_SEPARATOR")))
