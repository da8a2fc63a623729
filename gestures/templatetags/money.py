"""Amounts of money as people of the active language write them: "€19.90", "19,90 €"."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from gestures.rules import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return format_money(amount, "de" if (get_language() or "").startswith("de") else "en")
