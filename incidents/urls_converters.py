"""The one path converter of the application's addresses."""

from __future__ import annotations

from django.urls import register_converter

from incidents.numbers import ID_MAX


class IdConverter:
    """An id in an address. One past what the database holds (2^63 - 1) is read as 0, an id no
    row has, so that the page or the API answers its own "no such ..." rather than the database
    failing on a number it cannot hold."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if number <= ID_MAX else 0

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
