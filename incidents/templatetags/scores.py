"""The risk method's numbers on a page, written as in the reader's language (0,5 in Finnish)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from incidents.numbers import decimal_text

register = template.Library()


@register.filter(name="score")
def score_filter(value: float | Decimal | None) -> str:
    return "" if value is None else decimal_text(value)
