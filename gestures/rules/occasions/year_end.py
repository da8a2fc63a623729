"""Year-end greetings: in December, a personal note for each contact with at least one
observation this year, referring to this year's concrete moments (a milestone, a role
change, a life event) and quoting what was noted. Never a mass card: a contact with nothing
noted this year gets no greeting.

The greeting is for GREETING_DAY (a card posted by then arrives before the holidays), due
from December 1st, and expires at the end of the year. It counts against the caps like
every other occasion and ranks above a plain anniversary, below a milestone.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from ..caps import occasion_score
from ..dates import days_until
from ..formats import format_date, join_words
from ..types import PERSONAL_ONLY_EVENTS, ContactInfo, Explanation, Moment, OccasionHit
from .base import ContactsIn, GiftPolicy, HitContext, OccasionRule, PrefilterQueries, text_in

NAME = "year_end"
WEIGHT = 45.0
MONTH = 12
GREETING_DAY = 20  # of December
# The observations quoted: this year's most recent ones.
QUOTES_AT_MOST = 3
MOMENT_KINDS = ("milestone", "role_change", "life_event")
TEXTS = {
    "en": {
        "what": "Year-end greetings",
        "details": "This year: {moments}.",
        "milestone": "project milestone “{what}”",
        "milestone_unlabelled": "a project milestone",
        "role_change": "role change to {what}",
        "role_change_untitled": "a role change",
        "wedding": "wedding",
        "birth": "birth of a child",
        "move": "move",
        "graduation": "graduation",
        "retirement": "retirement",
        "on": "{moment} ({date})",
    },
    "de": {
        "what": "Grüße zum Jahresende",
        "details": "Dieses Jahr: {moments}.",
        "milestone": "Projektmeilenstein „{what}“",
        "milestone_unlabelled": "ein Projektmeilenstein",
        "role_change": "Rollenwechsel zu {what}",
        "role_change_untitled": "ein Rollenwechsel",
        "wedding": "Hochzeit",
        "birth": "Geburt eines Kindes",
        "move": "Umzug",
        "graduation": "Abschluss",
        "retirement": "Ruhestand",
        "on": "{moment} ({date})",
    },
}
GESTURE_TEXTS = {
    "en": {"gesture": "Suggested: a personal year-end note that recalls this year's moments."},
    "de": {
        "gesture": (
            "Vorschlag: eine persönliche Karte zum Jahresende, die an die Momente dieses "
            "Jahres erinnert."
        )
    },
}


def _moments(contact: ContactInfo, year: int, today: dt.date) -> tuple[Moment, ...]:
    """This year's milestones, role changes and life events, up to today; never one of a
    special category (GDPR Art. 9) or a hard moment (bereavement, illness)."""
    moments: list[tuple[dt.date, int, Moment]] = []
    for fact in contact.facts:
        if (
            fact.kind not in MOMENT_KINDS
            or not contact.quotable(fact)
            or fact.event in PERSONAL_ONLY_EVENTS
        ):
            continue
        happened = contact.happened_on(fact)
        if happened is None or happened[0].year != year or happened[0] > today:
            continue
        day, dated = happened
        what = {"milestone": fact.label, "role_change": fact.title}.get(fact.kind, fact.event)
        moment = (fact.kind, what.strip(), day.isoformat() if dated else "")
        moments.append((day, fact.id, moment))
    return tuple(dict.fromkeys(moment for _day, _id, moment in sorted(moments)))


def hits(context: HitContext) -> list[OccasionHit]:
    contact, today = context.contact, context.today
    if today.month != MONTH:
        return []
    this_year = sorted(
        (o for o in contact.observations.values() if o.noted_on.year == today.year),
        key=lambda o: (o.noted_on, o.id),
        reverse=True,
    )
    this_year = [o for o in this_year if o.noted_on <= today]
    if not this_year:
        return []
    occurrence = dt.date(today.year, MONTH, GREETING_DAY)
    return [
        OccasionHit(
            occasion=NAME,
            fact=None,
            occurrence_date=occurrence,
            kind="note",
            score=occasion_score(
                WEIGHT, tier=contact.tier, days_to_event=days_until(occurrence, today)
            ),
            observation_ids=tuple(o.id for o in this_year[:QUOTES_AT_MOST]),
            moments=_moments(contact, today.year, today),
        )
    ]


def expires_on(hit: OccasionHit, context: HitContext) -> dt.date:
    return dt.date(hit.occurrence_date.year, 12, 31)


def gift_policy(hit: OccasionHit, contact: ContactInfo) -> GiftPolicy:
    return "no_gift"


def prefilter(queries: PrefilterQueries) -> ContactsIn:
    """In December, contacts with an observation noted this year and no greeting yet."""
    today = queries.today
    if today.month != MONTH:
        return ContactsIn()
    noted = queries.observations.filter(
        contact_id=OuterRef("pk"), noted_on__gte=dt.date(today.year, 1, 1), noted_on__lte=today
    )
    greeted = queries.suggestions.filter(
        contact_id=OuterRef("pk"),
        occasion=NAME,
        event_date=dt.date(today.year, MONTH, GREETING_DAY),
    )
    return ContactsIn(
        queries.contacts.filter(Exists(noted))
        .exclude(Exists(greeted))
        .order_by()
        .values_list("pk", flat=True)
    )


def describe(explanation: Explanation, language: str) -> str:
    return text_in(TEXTS, language)["what"]


def moments_in_words(moments: tuple[Moment, ...], language: str, *, dated: bool = True) -> str:
    """This year's moments as a list of words: "project milestone “ERP go-live”
    (8 December 2026) and graduation"; empty when there are none."""
    text = text_in(TEXTS, language)
    phrases = []
    for kind, what, day in moments:
        if kind == "role_change":
            phrase = text["role_change"].format(what=what) if what else text["role_change_untitled"]
        elif kind == "milestone":
            phrase = text["milestone"].format(what=what) if what else text["milestone_unlabelled"]
        else:
            phrase = text.get(what, what)
        if day and dated:
            phrase = text["on"].format(
                moment=phrase, date=format_date(dt.date.fromisoformat(day), language)
            )
        phrases.append(phrase)
    return join_words(phrases, language)


def details(explanation: Explanation, language: str) -> str:
    """This year's moments in words: "This year: project milestone “ERP go-live”
    (8 December 2026) and graduation."."""
    moments = moments_in_words(explanation.moments, language)
    if not moments:
        return ""
    return text_in(TEXTS, language)["details"].format(moments=moments)


RULE = OccasionRule(
    name=NAME,
    label_en="Year-end greetings",
    label_de="Grüße zum Jahresende",
    weight=WEIGHT,
    hits=hits,
    expires_on=expires_on,
    gift_policy=gift_policy,
    prefilter=prefilter,
    describe=describe,
    gesture_texts=GESTURE_TEXTS,
    details=details,
    in_catalog=False,
)
