"""Informing the person (GDPR Art. 14): when the owner should give the privacy notice,
and its short text in the contact's language. relcrm never sends it; the owner does."""

from __future__ import annotations

import calendar
from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from contacts.models import Contact


def one_month_after(day: date) -> date:
    """The same day of the next month, or that month's last day when it is shorter."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def privacy_notice_due(*, contact: Contact, first_noted: date | None, today: date) -> bool:
    """No notice given yet, and a month has passed since the first observation."""
    if contact.privacy_notice_on is not None or first_noted is None:
        return False
    return today >= one_month_after(first_noted)


def privacy_notice_text(*, contact: Contact, sender: str) -> str:
    with translation.override(contact.language):
        return render_to_string(
            "privacy/privacy_notice.txt", {"contact": contact, "sender": sender}
        ).strip()
