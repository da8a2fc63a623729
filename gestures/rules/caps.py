"""Quality over quantity: how much each occasion matters, and which candidates fit the caps.

A contact has at most `max_open_per_contact` open suggestions, at most
`max_open_gifts_per_contact` open gift suggestions and at most one gift per
`gift_spacing_days`; when there are more candidates than room, the most important win.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .types import GestureInfo, OpenSuggestion, ScanSettings, SuggestionDraft

# How much an occasion matters before tier and timing is its rule's weight (the modules of
# gestures.rules.occasions): care in a hard moment first, then the person's own dates, and
# keep in touch, the fallback, last.

# Closer relationships first; less than the gap between two occasion weights, so a tier
# never turns the order of occasions round by itself.
TIER_BONUS: dict[str, float] = {"A": 6.0, "B": 3.0, "C": 0.0}
# Sooner events first (up to 3 points over the next 30 days); a past event still in its
# window is as urgent as today's.
PROXIMITY_BONUS = 3.0
PROXIMITY_DAYS = 30


def occasion_score(weight: float, *, tier: str, days_to_event: int) -> float:
    """The score of an occasion: its weight, the tier bonus and how soon it is."""
    soon = min(max(days_to_event, 0), PROXIMITY_DAYS)
    proximity = PROXIMITY_BONUS * (PROXIMITY_DAYS - soon) / PROXIMITY_DAYS
    # Rounded so the order never depends on float noise.
    return round(weight + TIER_BONUS.get(tier, 0.0) + proximity, 3)


def draft_order(draft: SuggestionDraft) -> tuple[float, dt.date, str, int, dt.date]:
    """Sort key: most important first, then the earliest to act on, then a stable tie-break."""
    fact_id = draft.source_fact_id if draft.source_fact_id is not None else -1
    return (-draft.score, draft.due_date, draft.occasion, fact_id, draft.occurrence_date)


@dataclass(frozen=True, slots=True)
class Candidate:
    draft: SuggestionDraft
    # The same suggestion without the gift (a note or call), used when a gift cap leaves no
    # room for the gift: the occasion is still worth a gesture.
    fallback: SuggestionDraft | None = None


def open_suggestions(existing: Iterable[OpenSuggestion]) -> list[OpenSuggestion]:
    return [suggestion for suggestion in existing if suggestion.is_open]


def gift_dates(
    *, gestures: Iterable[GestureInfo], existing: Iterable[OpenSuggestion]
) -> list[dt.date]:
    """When the contact got, or is about to get, a gift: gift gestures done and open gift
    suggestions (by their event date)."""
    dates = [gesture.date for gesture in gestures if gesture.kind == "gift"]
    dates += [s.occurrence_date for s in open_suggestions(existing) if s.kind == "gift"]
    return dates


def too_close_to_another_gift(
    occurrence_date: dt.date, *, other_gift_dates: Iterable[dt.date], settings: ScanSettings
) -> bool:
    return any(
        abs((occurrence_date - other).days) < settings.gift_spacing_days
        for other in other_gift_dates
    )


def apply_caps(
    candidates: Sequence[Candidate],
    *,
    existing: Sequence[OpenSuggestion],
    gestures: Sequence[GestureInfo],
    settings: ScanSettings,
) -> list[SuggestionDraft]:
    """The candidates that fit the caps, most important first.

    A gift that does not fit the gift caps falls back to its note or call rather than
    dropping the occasion. Candidates whose key is already stored are skipped in any status.
    """
    if not candidates:
        return []
    stored = {(s.occasion, s.source_fact_id, s.occurrence_date) for s in existing}
    still_open = open_suggestions(existing)
    room = settings.max_open_per_contact - len(still_open)
    gift_room = settings.max_open_gifts_per_contact - sum(s.kind == "gift" for s in still_open)
    other_gift_dates = gift_dates(gestures=gestures, existing=existing)

    accepted: list[SuggestionDraft] = []
    for candidate in sorted(candidates, key=lambda c: draft_order(c.draft)):
        if room <= 0:
            break
        draft = candidate.draft
        if draft.key in stored:
            continue
        if draft.kind == "gift" and (
            gift_room <= 0
            or too_close_to_another_gift(
                draft.occurrence_date, other_gift_dates=other_gift_dates, settings=settings
            )
        ):
            if candidate.fallback is None:
                continue
            draft = candidate.fallback
        if draft.kind == "gift":
            gift_room -= 1
            other_gift_dates.append(draft.occurrence_date)
        accepted.append(draft)
        room -= 1
    return sorted(accepted, key=draft_order)
