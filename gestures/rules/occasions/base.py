"""What an occasion declares: one `OccasionRule` per module of this package.

A rule says everything about its occasion: its name and labels, its weight, how it finds
hits for a contact on a day, when a hit is due and when it expires, whether it may come with
a gift, the daily pre-filter that selects the contacts it can fire for, and the parts of its
explanation. The scan, the models' choices and the explanation texts read the registry
(gestures.rules.occasions.OCCASIONS); nothing else names an occasion.

The hits are pure functions of plain data and `today`. The pre-filter is handed the
querysets it may build on (`PrefilterQueries`), so no occasion module imports a model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.utils.functional import lazy
from django.utils.translation import get_language

from ..types import (
    ContactInfo,
    Explanation,
    GestureInfo,
    OccasionHit,
    OpenSuggestion,
    ScanSettings,
)

GiftPolicy = Literal["gift", "no_gift", "personal_only"]


@dataclass(frozen=True, slots=True)
class HitContext:
    """What an occasion's hits may read about one contact on one day."""

    contact: ContactInfo
    gestures: Sequence[GestureInfo]
    # The contact's stored suggestions in every status.
    existing: Sequence[OpenSuggestion]
    settings: ScanSettings
    today: dt.date


@dataclass(frozen=True)
class PrefilterQueries:
    """The querysets a pre-filter builds on, from gestures.scan: active contacts' facts,
    active contacts, their observations, and every stored suggestion."""

    today: dt.date
    settings: ScanSettings
    facts: QuerySet[Any]
    contacts: QuerySet[Any]
    observations: QuerySet[Any]
    suggestions: QuerySet[Any]
    open_statuses: Sequence[str]


@dataclass(frozen=True, slots=True)
class FactsWhere:
    """A pre-filter over facts: the contacts with a fact matching `condition` that has not
    made a suggestion yet. The scan puts every occasion's condition into one query."""

    condition: Q


class ContactsIn:
    """A pre-filter as queries of contact ids (`values_list("pk", flat=True)`), whose union
    is the contacts the occasion can fire for."""

    def __init__(self, *queries: QuerySet[Any]) -> None:
        self.queries = queries


Prefilter = FactsWhere | ContactsIn

# A text per language; "en" is the fallback.
Texts = Mapping[str, Mapping[str, str]]


def text_in(texts: Texts, language: str) -> Mapping[str, str]:
    return texts[language] if language in texts else texts["en"]


def _label_in_active_language(en: str, de: str) -> str:
    return de if (get_language() or "en").startswith("de") else en


label_lazy = lazy(_label_in_active_language, str)


def _due_on_the_day(hit: OccasionHit, today: dt.date) -> dt.date:
    """The event's date; today for one already past but still in its window."""
    return max(hit.occurrence_date, today)


def _no_details(explanation: Explanation, language: str) -> str:
    return ""


@dataclass(frozen=True, slots=True)
class OccasionRule:
    name: str
    label_en: str
    label_de: str
    # How much the occasion matters before tier and timing (caps.occasion_score); the
    # order of the weights is the order in which occasions win a contact's room.
    weight: float
    hits: Callable[[HitContext], Iterable[OccasionHit]]
    # The last day a gesture for the hit still makes sense; pending ones expire after it.
    expires_on: Callable[[OccasionHit, HitContext], dt.date]
    gift_policy: Callable[[OccasionHit, ContactInfo], GiftPolicy]
    prefilter: Callable[[PrefilterQueries], Prefilter]
    # The occasion as a noun phrase in the language: "10-year work anniversary".
    describe: Callable[[Explanation, str], str]
    # What is suggested when it is not a gift, per language; None: by kind (note or call).
    gesture_texts: Texts | None = None
    due_on: Callable[[OccasionHit, dt.date], dt.date] = _due_on_the_day
    # A sentence about what the suggestion refers to besides the quotes ("" for none).
    details: Callable[[Explanation, str], str] = _no_details
    # Its own headline instead of "<what> on <date> (<distance>)."; None: the usual one.
    headline: Callable[[Explanation, str, dt.date], str] | None = None
    # Catalog items can name the occasion as one they suit.
    in_catalog: bool = True
    # Asked only when the contact has nothing open and gets nothing else that day.
    fallback: bool = False
    # Facts whose kind this occasion reads (for the docs and the registry's test).
    fact_kinds: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """The label in the active language, evaluated lazily: for model choices and forms."""
        return label_lazy(self.label_en, self.label_de)

    def label_in(self, language: str) -> str:
        return self.label_de if language == "de" else self.label_en
