"""Birthdays: the next birthday within the horizon gets a gesture.

The plain gesture is a handwritten note while there is time to post it, and a call when the
birthday is closer than NOTE_POSTAL_DAYS (a note would arrive late). Tier A contacts may get
a gift instead when an item fits (the scan picks it; no item, no gift).
"""

from __future__ import annotations

import datetime as dt

from .caps import BIRTHDAY_WEIGHT, occasion_score
from .dates import upcoming_yearly
from .types import ContactInfo, OccasionHit, ScanSettings

# A posted card takes a couple of working days; closer than this, a call is the gesture.
NOTE_POSTAL_DAYS = 3
GIFT_TIERS = frozenset({"A"})


def birthday_hits(
    *, contact: ContactInfo, settings: ScanSettings, today: dt.date
) -> list[OccasionHit]:
    hits = []
    for fact, occurrence, until in upcoming_yearly(
        contact.facts_of("birthday"), horizon_days=settings.horizon_days, today=today
    ):
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
