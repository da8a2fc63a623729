"""Project milestones: a handwritten note referring to the project, from
`milestone_before_days` before its date to `milestone_after_days` after it (the date noted
stands in for an undated milestone), when it expires.
"""

from __future__ import annotations

import datetime as dt

from ..caps import occasion_score
from ..dates import days_until, is_within
from ..types import ContactInfo, Explanation, OccasionHit
from .base import FactsWhere, GiftPolicy, HitContext, OccasionRule, PrefilterQueries, text_in
from .windows import dated_facts

NAME = "milestone"
WEIGHT = 50.0
TEXTS = {
    "en": {"what": "Project milestone", "what_label": "Project milestone “{label}”"},
    "de": {"what": "Projektmeilenstein", "what_label": "Projektmeilenstein „{label}“"},
}
GESTURE_TEXTS = {
    "en": {"gesture": "Suggested: a handwritten note referring to the project."},
    "de": {"gesture": "Vorschlag: eine handgeschriebene Karte mit Bezug auf das Projekt."},
}


def hits(context: HitContext) -> list[OccasionHit]:
    contact, settings, today = context.contact, context.settings, context.today
    found = []
    for fact in contact.facts_of(NAME):
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
        found.append(
            OccasionHit(
                occasion=NAME,
                fact=fact,
                occurrence_date=occurrence,
                kind="note",
                score=occasion_score(
                    WEIGHT, tier=contact.tier, days_to_event=days_until(occurrence, today)
                ),
                dated=dated,
            )
        )
    return found


def expires_on(hit: OccasionHit, context: HitContext) -> dt.date:
    return hit.occurrence_date + dt.timedelta(days=context.settings.milestone_after_days)


def gift_policy(hit: OccasionHit, contact: ContactInfo) -> GiftPolicy:
    return "no_gift"


def prefilter(queries: PrefilterQueries) -> FactsWhere:
    settings = queries.settings
    return FactsWhere(
        dated_facts(
            NAME,
            queries.today,
            back_days=settings.milestone_after_days,
            ahead_days=settings.milestone_before_days,
        )
    )


def describe(explanation: Explanation, language: str) -> str:
    text = text_in(TEXTS, language)
    if explanation.label.strip():
        return text["what_label"].format(label=explanation.label.strip())
    return text["what"]


RULE = OccasionRule(
    name=NAME,
    label_en="Milestone",
    label_de="Meilenstein",
    weight=WEIGHT,
    hits=hits,
    expires_on=expires_on,
    gift_policy=gift_policy,
    prefilter=prefilter,
    describe=describe,
    gesture_texts=GESTURE_TEXTS,
    fact_kinds=(NAME,),
)
