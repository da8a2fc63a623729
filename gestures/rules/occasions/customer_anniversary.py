"""Customer anniversaries: round years of being our customer, counted from the contact's
`customer_since` date, when the next one is within the horizon.

Round years (1, 5, 10, 15, …) get a note; tier A contacts may get a gift at 5, 10, 15 …
years when an item fits. It expires on the day itself. Without a `customer_since` date there
is no such occasion (an anniversary noted in an observation is the `anniversary` occasion).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from ..caps import occasion_score
from ..dates import days_until, next_occurrence
from ..types import ContactInfo, Explanation, OccasionHit
from .anniversary import is_round
from .base import ContactsIn, GiftPolicy, HitContext, OccasionRule, PrefilterQueries, text_in
from .windows import month_day_window

NAME = "customer_anniversary"
WEIGHT = 65.0
GIFT_TIERS = frozenset({"A"})
GIFT_EVERY_YEARS = 5
TEXTS = {
    "en": {"what": "Customer anniversary", "what_years": "{n} years as our customer"},
    "de": {"what": "Kundenjubiläum", "what_years": "{n} Jahre Kunde bei uns"},
}


def hits(context: HitContext) -> list[OccasionHit]:
    contact, today = context.contact, context.today
    since = contact.customer_since
    if since is None:
        return []
    occurrence = next_occurrence(since.month, since.day, today)
    until = days_until(occurrence, today)
    years = occurrence.year - since.year
    if until > context.settings.horizon_days or not is_round(years):
        return []
    return [
        OccasionHit(
            occasion=NAME,
            fact=None,
            occurrence_date=occurrence,
            kind="note",
            score=occasion_score(WEIGHT, tier=contact.tier, days_to_event=until),
            years=years,
        )
    ]


def expires_on(hit: OccasionHit, context: HitContext) -> dt.date:
    return hit.occurrence_date


def gift_policy(hit: OccasionHit, contact: ContactInfo) -> GiftPolicy:
    years = hit.years or 0
    if contact.tier in GIFT_TIERS and years > 0 and years % GIFT_EVERY_YEARS == 0:
        return "gift"
    return "no_gift"


def prefilter(queries: PrefilterQueries) -> ContactsIn:
    """Contacts whose `customer_since` comes round within the horizon, without a suggestion
    for that day yet."""
    today = queries.today
    suggested = queries.suggestions.filter(
        contact_id=OuterRef("pk"), occasion=NAME, event_date__gte=today
    )
    window = month_day_window(today, queries.settings.horizon_days, prefix="customer_since__")
    return ContactsIn(
        queries.contacts.filter(window, customer_since__isnull=False)
        .exclude(Exists(suggested))
        .order_by()
        .values_list("pk", flat=True)
    )


def describe(explanation: Explanation, language: str) -> str:
    text = text_in(TEXTS, language)
    if explanation.years is not None:
        return text["what_years"].format(n=explanation.years)
    return text["what"]


RULE = OccasionRule(
    name=NAME,
    label_en="Customer anniversary",
    label_de="Kundenjubiläum",
    weight=WEIGHT,
    hits=hits,
    expires_on=expires_on,
    gift_policy=gift_policy,
    prefilter=prefilter,
    describe=describe,
)
