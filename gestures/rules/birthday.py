"""Birthdays: the next birthday within the horizon gets a gesture.

The plain gesture is a handwritten note while there is time to post it, and a call when the
birthday is closer than NOTE_POSTAL_DAYS (a note would arrive late). Tier A contacts may get
a gift instead when an item fits (the scan picks it; no item, no gift).
"""

from __future__ import annotations

import datetime as dt

from .caps import BIRTHDAY_WEIGHT, occasion_score
from .dates import days_until, next_occurrence, yearly_date
from .types import ContactInfo, OccasionHit, ScanSettings

# A posted card takes a couple of working days; closer than this, a call is the gesture.
NOTE_POSTAL_DAYS = 3
GIFT_TIERS = frozenset({"A"})


def birthday_hits(
    *, contact: ContactInfo, settings: ScanSettings, today: dt.date
) -> list[OccasionHit]:
    hits = []
    for fact in contact.facts_of("birthday"):
        month_day = yearly_date(fact)
        if month_day is None:
            continue
        occurrence = next_occurrence(*month_day, today)
        until = days_until(occurrence, today)
        if until > settings.horizon_days:
            continue
        hits.append(
            OccasionHit(
                occasion="birthday",
                fact=fact,
                occurrence_date=occurrence,
                kind="note" if until >= NOTE_POSTAL_DAYS else "call",
                score=occasion_score(BIRTHDAY_WEIGHT, tier=contact.tier, days_to_event=until),
                gift_allowed=contact.tier in GIFT_TIERS,
            )
        )
    return hits
