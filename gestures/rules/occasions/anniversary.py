"""Anniversaries (work, company, customer, wedding, other): the next one within the horizon.

Round years (1, 5, 10, 15, …) rank higher and may come with a gift; the others get a note.
Without a known first year the number of years is unknown, so it counts as not round. It
expires on the day itself.
"""

from __future__ import annotations

import datetime as dt

from ..caps import occasion_score
from ..dates import upcoming_yearly
from ..types import ContactInfo, Explanation, OccasionHit
from .base import FactsWhere, GiftPolicy, HitContext, OccasionRule, PrefilterQueries, text_in
from .windows import yearly_facts

NAME = "anniversary"
WEIGHT = 40.0
ROUND_WEIGHT = 70.0  # plus up to 5 for the bigger round numbers
TEXTS = {
    "en": {
        "anniversary": "Anniversary",
        "anniversary_years": "{n}-year anniversary",
        "anniversary.work": "Work anniversary",
        "anniversary.work_years": "{n}-year work anniversary",
        "anniversary.company": "Company anniversary",
        "anniversary.company_years": "{n}-year company anniversary",
        "anniversary.customer": "Customer anniversary",
        "anniversary.customer_years": "{n} years as our customer",
        "anniversary.wedding": "Wedding anniversary",
        "anniversary.wedding_years": "Wedding anniversary ({n} years)",
    },
    "de": {
        "anniversary": "Jubiläum",
        "anniversary_years": "{n}-jähriges Jubiläum",
        "anniversary.work": "Dienstjubiläum",
        "anniversary.work_years": "{n}-jähriges Dienstjubiläum",
        "anniversary.company": "Firmenjubiläum",
        "anniversary.company_years": "{n}-jähriges Firmenjubiläum",
        "anniversary.customer": "Kundenjubiläum",
        "anniversary.customer_years": "{n} Jahre Kunde bei uns",
        "anniversary.wedding": "Hochzeitstag",
        "anniversary.wedding_years": "{n}. Hochzeitstag",
    },
}


def is_round(years: int) -> bool:
    return years == 1 or (years > 0 and years % 5 == 0)


def hits(context: HitContext) -> list[OccasionHit]:
    contact = context.contact
    found = []
    for fact, occurrence, until in upcoming_yearly(
        contact.facts_of(NAME), horizon_days=context.settings.horizon_days, today=context.today
    ):
        years = occurrence.year - fact.year if fact.year is not None else None
        if years is not None and years < 1:
            # The founding or starting day itself is not an anniversary yet.
            continue
        if years is not None and is_round(years):
            # Bigger round numbers a little higher: 25 years outrank 5 (capped at 50).
            weight = ROUND_WEIGHT + min(years, 50) / 10
        else:
            weight = WEIGHT
        found.append(
            OccasionHit(
                occasion=NAME,
                fact=fact,
                occurrence_date=occurrence,
                kind="note",
                score=occasion_score(weight, tier=contact.tier, days_to_event=until),
                years=years,
            )
        )
    return found


def expires_on(hit: OccasionHit, context: HitContext) -> dt.date:
    return hit.occurrence_date


def gift_policy(hit: OccasionHit, contact: ContactInfo) -> GiftPolicy:
    return "gift" if hit.years is not None and is_round(hit.years) else "no_gift"


def prefilter(queries: PrefilterQueries) -> FactsWhere:
    return FactsWhere(yearly_facts(NAME, queries.today, queries.settings.horizon_days))


def describe(explanation: Explanation, language: str) -> str:
    text = text_in(TEXTS, language)
    subject = f"anniversary.{explanation.subject}"
    if subject not in text:
        subject = "anniversary"
    if explanation.years is not None:
        return text[f"{subject}_years"].format(n=explanation.years)
    return text[subject]


RULE = OccasionRule(
    name=NAME,
    label_en="Anniversary",
    label_de="Jubiläum",
    weight=WEIGHT,
    hits=hits,
    expires_on=expires_on,
    gift_policy=gift_policy,
    prefilter=prefilter,
    describe=describe,
    fact_kinds=(NAME,),
)
