"""The daily pre-filters shared by the occasions of facts: yearly dates by (month, day)
within the horizon, as one condition per month touched so the (kind, month, day) index
answers it (a Feb 29 date is celebrated on Feb 28 in common years: rules.dates), and
one-off dates within a window."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Q


def month_day_window(today: dt.date, horizon_days: int, *, prefix: str = "") -> Q:
    """(month, day) within [today, today + horizon] on the fields `<prefix>month` and
    `<prefix>day`, or `<prefix>__month`/`__day` lookups on a date field when `prefix` ends
    with "__"."""
    days = [today + dt.timedelta(days=n) for n in range(horizon_days + 1)]
    by_month: dict[int, list[int]] = {}
    for day in days:
        by_month.setdefault(day.month, []).append(day.day)
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            by_month[2].append(29)
    window = Q()
    for month, month_days in by_month.items():
        window |= Q(
            **{
                f"{prefix}month": month,
                f"{prefix}day__gte": min(month_days),
                f"{prefix}day__lte": max(month_days),
            }
        )
    return window


def yearly_facts(kind: str, today: dt.date, horizon_days: int) -> Q:
    # A yearly fact edited to carry a full date instead of month and day.
    undated_month = Q(month__isnull=True, date__isnull=False)
    return Q(kind=kind) & (month_day_window(today, horizon_days) | undated_month)


def dated_facts(kind: str, today: dt.date, *, back_days: int, ahead_days: int) -> Q:
    """One-off facts (role changes, life events, milestones) dated within [today - back,
    today + ahead], or noted within the last `back_days` (an undated one counts from the day
    it was noted; news heard late is still news). A superset: the rules decide."""
    since = today - dt.timedelta(days=back_days)
    return Q(kind=kind) & (
        Q(date__gte=since, date__lte=today + dt.timedelta(days=ahead_days))
        | Q(observation__noted_on__gte=since)
    )
