"""Birthdays: the next birthday within the horizon gets a gesture.

The plain gesture is a handwritten note while there is time to post it, and a call when the
birthday is closer than NOTE_POSTAL_DAYS (a note would arrive late). Tier A contacts may get
a gift instead when an item fits (the scan picks it; no item, no gift). It expires on the
day itself: a late card is a different gesture.
"""

from __future__ import annotations

import datetime as dt

from ..caps import occasion_score
from ..dates import upcoming_yearly
from ..types import ContactInfo, Explanation, OccasionHit
from .base import FactsWhere, GiftPolicy, HitContext, OccasionRule, PrefilterQueries, text_in
from .windows import yearly_facts

NAME = "birthday"
WEIGHT = 70.0
# A posted card takes a couple of working days; closer than this, a call is the gesture.
NOTE_POSTAL_DAYS = 3
GIFT_TIERS = frozenset({"A"})
TEXTS = {"en": {"what": "Birthday"}, "de": {"what": "Geburtstag"}}


def hits(context: HitContext) -> list[OccasionHit]:
    contact, today = context.contact, context.today
    return [
        OccasionHit(
            occasion=NAME,
            fact=fact,
            occurrence_date=occurrence,
            kind="note" if until >= NOTE_POSTAL_DAYS else "call",
            score=occasion_score(WEIGHT, tier=contact.tier, days_to_event=until),
        )
        for fact, occurrence, until in upcoming_yearly(
            contact.facts_of(NAME), horizon_days=context.settings.horizon_days, today=today
        )
    ]


def expires_on(hit: OccasionHit, context: HitContext) -> dt.date:
    return hit.occurrence_date


def gift_policy(hit: OccasionHit, contact: ContactInfo) -> GiftPolicy:
    return "gift" if contact.tier in GIFT_TIERS else "no_gift"


def prefilter(queries: PrefilterQueries) -> FactsWhere:
    return FactsWhere(yearly_facts(NAME, queries.today, queries.settings.horizon_days))


def describe(explanation: Explanation, language: str) -> str:
    return text_in(TEXTS, language)["what"]


RULE = OccasionRule(
    name=NAME,
    label_en="Birthday",
    label_de="Geburtstag",
    weight=WEIGHT,
    hits=hits,
    expires_on=expires_on,
    gift_policy=gift_policy,
    prefilter=prefilter,
    describe=describe,
    fact_kinds=(NAME,),
)
