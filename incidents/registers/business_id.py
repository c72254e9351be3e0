"""The Finnish business ID (Y-tunnus) of a controller: its check digit (design, "Domain model").

A leaf: the Organisation model and the importer both check it.
"""

from __future__ import annotations

import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_valid(business_id: str) -> bool:
    """The check digit of a normalised ``NNNNNNN-N`` (design, "Domain model")."""
    match = re.fullmatch(r"(\d{7})-(\d)", business_id)
    if match is None:
        return False
    remainder = sum(int(digit) * weight for digit, weight in zip(match.group(1), _WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return False
    return int(match.group(2)) == (0 if remainder == 0 else 11 - remainder)
