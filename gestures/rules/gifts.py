"""Which catalog items may be given to a contact for an occasion, and which fits best.

A gift is only suggested when it matches something recorded about the person
(individuality over mass) and keeps within the law, the organization's rules and the
person's constraints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .guard import (
    NOTES_SHOWN,
    CarePeriod,
    budget_note,
    care_period_on,
    item_exclusion,
    within_budget,
)
from .types import (
    CatalogItem,
    ContactInfo,
    FallbackReason,
    GestureInfo,
    GiftReason,
    GuardNote,
    Quote,
    ScanSettings,
)

# Why an item cannot be given; the "swap gift" UI can show it.
Ineligibility = Literal[
    "do_not_gift",
    "no_gifts_constraint",
    "organization_no_gifts",
    "public_sector",
    "inactive",
    "out_of_stock",
    "wrong_occasion",
    "too_late",
    "no_matching_interest",
    "disliked",
    "care_period",
    "unsuitable_symbolism",
    "felt_wrong",
    "given_before",
    "over_allowance",
    "contains_alcohol",
    "dietary",
]

# Constraints that rule out anything containing alcohol, food or not.
ALCOHOL_FREE_CONSTRAINTS: frozenset[str] = frozenset({"no_alcohol", "halal"})
# For a food item, each dietary constraint needs one of these labels (vegan food is also
# vegetarian and lactose-free).
DIETARY_LABELS: dict[str, frozenset[str]] = {
    "vegan": frozenset({"vegan"}),
    "vegetarian": frozenset({"vegetarian", "vegan"}),
    "gluten_free": frozenset({"gluten_free"}),
    "lactose_free": frozenset({"lactose_free", "vegan"}),
    "nut_allergy": frozenset({"nut_free"}),
    "halal": frozenset({"halal"}),
    "kosher": frozenset({"kosher"}),
}


def constraint_tags(contact: ContactInfo) -> frozenset[str]:
    return frozenset(fact.tag for fact in contact.facts_of("constraint") if fact.tag)


def disliked_tags(contact: ContactInfo) -> frozenset[str]:
    return frozenset(fact.tag for fact in contact.facts_of("dislike") if fact.tag)


def interest_recency(contact: ContactInfo) -> dict[str, dt.date]:
    """Each interest slug of the contact with the latest day an observation mentioned it;
    a relative's interest is not the contact's, and what the contact dislikes is left out
    even where another note calls it an interest."""
    latest: dict[str, dt.date] = {}
    disliked = disliked_tags(contact)
    for fact in contact.facts_of("interest"):
        if not fact.tag or fact.tag in disliked:
            continue
        noted_on = contact.noted_on(fact) or dt.date.min
        if fact.tag not in latest or noted_on > latest[fact.tag]:
            latest[fact.tag] = noted_on
    return latest


def contact_gift_exclusion(contact: ContactInfo) -> Ineligibility | None:
    """Why no gift at all may go to this contact, or None if gifts are possible."""
    if contact.do_not_gift:
        return "do_not_gift"
    if "no_gifts" in constraint_tags(contact):
        return "no_gifts_constraint"
    if contact.organization_gift_policy == "no_gifts":
        return "organization_no_gifts"
    # Gifts to officials risk being read as an advantage granted (§§ 331 ff. StGB).
    if contact.organization_kind == "public_sector":
        return "public_sector"
    return None


def gift_needs_approval(
    *, price_eur: Decimal, compliance_review: bool, threshold_eur: Decimal
) -> bool:
    """A gift at or above the approval threshold, or any gift for a contact flagged for
    compliance, goes to the team lead after the account manager confirms it."""
    return compliance_review or price_eur >= threshold_eur


def annual_gift_limit(*, default_eur: Decimal, organization_limit_eur: Decimal | None) -> Decimal:
    """The per-recipient yearly limit: the default, or the organization's when it is lower.

    The one rule for the scan, the swap, the dashboard's cards and the gift ledger.
    """
    if organization_limit_eur is not None and organization_limit_eur < default_eur:
        return organization_limit_eur
    return default_eur


def contact_gift_limit(*, contact: ContactInfo, settings: ScanSettings) -> Decimal:
    return annual_gift_limit(
        default_eur=settings.annual_gift_limit_eur,
        organization_limit_eur=contact.organization_gift_limit_eur,
    )


def remaining_allowance(
    *, contact: ContactInfo, gestures: Sequence[GestureInfo], settings: ScanSettings, year: int
) -> Decimal:
    """What may still be spent on gifts to the contact in the calendar year, never below 0.

    A gift gesture without a recorded value counts as 0: only what was recorded can be
    summed.
    """
    spent = sum(
        (
            gesture.value_eur
            for gesture in gestures
            if gesture.kind == "gift" and gesture.date.year == year and gesture.value_eur
        ),
        Decimal(0),
    )
    return max(contact_gift_limit(contact=contact, settings=settings) - spent, Decimal(0))


# The salutation says whether to write "she" or "he"; without one (or with only a title)
# the sentence uses the first name.
_SHE = {"frau", "ms", "mrs", "miss"}
_HE = {"herr", "mr"}


def pronoun_of(salutation: str) -> str:
    words = salutation.replace(".", " ").lower().split()
    first = words[0] if words else ""
    return "she" if first in _SHE else "he" if first in _HE else ""


def matched_interests(item: CatalogItem, contact: ContactInfo) -> tuple[str, ...]:
    """The contact's interests the item matches, most recently noted first, then by slug."""
    return _matched(item, interest_recency(contact))


def _matched(item: CatalogItem, recency: dict[str, dt.date]) -> tuple[str, ...]:
    matched = [slug for slug in recency if slug in item.tags]
    return tuple(sorted(matched, key=lambda slug: (-recency[slug].toordinal(), slug)))


def constraint_conflict(
    item: CatalogItem, constraints: frozenset[str]
) -> Literal["contains_alcohol", "dietary"] | None:
    if item.contains_alcohol and constraints & ALCOHOL_FREE_CONSTRAINTS:
        return "contains_alcohol"
    if item.food:
        for constraint in sorted(constraints):
            labels = DIETARY_LABELS.get(constraint)
            if labels is not None and not labels & item.dietary:
                return "dietary"
    return None


@dataclass(frozen=True, slots=True)
class _Recipient:
    """What the item checks need to know about the contact for one event, computed once
    rather than once per catalog item."""

    exclusion: Ineligibility | None
    interests: dict[str, dt.date]
    dislikes: frozenset[str]
    constraints: frozenset[str]
    given_item_ids: frozenset[int]
    felt_wrong_item_ids: frozenset[int]
    allowance: Decimal
    # The period of care the occasion (or today) falls in, if any.
    care: CarePeriod | None

    @classmethod
    def of(
        cls,
        contact: ContactInfo,
        *,
        gestures: Sequence[GestureInfo],
        settings: ScanSettings,
        event_date: dt.date,
        today: dt.date,
    ) -> _Recipient:
        return cls(
            exclusion=contact_gift_exclusion(contact),
            interests=interest_recency(contact),
            dislikes=disliked_tags(contact),
            constraints=constraint_tags(contact),
            given_item_ids=frozenset(g.gift_item_id for g in gestures if g.gift_item_id),
            felt_wrong_item_ids=contact.felt_wrong_item_ids,
            allowance=remaining_allowance(
                contact=contact, gestures=gestures, settings=settings, year=event_date.year
            ),
            care=care_period_on(
                contact, care_period_days=settings.care_period_days, days=(today, event_date)
            ),
        )


def _ineligibility(
    item: CatalogItem,
    recipient: _Recipient,
    *,
    occasion: str,
    event_date: dt.date,
    today: dt.date,
) -> Ineligibility | None:
    if recipient.exclusion is not None:
        return recipient.exclusion
    # Said before anything else about the item: the person it was for did not take it well.
    if item.id in recipient.felt_wrong_item_ids:
        return "felt_wrong"
    if not item.active:
        return "inactive"
    if item.stock is not None and item.stock <= 0:
        return "out_of_stock"
    if "any" not in item.occasions and occasion not in item.occasions:
        return "wrong_occasion"
    if today + dt.timedelta(days=item.lead_time_days) > event_date:
        return "too_late"
    if not item.tags & recipient.interests.keys():
        return "no_matching_interest"
    if item.id in recipient.given_item_ids:
        return "given_before"
    if item.price_eur > recipient.allowance:
        return "over_allowance"
    conflict = constraint_conflict(item, recipient.constraints)
    if conflict is not None:
        return conflict
    # Last, so that what the guard alone leaves out is what the explanation names.
    note = _guard(item, recipient, occasion=occasion)
    return GUARD_INELIGIBILITY[note.reason] if note is not None else None


# The guard's reasons as reasons an item cannot be chosen.
GUARD_INELIGIBILITY: dict[str, Ineligibility] = {
    "disliked": "disliked",
    "care_item": "care_period",
    "symbolism": "unsuitable_symbolism",
}


def _guard(item: CatalogItem, recipient: _Recipient, *, occasion: str) -> GuardNote | None:
    return item_exclusion(item, occasion=occasion, dislikes=recipient.dislikes, care=recipient.care)


def gift_ineligibility(
    item: CatalogItem,
    *,
    contact: ContactInfo,
    gestures: Sequence[GestureInfo],
    settings: ScanSettings,
    occasion: str,
    event_date: dt.date,
    today: dt.date,
) -> Ineligibility | None:
    """Why `item` cannot be the gift for this contact's occasion, or None if it can.

    The allowance is that of the event's calendar year: the gift is received, and so
    counts, when the event comes (a Jan 3 birthday gift counts for January's year).
    """
    recipient = _Recipient.of(
        contact, gestures=gestures, settings=settings, event_date=event_date, today=today
    )
    return _ineligibility(item, recipient, occasion=occasion, event_date=event_date, today=today)


def eligible_gifts(
    *,
    contact: ContactInfo,
    gestures: Sequence[GestureInfo],
    catalog: Sequence[CatalogItem],
    settings: ScanSettings,
    occasion: str,
    event_date: dt.date,
    today: dt.date,
) -> list[tuple[CatalogItem, tuple[str, ...]]]:
    """The eligible items with the interests each matches, best first.

    Best = matches more interests, then an interest noted more recently (what the person
    cares about now), then the lower price (it leaves more of the allowance), then the sku.
    """
    ranked, _notes = _ranked_with_guard(
        contact=contact,
        gestures=gestures,
        catalog=catalog,
        settings=settings,
        occasion=occasion,
        event_date=event_date,
        today=today,
    )
    return ranked


def _ranked_with_guard(
    *,
    contact: ContactInfo,
    gestures: Sequence[GestureInfo],
    catalog: Sequence[CatalogItem],
    settings: ScanSettings,
    occasion: str,
    event_date: dt.date,
    today: dt.date,
) -> tuple[list[tuple[CatalogItem, tuple[str, ...]]], list[GuardNote]]:
    """The eligible items, best first, and the guard's notes on the items it alone left
    out (they would have been eligible), best first too."""
    recipient = _Recipient.of(
        contact, gestures=gestures, settings=settings, event_date=event_date, today=today
    )
    if recipient.exclusion is not None:
        return [], []
    recency = recipient.interests
    ranked: list[tuple[CatalogItem, tuple[str, ...]]] = []
    guarded: list[tuple[tuple[CatalogItem, tuple[str, ...]], GuardNote]] = []
    for item in catalog:
        # An item that matches no interest is neither eligible nor left out by the guard
        # alone (_ineligibility says "no_matching_interest" or an earlier reason): the
        # cheap check first spares the full one for most of the catalog.
        if item.tags.isdisjoint(recency):
            continue
        problem = _ineligibility(
            item, recipient, occasion=occasion, event_date=event_date, today=today
        )
        if problem is None:
            ranked.append((item, _matched(item, recency)))
        elif problem in GUARD_INELIGIBILITY.values():
            note = _guard(item, recipient, occasion=occasion)
            if note is not None:
                guarded.append(((item, _matched(item, recency)), note))

    def rank(entry: tuple[CatalogItem, tuple[str, ...]]) -> tuple[int, int, Decimal, str, int]:
        item, matched = entry
        latest = max(recency[slug] for slug in matched)
        return (-len(matched), -latest.toordinal(), item.price_eur, item.sku, item.id)

    guarded.sort(key=lambda pair: rank(pair[0]))
    return sorted(ranked, key=rank), [note for _entry, note in guarded]


# -- the gift proposer: the scan, the swap and the dashboard's cards -------------------------


@dataclass(frozen=True, slots=True)
class GiftProposal:
    """A gift for an occasion, with everything a suggestion says about it."""

    item: CatalogItem
    reason: GiftReason
    # The occasion's own observations, then those that recorded the matched interests.
    observation_ids: tuple[int, ...]
    quotes: tuple[Quote, ...]
    # Ordered so it arrives in time, never before today.
    due_date: dt.date
    needs_approval: bool


def gift_proposal(
    item: CatalogItem,
    *,
    contact: ContactInfo,
    gestures: Sequence[GestureInfo],
    settings: ScanSettings,
    event_date: dt.date,
    today: dt.date,
    own_observation_ids: Sequence[int],
    interest_names: Mapping[str, tuple[str, str]],
) -> GiftProposal:
    """`item` proposed as the gift for the contact's occasion on `event_date` (eligibility is
    the caller's: gift_ineligibility or eligible_gifts)."""
    matched = matched_interests(item, contact)
    interest_facts = sorted(
        (f for f in contact.facts_of("interest") if f.tag in matched),
        key=lambda f: (-(contact.noted_on(f) or dt.date.min).toordinal(), f.id),
    )
    observation_ids = tuple(
        dict.fromkeys([*own_observation_ids, *(f.observation_id for f in interest_facts)])
    )
    year = event_date.year
    noted = next(
        (
            contact.observations[f.observation_id]
            for f in interest_facts
            if f.observation_id in contact.observations and contact.quotable(f)
        ),
        None,
    )
    reason = GiftReason(
        sku=item.sku,
        name_en=item.name_en,
        name_de=item.name_de,
        price_eur=item.price_eur,
        matched_interests=matched,
        interest_labels=tuple(
            (slug, *interest_names[slug]) for slug in matched if slug in interest_names
        ),
        allowance_year=year,
        allowance_limit_eur=contact_gift_limit(contact=contact, settings=settings),
        remaining_allowance_eur=remaining_allowance(
            contact=contact, gestures=gestures, settings=settings, year=year
        ),
        interest_noted_on=noted.noted_on if noted is not None else None,
        pronoun=pronoun_of(contact.salutation),
        first_name=contact.first_name,
    )
    return GiftProposal(
        item=item,
        reason=reason,
        observation_ids=observation_ids,
        quotes=contact.quotes(observation_ids),
        due_date=max(event_date - dt.timedelta(days=item.lead_time_days), today),
        needs_approval=gift_needs_approval(
            price_eur=item.price_eur,
            compliance_review=contact.compliance_review,
            threshold_eur=settings.approval_threshold_eur,
        ),
    )


def propose_gift(
    *,
    contact: ContactInfo,
    gestures: Sequence[GestureInfo],
    catalog: Sequence[CatalogItem],
    settings: ScanSettings,
    occasion: str,
    event_date: dt.date,
    today: dt.date,
    own_observation_ids: Sequence[int],
    interest_names: Mapping[str, tuple[str, str]],
) -> GiftProposal | FallbackReason:
    """The best eligible gift for the occasion, or why there is none: gifts are excluded for
    the contact, nothing is known of their interests, or no item fits."""
    proposal, _notes = choose_gift(
        contact=contact,
        gestures=gestures,
        catalog=catalog,
        settings=settings,
        occasion=occasion,
        event_date=event_date,
        today=today,
        own_observation_ids=own_observation_ids,
        interest_names=interest_names,
    )
    return proposal


def choose_gift(
    *,
    contact: ContactInfo,
    gestures: Sequence[GestureInfo],
    catalog: Sequence[CatalogItem],
    settings: ScanSettings,
    occasion: str,
    event_date: dt.date,
    today: dt.date,
    own_observation_ids: Sequence[int],
    interest_names: Mapping[str, tuple[str, str]],
    budget_left_eur: Decimal | None = None,
) -> tuple[GiftProposal | FallbackReason, tuple[GuardNote, ...]]:
    """propose_gift with what the appropriateness guard left out (the best few items it
    alone excluded, and the month's budget when it turned the gift into a note).

    `budget_left_eur` is what the contact's account manager may still spend this month
    (None: no budget); an item above it is not proposed.
    """
    ranked, guarded = _ranked_with_guard(
        contact=contact,
        gestures=gestures,
        catalog=catalog,
        settings=settings,
        occasion=occasion,
        event_date=event_date,
        today=today,
    )
    notes = tuple(guarded[:NOTES_SHOWN])
    affordable = [entry for entry in ranked if within_budget(entry[0], budget_left_eur)]
    if ranked and not affordable and budget_left_eur is not None:
        budget = settings.monthly_gift_budget_eur or Decimal(0)
        return "monthly_budget", (*notes, budget_note(budget_eur=budget, left_eur=budget_left_eur))
    if not affordable:
        if contact_gift_exclusion(contact) is not None:
            return "gifts_excluded", ()
        if not interest_recency(contact):
            return "no_interest", notes
        return "no_eligible_item", notes
    proposal = gift_proposal(
        affordable[0][0],
        contact=contact,
        gestures=gestures,
        settings=settings,
        event_date=event_date,
        today=today,
        own_observation_ids=own_observation_ids,
        interest_names=interest_names,
    )
    return proposal, notes
