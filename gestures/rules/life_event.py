"""Life events: a personal note around the event, from `horizon_days` before it to
`life_event_window_days` after it (the date noted stands in for an undated event).

Weddings, births, graduations and retirements may come with a gift; bereavement and
illness get a personal note only, never a gift and never a call.
"""

from __future__ import annotations

import datetime as dt

from .caps import CARE_WEIGHT, LIFE_EVENT_WEIGHT, occasion_score
from .dates import days_until, is_within
from .types import PERSONAL_ONLY_EVENTS, ContactInfo, OccasionHit, ScanSettings

GIFT_EVENTS: frozenset[str] = frozenset({"wedding", "birth", "graduation", "retirement"})


def life_event_hits(
    *, contact: ContactInfo, settings: ScanSettings, today: dt.date
) -> list[OccasionHit]:
    hits = []
    for fact in contact.facts_of("life_event", relatives=True):
        happened = contact.happened_on(fact)
        if happened is None:
            continue
        occurrence, dated = happened
        if not is_within(
            occurrence,
            today=today,
            days_before=settings.horizon_days,
            days_after=settings.life_event_window_days,
        ):
            continue
        personal_only = fact.event in PERSONAL_ONLY_EVENTS
        hits.append(
            OccasionHit(
                occasion="life_event",
                fact=fact,
                occurrence_date=occurrence,
                kind="note",
                score=occasion_score(
                    CARE_WEIGHT if personal_only else LIFE_EVENT_WEIGHT,
                    tier=contact.tier,
                    days_to_event=days_until(occurrence, today),
                ),
                gift_allowed=fact.event in GIFT_EVENTS,
                personal_only=personal_only,
                dated=dated,
            )
        )
    return hits


def in_care_window(*, contact: ContactInfo, settings: ScanSettings, today: dt.date) -> bool:
    """Whether a bereavement or illness is within its window: no call without an occasion."""
    hits = life_event_hits(contact=contact, settings=settings, today=today)
    return any(hit.personal_only for hit in hits)
