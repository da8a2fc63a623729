"""Dates, distances, amounts and lists as people write them in English or German, for the
explanations of every occasion. Plain tables rather than gettext: the rules run without
Django's translations, for the viewer on the day they view."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
}

_DISTANCE: dict[str, dict[str, str]] = {
    "en": {
        "today": "today",
        "tomorrow": "tomorrow",
        "yesterday": "yesterday",
        "in_days": "in {n} days",
        "days_ago": "{n} days ago",
        "and": " and ",
    },
    "de": {
        "today": "heute",
        "tomorrow": "morgen",
        "yesterday": "gestern",
        "in_days": "in {n} Tagen",
        "days_ago": "vor {n} Tagen",
        "and": " und ",
    },
}


def _words(language: str) -> dict[str, str]:
    return _DISTANCE[language] if language in _DISTANCE else _DISTANCE["en"]


def format_date(day: dt.date, language: str) -> str:
    """ "3 March 2027" in English, "3. März 2027" in German."""
    if language == "de":
        return f"{day.day}. {MONTHS['de'][day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}"


def format_money(amount: Decimal, language: str) -> str:
    """ "€1,234.50" in English, "1.234,50 €" in German."""
    english = f"{amount.quantize(Decimal('0.01')):,.2f}"
    if language == "de":
        return english.translate(str.maketrans(",.", ".,")) + " €"
    return "€" + english


def describe_distance(day: dt.date, *, today: dt.date, language: str) -> str:
    """How far `day` is from today: "today", "tomorrow", "in 5 days", "3 days ago"."""
    words = _words(language)
    days = (day - today).days
    if days == 0:
        return words["today"]
    if days == 1:
        return words["tomorrow"]
    if days == -1:
        return words["yesterday"]
    if days > 0:
        return words["in_days"].format(n=days)
    return words["days_ago"].format(n=-days)


def join_words(items: list[str], language: str) -> str:
    """ "a, b and c" / "a, b und c"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + _words(language)["and"] + items[-1]
