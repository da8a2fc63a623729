"""Amounts of money in pages, as people of the active language write them: "€19.90",
"19,90 €" (the same as every other price on a page)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from gestures.selectors import price_display

register = template.Library()


@register.filter
def money(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    language = "de" if (get_language() or "").startswith("de") else "en"
    return price_display(amount, language=language)
