"""Role changes: a congratulation note while the news is fresh.

A role change is timely when it was noted or took effect within the last
`role_change_window_days`. One dated in the future is congratulated when it takes effect:
it appears once its date is within the horizon (not as soon as it is noted), and is due on
that date. It expires at the end of the window, counted from the date or from the day it
was noted, whichever is later.
"""

from __future__ import annotations

import datetime as dt

from ..caps import occasion_score
from ..dates import days_until, is_within
from ..types import ContactInfo, Explanation, OccasionHit
from .base import FactsWhere, GiftPolicy, HitContext, OccasionRule, PrefilterQueries, text_in
from .windows import dated_facts

NAME = "role_change"
WEIGHT = 60.0
TEXTS = {
    "en": {"what": "Role change", "what_title": "Role change to {title}"},
    "de": {"what": "Rollenwechsel", "what_title": "Rollenwechsel zu {title}"},
}
GESTURE_TEXTS = {
    "en": {"gesture": "Suggested: a congratulation note."},
    "de": {"gesture": "Vorschlag: eine Glückwunschkarte."},
}


def hits(context: HitContext) -> list[OccasionHit]:
    contact, settings, today = context.contact, context.settings, context.today
    window = settings.role_change_window_days
    found = []
    for fact in contact.facts_of(NAME):
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
    assert hit.fact is not None  # noqa: S101 - every role change hit has its fact
    noted_on = context.contact.noted_on(hit.fact) or hit.occurrence_date
    window = dt.timedelta(days=context.settings.role_change_window_days)
    return max(hit.occurrence_date, noted_on) + window


def gift_policy(hit: OccasionHit, contact: ContactInfo) -> GiftPolicy:
    return "no_gift"


def prefilter(queries: PrefilterQueries) -> FactsWhere:
    settings = queries.settings
    return FactsWhere(
        dated_facts(
            NAME,
            queries.today,
            back_days=settings.role_change_window_days,
            ahead_days=settings.horizon_days,
        )
    )


def describe(explanation: Explanation, language: str) -> str:
    text = text_in(TEXTS, language)
    if explanation.title.strip():
        return text["what_title"].format(title=explanation.title.strip())
    return text["what"]


RULE = OccasionRule(
    name=NAME,
    label_en="Role change",
    label_de="Rollenwechsel",
    weight=WEIGHT,
    hits=hits,
    expires_on=expires_on,
    gift_policy=gift_policy,
    prefilter=prefilter,
    describe=describe,
    gesture_texts=GESTURE_TEXTS,
    fact_kinds=(NAME,),
)
