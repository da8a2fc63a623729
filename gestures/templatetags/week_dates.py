"""The week's dates of an account manager's contacts, for their home."""

from __future__ import annotations

from django import template
from django.utils import timezone

from contacts.models import User

from ..timeline import ContactDate
from ..timeline import week_dates as dates_of_the_week

register = template.Library()


@register.simple_tag
def week_dates(user: User, language: str) -> list[ContactDate]:
    """Birthdays, anniversaries and other dates of `user`'s contacts in the next seven days."""
    return dates_of_the_week(user=user, today=timezone.localdate(), language=language)
