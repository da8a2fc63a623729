"""Anniversaries (work, company, customer, wedding, other): the next one within the horizon.

Round years (1, 5, 10, 15, …) rank higher and may come with a gift; the others get a note.
Without a known first year the number of years is unknown, so it counts as not round.
"""

from __future__ import annotations

import datetime as dt

from .caps import ANNIVERSARY_WEIGHT, ROUND_ANNIVERSARY_WEIGHT, occasion_score
from .dates import upcoming_yearly
from .types import ContactInfo, OccasionHit, ScanSettings


def is_round(years: int) -> bool:
    return years == 1 or (years > 0 and years % 5 == 0)


def anniversary_hits(
    *, contact: ContactInfo, settings: ScanSettings, today: dt.date
) -> list[OccasionHit]:
    hits = []
    for fact, occurrence, until in upcoming_yearly(
        contact.facts_of("anniversary"), horizon_days=settings.horizon_days, today=today
    ):
        years = occurrence.year - fact.year if fact.year is not None else None
        if years is not None and years < 1:
            # The founding or starting day itself is not an anniversary yet.
            continue
        if years is not None and is_round(years):
            # Bigger round numbers a little higher: 25 years outrank 5 (capped at 50).
            weight, gift_allowed = ROUND_ANNIVERSARY_WEIGHT + min(years, 50) / 10, True
        else:
            weight, gift_allowed = ANNIVERSARY_WEIGHT, False
        hits.append(
            OccasionHit(
                occasion="anniversary",
                fact=fact,
                occurrence_date=occurrence,
                kind="note",
                score=occasion_score(weight, tier=contact.tier, days_to_event=until),
                gift_allowed=gift_allowed,
                years=years,
            )
        )
    return hits
