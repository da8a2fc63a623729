"""The daily scan for one contact: occasions found by the rules, gifts chosen, caps applied.

`suggest_for_contact` returns the new suggestions to store today. The scan service loads
the plain data, calls it per contact and bulk-inserts the result under the unique key
(contact, occasion, source fact, occurrence date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from .anniversary import anniversary_hits
from .birthday import birthday_hits
from .caps import Candidate, apply_caps, open_suggestions
from .gifts import propose_gift
from .keep_in_touch import keep_in_touch_score, last_touch
from .life_event import life_event_hits
from .milestone import milestone_hits
from .role_change import role_change_hits
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


def suggest_for_contact(
    *,
    contact: ContactInfo,
    gestures: Sequence[GestureInfo],
    existing: Sequence[OpenSuggestion],
    catalog: Sequence[CatalogItem],
    settings: ScanSettings,
    today: dt.date,
    interest_names: Mapping[str, tuple[str, str]] = NO_INTEREST_NAMES,
) -> list[SuggestionDraft]:
    """The new suggestions for the contact today, most important first (may be empty).

    `existing` are the contact's stored suggestions in every status: a key stored in any
    status is never suggested again, and the open ones count against the caps.
    """
    scan = _Scan(contact, gestures, catalog, settings, today, interest_names)
    hits = [
        *birthday_hits(contact=contact, settings=settings, today=today),
        *anniversary_hits(contact=contact, settings=settings, today=today),
        *role_change_hits(contact=contact, settings=settings, today=today),
        *life_event_hits(contact=contact, settings=settings, today=today),
        *milestone_hits(contact=contact, settings=settings, today=today),
    ]
    stored = {(s.occasion, s.source_fact_id, s.occurrence_date) for s in existing}
    candidates = [
        _candidate(group, scan)
        for group in _same_occasions(hits)
        if not any(_hit_key(hit) in stored for hit in group)
    ]
    drafts = apply_caps(candidates, existing=existing, gestures=gestures, settings=settings)
    if drafts or open_suggestions(existing) or settings.max_open_per_contact < 1:
        return drafts
    score = keep_in_touch_score(
        contact=contact, gestures=gestures, existing=existing, settings=settings, today=today
    )
    return [_keep_in_touch_draft(score, scan)] if score is not None else []


def expiry(hit: OccasionHit, contact: ContactInfo, settings: ScanSettings) -> dt.date:
    """The last day a gesture for the occasion still makes sense.

    Birthdays and anniversaries: the day itself; a late card is a different gesture.
    Role changes and life events: the end of their window, counted from the date or from
    the day it was noted, whichever is later (news heard late is still news). Milestones:
    the end of their window after the date.
    """
    occurrence = hit.occurrence_date
    if hit.occasion in ("role_change", "life_event"):
        window = (
            settings.role_change_window_days
            if hit.occasion == "role_change"
            else settings.life_event_window_days
        )
        noted_on = contact.noted_on(hit.fact) or occurrence
        return max(occurrence, noted_on) + dt.timedelta(days=window)
    if hit.occasion == "milestone":
        return occurrence + dt.timedelta(days=settings.milestone_after_days)
    return occurrence


def _hit_key(hit: OccasionHit) -> tuple[str, int | None, dt.date]:
    return (hit.occasion, hit.fact.id, hit.occurrence_date)


def _same_occasions(hits: Iterable[OccasionHit]) -> list[list[OccasionHit]]:
    """Hits grouped when they are the same occasion noted more than once ("her birthday is
    March 3rd" in two observations), so the contact gets one gesture quoting both.

    The fact with the lowest id leads the group and gives the suggestion its key.
    """
    groups: dict[tuple[object, ...], list[OccasionHit]] = {}
    for hit in sorted(hits, key=lambda h: h.fact.id):
        fact = hit.fact
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


def _candidate(group: Sequence[OccasionHit], scan: _Scan) -> Candidate:
    hit = group[0]
    fact = hit.fact
    facts = [h.fact for h in group]
    observation_ids = _observation_ids(facts)
    explanation = Explanation(
        occasion=hit.occasion,
        kind=hit.kind,
        event_date=hit.occurrence_date,
        dated=hit.dated,
        subject=fact.subject,
        event=fact.event,
        title=fact.title,
        label=fact.label,
        years=hit.years,
        quotes=scan.contact.quotes(observation_ids),
        sensitive=any(f.sensitive for f in facts),
    )
    plain = SuggestionDraft(
        occasion=hit.occasion,
        kind=hit.kind,
        source_fact_id=fact.id,
        occurrence_date=hit.occurrence_date,
        due_date=max(hit.occurrence_date, scan.today),
        expires_on=expiry(hit, scan.contact, scan.settings),
        gift_item_id=None,
        price_eur=None,
        score=hit.score,
        needs_approval=False,
        observation_ids=tuple(observation_ids),
        explanation=explanation,
    )
    if hit.personal_only:
        return Candidate(_without_gift(plain, "personal_only"))
    if not hit.gift_allowed:
        return Candidate(plain)

    proposal = propose_gift(
        contact=scan.contact,
        gestures=scan.gestures,
        catalog=scan.catalog,
        settings=scan.settings,
        occasion=hit.occasion,
        event_date=hit.occurrence_date,
        today=scan.today,
        own_observation_ids=observation_ids,
        interest_names=scan.interest_names,
    )
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
        explanation=replace(explanation, kind="gift", gift=proposal.reason, quotes=proposal.quotes),
    )
    return Candidate(gift_draft, fallback=_without_gift(plain, "gift_cap"))


def _without_gift(draft: SuggestionDraft, reason: FallbackReason) -> SuggestionDraft:
    return replace(draft, explanation=replace(draft.explanation, fallback_reason=reason))


def _keep_in_touch_draft(score: float, scan: _Scan) -> SuggestionDraft:
    return SuggestionDraft(
        occasion="keep_in_touch",
        kind="call",
        source_fact_id=None,
        occurrence_date=scan.today,
        due_date=scan.today,
        expires_on=scan.today + dt.timedelta(days=scan.settings.keep_in_touch_open_days),
        gift_item_id=None,
        price_eur=None,
        score=score,
        needs_approval=False,
        observation_ids=(),
        explanation=Explanation(
            occasion="keep_in_touch",
            kind="call",
            event_date=scan.today,
            last_touch=last_touch(contact=scan.contact, gestures=scan.gestures, today=scan.today),
            tier=scan.contact.tier,
            cadence_days=scan.settings.cadence_days.get(scan.contact.tier),
        ),
    )
