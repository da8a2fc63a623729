"""Project milestones: a handwritten note referring to the project, from
`milestone_before_days` before its date to `milestone_after_days` after it (the date noted
stands in for an undated milestone).
"""

from __future__ import annotations

import datetime as dt

from .caps import MILESTONE_WEIGHT, occasion_score
from .dates import days_until, is_within
from .types import ContactInfo, OccasionHit, ScanSettings


def milestone_hits(
    *, contact: ContactInfo, settings: ScanSettings, today: dt.date
) -> list[OccasionHit]:
    hits = []
    for fact in contact.facts_of("milestone"):
        happened = contact.happened_on(fact)
        if happened is None:
            continue
        occurrence, dated = happened
        if not is_within(
            occurrence,
            today=today,
            days_before=settings.milestone_before_days,
            days_after=settings.milestone_after_days,
        ):
            continue
        hits.append(
            OccasionHit(
                occasion="milestone",
                fact=fact,
                occurrence_date=occurrence,
                kind="note",
                score=occasion_score(
                    MILESTONE_WEIGHT,
                    tier=contact.tier,
                    days_to_event=days_until(occurrence, today),
                ),
                dated=dated,
            )
        )
    return hits
