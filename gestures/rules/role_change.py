"""Role changes: a congratulation note while the news is fresh.

A role change is timely when it was noted or took effect within the last
`role_change_window_days`. One dated in the future is congratulated when it takes effect:
it appears once its date is within the horizon (not as soon as it is noted), and is due on
that date.
"""

from __future__ import annotations

import datetime as dt

from .caps import ROLE_CHANGE_WEIGHT, occasion_score
from .dates import days_until, is_within
from .types import ContactInfo, OccasionHit, ScanSettings


def role_change_hits(
    *, contact: ContactInfo, settings: ScanSettings, today: dt.date
) -> list[OccasionHit]:
    window = settings.role_change_window_days
    hits = []
    for fact in contact.facts_of("role_change"):
        noted_on = contact.noted_on(fact)
        noted_recently = noted_on is not None and is_within(
            noted_on, today=today, days_before=0, days_after=window
        )
        if fact.date is not None:
            occurrence, dated = fact.date, True
            if fact.date > today:
                timely = days_until(fact.date, today) <= settings.horizon_days
            else:
                timely = noted_recently or is_within(
                    fact.date, today=today, days_before=0, days_after=window
                )
        elif noted_on is not None:
            occurrence, dated, timely = noted_on, False, noted_recently
        else:
            continue
        if not timely:
            continue
        hits.append(
            OccasionHit(
                occasion="role_change",
                fact=fact,
                occurrence_date=occurrence,
                kind="note",
                score=occasion_score(
                    ROLE_CHANGE_WEIGHT,
                    tier=contact.tier,
                    days_to_event=days_until(occurrence, today),
                ),
                dated=dated,
            )
        )
    return hits
