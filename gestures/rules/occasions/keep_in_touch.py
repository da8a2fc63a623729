"""Keep in touch: a call without a concrete occasion for a contact silent for longer than
their tier's cadence (A 30, B 60, C 120 days by default).

It is the fallback when nothing else is happening: the scan only asks for it when the
contact has no open suggestion and gets no new one today. It stays on the list for
`keep_in_touch_open_days`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q

from ..caps import occasion_score
from ..formats import describe_distance, format_date
from ..types import ContactInfo, Explanation, GestureInfo, ObservationInfo, OccasionHit
from .base import ContactsIn, GiftPolicy, HitContext, OccasionRule, PrefilterQueries, text_in
from .life_event import in_care_window

NAME = "keep_in_touch"
WEIGHT = 10.0
TEXTS = {
    "en": {
        "what": "Keep in touch",
        "since": (
            "Keep in touch: no gesture or observation since {date} ({distance}); "
            "tier {tier} means every {n} days."
        ),
        "never": "Keep in touch: no gesture or observation recorded yet.",
    },
    "de": {
        "what": "In Kontakt bleiben",
        "since": (
            "In Kontakt bleiben: keine Geste und keine Beobachtung seit {date} ({distance}); "
            "Stufe {tier} heißt alle {n} Tage."
        ),
        "never": "In Kontakt bleiben: noch keine Geste und keine Beobachtung erfasst.",
    },
}
GESTURE_TEXTS = {
    "en": {"gesture": "Suggested: a call without a concrete occasion."},
    "de": {"gesture": "Vorschlag: ein Anruf ohne konkreten Anlass."},
}


def last_touch(
    *, contact: ContactInfo, gestures: Sequence[GestureInfo], today: dt.date
) -> dt.date | None:
    """The latest gesture or observation up to today; None if there never was one.

    That is the contact's stored last touch (or a gesture of `gestures` after it). Only a
    scan of a day before the stored one (a rerun of a past day) looks for the latest
    observation up to that day among the loaded ones.
    """
    dates = [gesture.date for gesture in gestures if gesture.date <= today]
    stored = contact.last_touch
    if stored is not None and stored <= today:
        dates.append(stored)
    elif stored is not None:
        dates += [o.noted_on for o in contact.observations.values() if o.noted_on <= today]
    return max(dates, default=None)


def hits(context: HitContext) -> list[OccasionHit]:
    contact, settings, today = context.contact, context.settings, context.today
    cadence = settings.cadence_days.get(contact.tier)
    if cadence is None:
        return []
    touched = last_touch(contact=contact, gestures=context.gestures, today=today)
    if touched is not None and (today - touched).days <= cadence:
        return []
    # Its key changes every day (occurrence = today), so without this a dismissed one would
    # be back tomorrow: any earlier keep_in_touch, whatever became of it, restarts the cadence.
    if any(
        suggestion.occasion == NAME and (today - suggestion.occurrence_date).days <= cadence
        for suggestion in context.existing
    ):
        return []
    # While someone grieves or is ill, a call without an occasion reads as a sales call.
    if in_care_window(contact=contact, settings=settings, today=today):
        return []
    latest = last_thing_noted(contact=contact, today=today)
    return [
        OccasionHit(
            occasion=NAME,
            fact=None,
            occurrence_date=today,
            kind="call",
            score=occasion_score(WEIGHT, tier=contact.tier, days_to_event=0),
            observation_ids=(latest.id,) if latest is not None else (),
            last_touch=touched,
        )
    ]


def last_thing_noted(*, contact: ContactInfo, today: dt.date) -> ObservationInfo | None:
    """The latest observation up to today that may be quoted: the call's personal reference
    ("last time she told you …"). Never one with special-category data (GDPR Art. 9)."""
    sensitive = {fact.observation_id for fact in contact.facts if fact.sensitive}
    latest: ObservationInfo | None = None
    for observation in contact.observations.values():
        if observation.noted_on > today or observation.id in sensitive:
            continue
        if latest is None or (observation.noted_on, observation.id) > (latest.noted_on, latest.id):
            latest = observation
    return latest


def expires_on(hit: OccasionHit, context: HitContext) -> dt.date:
    return hit.occurrence_date + dt.timedelta(days=context.settings.keep_in_touch_open_days)


def gift_policy(hit: OccasionHit, contact: ContactInfo) -> GiftPolicy:
    return "no_gift"


def prefilter(queries: PrefilterQueries) -> ContactsIn:
    """Contacts silent for longer than their tier's cadence, with nothing open and no call
    without an occasion suggested within the cadence: one indexed query per tier."""
    today, suggestions = queries.today, queries.suggestions
    open_ones = suggestions.filter(contact_id=OuterRef("pk"), status__in=queries.open_statuses)
    per_tier = []
    for tier, cadence in queries.settings.cadence_days.items():
        since = today - dt.timedelta(days=cadence)
        recent_call = suggestions.filter(
            contact_id=OuterRef("pk"), occasion=NAME, event_date__gte=since
        )
        # A last touch after `today` is a scan of a past day: the rules look before it.
        silent = (
            Q(last_touch_on__isnull=True) | Q(last_touch_on__lt=since) | Q(last_touch_on__gt=today)
        )
        per_tier.append(
            queries.contacts.filter(silent, tier=tier)
            .exclude(Exists(recent_call))
            .exclude(Exists(open_ones))
            .order_by()
            .values_list("pk", flat=True)
        )
    return ContactsIn(*per_tier)


def describe(explanation: Explanation, language: str) -> str:
    return text_in(TEXTS, language)["what"]


def headline(explanation: Explanation, language: str, today: dt.date) -> str:
    text = text_in(TEXTS, language)
    if explanation.last_touch is None:
        return text["never"]
    return text["since"].format(
        date=format_date(explanation.last_touch, language),
        distance=describe_distance(explanation.last_touch, today=today, language=language),
        tier=explanation.tier,
        n=explanation.cadence_days,
    )


RULE = OccasionRule(
    name=NAME,
    label_en="Keep in touch",
    label_de="In Kontakt bleiben",
    weight=WEIGHT,
    hits=hits,
    expires_on=expires_on,
    gift_policy=gift_policy,
    prefilter=prefilter,
    describe=describe,
    gesture_texts=GESTURE_TEXTS,
    headline=headline,
    in_catalog=False,
    fallback=True,
)
