"""Calendar arithmetic for yearly dates (birthdays, anniversaries) and date windows.

Every function takes the reference day as an argument; nothing here reads the clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .types import FactInfo


# Both pure, and asked for again and again over a scan (every birthday and anniversary of
# every contact) for a few hundred distinct days: remembered (bounded, for a long-lived
# worker that scans day after day).
@lru_cache(maxsize=4096)
def occurrence_in_year(month: int, day: int, year: int) -> dt.date:
    """The yearly date `month`/`day` in `year`.

    A day the month does not have in that year moves to the month's last day, so a
    Feb 29 birthday is celebrated on Feb 28 in common years.
    """
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise ValueError(f"not a day of the year: {month}/{day}")
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=4096)
def next_occurrence(month: int, day: int, today: dt.date) -> dt.date:
    """The next time the yearly date comes round, today included; wraps over the year end."""
    this_year = occurrence_in_year(month, day, today.year)
    if this_year >= today:
        return this_year
    return occurrence_in_year(month, day, today.year + 1)


# The days of each month in a leap year (2000).
_LEAP_YEAR_DAYS = tuple(calendar.monthrange(2000, month)[1] for month in range(1, 13))


def yearly_date(fact: FactInfo) -> tuple[int, int] | None:
    """The (month, day) a birthday or anniversary fact comes round on, or None if it has none.

    Extraction fills `month` and `day`; a fact edited to carry a full `date` instead still
    counts. A day that exists in no year (Apr 31) is a data error and yields None.
    """
    month, day = fact.month, fact.day
    if (month is None or day is None) and fact.date is not None:
        month, day = fact.date.month, fact.date.day
    if month is None or day is None or not 1 <= month <= 12:
        return None
    if not 1 <= day <= _LEAP_YEAR_DAYS[month - 1]:  # Feb 29 exists
        return None
    return month, day


def upcoming_yearly(
    facts: Iterable[FactInfo], *, horizon_days: int, today: dt.date
) -> Iterator[tuple[FactInfo, dt.date, int]]:
    """The yearly facts (birthdays, anniversaries) that come round within the horizon, each
    with the day it comes round and the days until then."""
    for fact in facts:
        month_day = yearly_date(fact)
        if month_day is None:
            continue
        occurrence = next_occurrence(*month_day, today)
        until = days_until(occurrence, today)
        if until <= horizon_days:
            yield fact, occurrence, until


def days_until(event: dt.date, today: dt.date) -> int:
    """Days from today to the event: 0 today, 1 tomorrow, negative once it has passed."""
    return (event - today).days


def is_within(day: dt.date, *, today: dt.date, days_before: int, days_after: int) -> bool:
    """Whether `day` lies from `days_after` days ago up to `days_before` days ahead, inclusive.

    "days_before" is how long before an event we start suggesting, "days_after" how long
    after it a gesture is still timely.
    """
    return -days_after <= days_until(day, today) <= days_before
