"""The daily scan for one contact: occasions found by the rules, gifts chosen, caps applied.

`suggest_for_contact` returns the new suggestions to store today. The scan service loads
the plain data, calls it per contact and bulk-inserts the result under the unique key
(contact, occasion, source fact, occurrence date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from types import MappingProxyType

from .caps import Candidate, apply_caps, open_suggestions
from .gifts import choose_gift
from .guard import care_item_note, care_period_on, is_care_occasion
from .occasions import OCCASIONS, HitContext, OccasionRule
from .types import (
    CatalogItem,
    ContactInfo,
    Explanation,
    FactInfo,
    FallbackReason,
    GestureInfo,
    OccasionHit,
    OpenSuggestion,
    ScanSettings,
    SuggestionDraft,
)

NO_INTEREST_NAMES: Mapping[str, tuple[str, str]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class _Scan:
    """The inputs every step of one contact's scan reads."""

    contact: ContactInfo
    gestures: Sequence[GestureInfo]
    catalog: Sequence[CatalogItem]
    settings: ScanSettings
    today: dt.date
    interest_names: Mapping[str, tuple[str, str]]
    # What the contact's account manager may still spend on gifts this month (None: no
    # monthly budget).
    budget_left_eur: Decimal | None = None


def suggest_for_contact(
    *,
    contact: ContactInfo,
    gestures: Sequence[GestureInfo],
    existing: Sequence[OpenSuggestion],
    catalog: Sequence[CatalogItem],
    settings: ScanSettings,
    today: dt.date,
    interest_names: Mapping[str, tuple[str, str]] = NO_INTEREST_NAMES,
    budget_left_eur: Decimal | None = None,
) -> list[SuggestionDraft]:
    """The new suggestions for the contact today, most important first (may be empty).

    `existing` are the contact's stored suggestions in every status: a key stored in any
    status is never suggested again, and the open ones count against the caps.
    `budget_left_eur` is what their account manager may still spend on gifts this month.
    """
    scan = _Scan(contact, gestures, catalog, settings, today, interest_names, budget_left_eur)
    context = HitContext(contact, gestures, existing, settings, today)
    hits = [hit for rule in OCCASIONS.values() if not rule.fallback for hit in rule.hits(context)]
    stored = {(s.occasion, s.source_fact_id, s.occurrence_date) for s in existing}
    candidates = [
        _candidate(group, scan, context)
        for group in _same_occasions(hits)
        if not any(_hit_key(hit) in stored for hit in group)
    ]
    drafts = apply_caps(candidates, existing=existing, gestures=gestures, settings=settings)
    if drafts or open_suggestions(existing) or settings.max_open_per_contact < 1:
        return drafts
    # The fallbacks (keep in touch): only for a contact with nothing open and nothing new.
    fallbacks = [
        _candidate([hit], scan, context)
        for rule in OCCASIONS.values()
        if rule.fallback
        for hit in rule.hits(context)
        if _hit_key(hit) not in stored
    ]
    return apply_caps(fallbacks, existing=existing, gestures=gestures, settings=settings)[:1]


def _hit_key(hit: OccasionHit) -> tuple[str, int | None, dt.date]:
    return (hit.occasion, hit.fact.id if hit.fact is not None else None, hit.occurrence_date)


def _same_occasions(hits: Iterable[OccasionHit]) -> list[list[OccasionHit]]:
    """Hits grouped when they are the same occasion noted more than once ("her birthday is
    March 3rd" in two observations), so the contact gets one gesture quoting both.

    The fact with the lowest id leads the group and gives the suggestion its key.
    """
    groups: dict[tuple[object, ...], list[OccasionHit]] = {}
    for hit in sorted(hits, key=lambda h: h.fact.id if h.fact is not None else 0):
        fact = hit.fact
        if fact is None:
            groups[(hit.occasion, hit.occurrence_date, None)] = [hit]
            continue
        same = (
            hit.occasion,
            hit.occurrence_date,
            hit.years,
            fact.subject,
            fact.event,
            fact.title.strip().casefold(),
            fact.label.strip().casefold(),
        )
        groups.setdefault(same, []).append(hit)
    return list(groups.values())


def _observation_ids(facts: Iterable[FactInfo]) -> list[int]:
    return list(dict.fromkeys(fact.observation_id for fact in facts))


def _candidate(group: Sequence[OccasionHit], scan: _Scan, context: HitContext) -> Candidate:
    hit = group[0]
    rule: OccasionRule = OCCASIONS[hit.occasion]
    fact = hit.fact
    facts = [h.fact for h in group if h.fact is not None]
    observation_ids = list(dict.fromkeys([*_observation_ids(facts), *hit.observation_ids]))
    explanation = Explanation(
        occasion=hit.occasion,
        kind=hit.kind,
        event_date=hit.occurrence_date,
        dated=hit.dated,
        subject=fact.subject if fact is not None else "",
        event=fact.event if fact is not None else "",
        title=fact.title if fact is not None else "",
        label=fact.label if fact is not None else "",
        years=hit.years,
        quotes=scan.contact.quotes(observation_ids),
        sensitive=any(f.sensitive for f in facts),
        last_touch=hit.last_touch,
        tier=scan.contact.tier if rule.fallback else "",
        cadence_days=scan.settings.cadence_days.get(scan.contact.tier) if rule.fallback else None,
        moments=hit.moments,
    )
    plain = SuggestionDraft(
        occasion=hit.occasion,
        kind=hit.kind,
        source_fact_id=fact.id if fact is not None else None,
        occurrence_date=hit.occurrence_date,
        due_date=rule.due_on(hit, scan.today),
        expires_on=rule.expires_on(hit, context),
        gift_item_id=None,
        price_eur=None,
        score=hit.score,
        needs_approval=False,
        observation_ids=tuple(observation_ids),
        explanation=explanation,
    )
    policy = rule.gift_policy(hit, scan.contact)
    if policy == "personal_only":
        return Candidate(_without_gift(plain, "personal_only"))
    care = (
        None
        if rule.fallback or is_care_occasion(fact)
        else care_period_on(
            scan.contact,
            care_period_days=scan.settings.care_period_days,
            days=(scan.today, hit.occurrence_date),
        )
    )
    if care is not None:
        # In a period of care every other occasion is a personal note: no gift, no call.
        guarded = replace(
            plain,
            kind="note",
            explanation=replace(
                explanation,
                kind="note",
                fallback_reason="care_period",
                guard=(care.note(),),
                sensitive=explanation.sensitive or care.fact.sensitive,
            ),
        )
        if policy == "gift":
            # Which gift it would have been, so the card can say what was left out.
            would_be, _notes = choose_gift(
                contact=replace(scan.contact, facts=_without_care(scan.contact.facts)),
                gestures=scan.gestures,
                catalog=scan.catalog,
                settings=scan.settings,
                occasion=hit.occasion,
                event_date=hit.occurrence_date,
                today=scan.today,
                own_observation_ids=observation_ids,
                interest_names=scan.interest_names,
            )
            if not isinstance(would_be, str):
                left_out = care_item_note(would_be.item)
                guarded = replace(
                    guarded,
                    explanation=replace(guarded.explanation, guard=(care.note(), left_out)),
                )
        return Candidate(guarded)
    if policy != "gift":
        return Candidate(plain)

    proposal, guard_notes = choose_gift(
        contact=scan.contact,
        gestures=scan.gestures,
        catalog=scan.catalog,
        settings=scan.settings,
        occasion=hit.occasion,
        event_date=hit.occurrence_date,
        today=scan.today,
        own_observation_ids=observation_ids,
        interest_names=scan.interest_names,
        budget_left_eur=scan.budget_left_eur,
    )
    plain = replace(plain, explanation=replace(explanation, guard=guard_notes))
    if isinstance(proposal, str):
        return Candidate(_without_gift(plain, proposal))
    gift_draft = replace(
        plain,
        kind="gift",
        due_date=proposal.due_date,
        gift_item_id=proposal.item.id,
        price_eur=proposal.item.price_eur,
        needs_approval=proposal.needs_approval,
        observation_ids=proposal.observation_ids,
        explanation=replace(
            explanation,
            kind="gift",
            gift=proposal.reason,
            quotes=proposal.quotes,
            guard=guard_notes,
        ),
    )
    return Candidate(gift_draft, fallback=_without_gift(plain, "gift_cap"))


def _without_gift(draft: SuggestionDraft, reason: FallbackReason) -> SuggestionDraft:
    return replace(draft, explanation=replace(draft.explanation, fallback_reason=reason))


def _without_care(facts: Sequence[FactInfo]) -> tuple[FactInfo, ...]:
    return tuple(fact for fact in facts if not is_care_occasion(fact))
