"""Life events: a personal note around the event, from `horizon_days` before it to
`life_event_window_days` after it (the date noted stands in for an undated event).

Weddings, births, graduations and retirements may come with a gift; bereavement and
illness get a personal note only, never a gift and never a call, and come before every
other occasion. It expires at the end of the window, counted from the date or from the day
it was noted, whichever is later.
"""

from __future__ import annotations

import datetime as dt

from ..caps import occasion_score
from ..dates import days_until, is_within
from ..guard import care_period_on
from ..types import PERSONAL_ONLY_EVENTS, ContactInfo, Explanation, OccasionHit, ScanSettings
from .base import FactsWhere, GiftPolicy, HitContext, OccasionRule, PrefilterQueries, text_in
from .windows import dated_facts

NAME = "life_event"
WEIGHT = 80.0
CARE_WEIGHT = 85.0  # bereavement, illness
GIFT_EVENTS: frozenset[str] = frozenset({"wedding", "birth", "graduation", "retirement"})
TEXTS = {
    "en": {
        "what": "Life event",
        "wedding": "Wedding",
        "birth": "Birth of a child",
        "move": "Move",
        "graduation": "Graduation",
        "retirement": "Retirement",
        "bereavement": "Bereavement",
        "illness": "Illness",
    },
    "de": {
        "what": "Lebensereignis",
        "wedding": "Hochzeit",
        "birth": "Geburt eines Kindes",
        "move": "Umzug",
        "graduation": "Abschluss",
        "retirement": "Ruhestand",
        "bereavement": "Trauerfall",
        "illness": "Krankheit",
    },
}


def _hits(contact: ContactInfo, settings: ScanSettings, today: dt.date) -> list[OccasionHit]:
    found = []
    for fact in contact.facts_of(NAME, relatives=True):
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
        care = fact.event in PERSONAL_ONLY_EVENTS
        found.append(
            OccasionHit(
                occasion=NAME,
                fact=fact,
                occurrence_date=occurrence,
                kind="note",
                score=occasion_score(
                    CARE_WEIGHT if care else WEIGHT,
                    tier=contact.tier,
                    days_to_event=days_until(occurrence, today),
                ),
                dated=dated,
            )
        )
    return found


def hits(context: HitContext) -> list[OccasionHit]:
    return _hits(context.contact, context.settings, context.today)


def in_care_window(*, contact: ContactInfo, settings: ScanSettings, today: dt.date) -> bool:
    """Whether a bereavement or illness is within its window or its period of care (the
    appropriateness guard): no call without an occasion."""
    if care_period_on(contact, care_period_days=settings.care_period_days, days=(today,)):
        return True
    return any(
        hit.fact is not None and hit.fact.event in PERSONAL_ONLY_EVENTS
        for hit in _hits(contact, settings, today)
    )


def expires_on(hit: OccasionHit, context: HitContext) -> dt.date:
    assert hit.fact is not None  # noqa: S101 - every life event hit has its fact
    noted_on = context.contact.noted_on(hit.fact) or hit.occurrence_date
    window = dt.timedelta(days=context.settings.life_event_window_days)
    return max(hit.occurrence_date, noted_on) + window


def gift_policy(hit: OccasionHit, contact: ContactInfo) -> GiftPolicy:
    event = hit.fact.event if hit.fact is not None else ""
    if event in PERSONAL_ONLY_EVENTS:
        return "personal_only"
    return "gift" if event in GIFT_EVENTS else "no_gift"


def prefilter(queries: PrefilterQueries) -> FactsWhere:
    settings = queries.settings
    return FactsWhere(
        dated_facts(
            NAME,
            queries.today,
            back_days=settings.life_event_window_days,
            ahead_days=settings.horizon_days,
        )
    )


def describe(explanation: Explanation, language: str) -> str:
    text = text_in(TEXTS, language)
    return text.get(explanation.event, text["what"])


RULE = OccasionRule(
    name=NAME,
    label_en="Life event",
    label_de="Lebensereignis",
    weight=WEIGHT,
    hits=hits,
    expires_on=expires_on,
    gift_policy=gift_policy,
    prefilter=prefilter,
    describe=describe,
    fact_kinds=(NAME,),
)
