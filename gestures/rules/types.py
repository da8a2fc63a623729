"""The plain data the suggestion rules read and return.

The scan service copies rows into these immutable records, so the rules never touch the ORM
and tests can build every case by hand. Most are frozen dataclasses; the two a scan makes by
the hundred thousand (a contact's observations and facts, several of each) are named tuples,
which Python builds in a fraction of the time a frozen dataclass's __init__ takes, one
object.__setattr__ per field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

# An occasion's name: one of gestures.rules.occasions.OCCASIONS.
Occasion = str
SuggestionKind = Literal["gift", "note", "call"]

# Why a suggestion that could have been a gift is not one; explain.py turns these into text.
FallbackReason = Literal[
    "personal_only",
    "gifts_excluded",
    "no_interest",
    "no_eligible_item",
    "gift_cap",
    "gift_rejected",
    "care_period",
    "monthly_budget",
]

# A quoted observation: (its text, the day it was noted, who noted it).
Quote = tuple[str, dt.date, str]

# Something that happened this year, for a greeting that refers to it: (fact kind, what it
# was: a milestone's label, a role's title, a life event, and its ISO date or "").
Moment = tuple[str, str, str]

# Every status but these keeps a suggestion "open" (scan_gestures --json; docs/commands.md).
CLOSED_STATUSES: frozenset[str] = frozenset({"dismissed", "rejected", "done", "expired"})

# Life events that get a personal note only: never a gift, never a call.
PERSONAL_ONLY_EVENTS: frozenset[str] = frozenset({"bereavement", "illness"})


class ObservationInfo(NamedTuple):
    id: int
    text: str
    noted_on: dt.date
    author_name: str


class FactInfo(NamedTuple):
    """Mirrors contacts.Fact; `kind` is birthday|anniversary|role_change|life_event|interest|
    constraint|milestone and only the fields of that kind are filled. Every field is a Fact
    column of the same name (gestures.loaders loads them by name)."""

    id: int
    observation_id: int
    kind: str
    month: int | None = None
    day: int | None = None
    year: int | None = None
    date: dt.date | None = None
    subject: str = ""
    event: str = ""
    title: str = ""
    label: str = ""
    tag: str = ""
    person: str = ""  # a relative (partner, child, ...); empty for the contact's own fact
    sensitive: bool = False


@dataclass(frozen=True, slots=True)
class ContactInfo:
    id: int
    first_name: str
    last_name: str
    language: str
    tier: str
    do_not_gift: bool
    # Flagged for compliance: gifts still possible, but only with the team lead's approval.
    compliance_review: bool
    organization_kind: str | None
    organization_gift_policy: str | None
    organization_gift_limit_eur: Decimal | None
    facts: tuple[FactInfo, ...]
    # By id; every fact's observation is in it.
    observations: Mapping[int, ObservationInfo]
    # Contact.last_touch_on: the latest gesture or observation; None = never in touch.
    last_touch: dt.date | None
    # Contact.customer_since: the day they became our customer, if known.
    customer_since: dt.date | None = None
    # How a note draft addresses them: "formal" (Sie; salutation and surname) or "informal"
    # (du; first name), and the salutation before the surname ("Frau", "Dr", "Ms").
    address: str = "formal"
    salutation: str = ""
    # Catalog items whose gesture to this contact was recorded as "felt wrong": never again.
    felt_wrong_item_ids: frozenset[int] = frozenset()

    def facts_of(self, kind: str, *, relatives: bool = False) -> tuple[FactInfo, ...]:
        """The contact's own facts of `kind`; with `relatives`, their family's too (a
        child's graduation is an occasion, a partner's interest is no gift idea)."""
        # A list made into a tuple: quicker than a generator's, asked for this often.
        return tuple(
            [fact for fact in self.facts if fact.kind == kind and (relatives or not fact.person)]
        )

    def noted_on(self, fact: FactInfo) -> dt.date | None:
        """The day the fact's observation was noted; None if it is not in `observations`."""
        observation = self.observations.get(fact.observation_id)
        return observation.noted_on if observation is not None else None

    def quotes(self, observation_ids: Iterable[int]) -> tuple[Quote, ...]:
        """The observations as quoted in an explanation, in the order given."""
        observations = self.observations
        return tuple(
            (observations[i].text.strip(), observations[i].noted_on, observations[i].author_name)
            for i in observation_ids
            if i in observations
        )

    def quotable(self, fact: FactInfo) -> bool:
        """Whether a draft may refer to the fact: never to a special-category fact (GDPR
        Art. 9) nor to anything else read from the same observation."""
        return not any(
            other.sensitive for other in self.facts if other.observation_id == fact.observation_id
        )

    def happened_on(self, fact: FactInfo) -> tuple[dt.date, bool] | None:
        """When a one-off fact (a life event, a milestone) happens: its own date, else the
        day it was noted; and whether it had a date of its own."""
        if fact.date is not None:
            return fact.date, True
        noted = self.noted_on(fact)
        return (noted, False) if noted is not None else None


@dataclass(frozen=True, slots=True)
class GestureInfo:
    kind: str  # gift|note|call|meeting
    date: dt.date
    gift_item_id: int | None
    value_eur: Decimal | None


@dataclass(frozen=True, slots=True)
class CatalogItem:
    id: int
    sku: str
    name_en: str
    name_de: str
    price_eur: Decimal
    tags: frozenset[str]
    occasions: frozenset[str]  # birthday anniversary role_change life_event milestone any
    contains_alcohol: bool
    food: bool
    dietary: frozenset[str]  # vegan vegetarian gluten_free lactose_free nut_free halal kosher
    lead_time_days: int
    stock: int | None  # None = unlimited
    active: bool
    # What the item says besides its use (gestures.rules.guard.SYMBOLS), as an admin curated
    # it, and the occasions it is unsuitable for because of that.
    symbols: frozenset[str] = frozenset()
    unsuitable_for: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class OpenSuggestion:
    """A suggestion already stored for the contact, in any status (not only open ones)."""

    occasion: str
    source_fact_id: int | None
    occurrence_date: dt.date
    kind: str
    status: str
    gift_item_id: int | None
    created_on: dt.date
    snoozed_until: dt.date | None

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


def _default_cadence() -> Mapping[str, int]:
    return MappingProxyType({"A": 30, "B": 60, "C": 120})


@dataclass(frozen=True, slots=True)
class ScanSettings:
    horizon_days: int = 21
    cadence_days: Mapping[str, int] = field(default_factory=_default_cadence)
    annual_gift_limit_eur: Decimal = Decimal("50")
    approval_threshold_eur: Decimal = Decimal("25")
    gift_spacing_days: int = 90
    max_open_per_contact: int = 2
    max_open_gifts_per_contact: int = 1
    # How long a call without an occasion stays on the list before it expires.
    keep_in_touch_open_days: int = 14
    role_change_window_days: int = 30
    life_event_window_days: int = 30
    milestone_before_days: int = 14
    milestone_after_days: int = 7
    # The appropriateness guard (gestures.rules.guard): the period of care after a
    # bereavement or serious illness, and each account manager's gift budget per calendar
    # month (None: no budget).
    care_period_days: int = 42
    monthly_gift_budget_eur: Decimal | None = None


@dataclass(frozen=True, slots=True)
class GiftReason:
    """Why this item: what the explanation says about a gift."""

    sku: str
    name_en: str
    name_de: str
    price_eur: Decimal
    # Matched interest slugs, most recently noted first.
    matched_interests: tuple[str, ...]
    # (slug, English name, German name) as the taxonomy named them when the suggestion was
    # made, so a stored explanation still reads well if a tag is renamed or removed.
    interest_labels: tuple[tuple[str, str, str], ...]
    allowance_year: int
    allowance_limit_eur: Decimal
    # Left for the year before this gift.
    remaining_allowance_eur: Decimal
    # When the interest it matches was noted, for a sentence that names it (never from an
    # observation that holds a special-category fact), and how to refer to the contact
    # ("she", "he", else "" and the first name). The observation's text is the quote's.
    interest_noted_on: dt.date | None = None
    pronoun: str = ""
    first_name: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "name_en": self.name_en,
            "name_de": self.name_de,
            "price_eur": str(self.price_eur),
            "matched_interests": list(self.matched_interests),
            "interest_labels": [list(label) for label in self.interest_labels],
            "allowance_year": self.allowance_year,
            "allowance_limit_eur": str(self.allowance_limit_eur),
            "remaining_allowance_eur": str(self.remaining_allowance_eur),
            "interest_noted_on": (
                self.interest_noted_on.isoformat() if self.interest_noted_on else None
            ),
            "pronoun": self.pronoun,
            "first_name": self.first_name,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GiftReason:
        return cls(
            sku=str(data["sku"]),
            name_en=str(data["name_en"]),
            name_de=str(data["name_de"]),
            price_eur=Decimal(data["price_eur"]),
            matched_interests=tuple(str(slug) for slug in data["matched_interests"]),
            interest_labels=tuple(
                (str(slug), str(en), str(de)) for slug, en, de in data.get("interest_labels", [])
            ),
            allowance_year=int(data["allowance_year"]),
            allowance_limit_eur=Decimal(data["allowance_limit_eur"]),
            remaining_allowance_eur=Decimal(data["remaining_allowance_eur"]),
            interest_noted_on=(
                dt.date.fromisoformat(data["interest_noted_on"])
                if data.get("interest_noted_on")
                else None
            ),
            pronoun=str(data.get("pronoun") or ""),
            first_name=str(data.get("first_name") or ""),
        )


GuardReason = Literal["care_period", "care_item", "disliked", "symbolism", "budget"]


@dataclass(frozen=True, slots=True)
class GuardNote:
    """Something the appropriateness guard left out, and why (gestures.rules.guard); the
    explanation says it in the viewer's language.

    care_period: the occasion falls in a period of care (`event`, `person`, `since`,
    `until`); care_item, disliked, symbolism: the item (`sku`, names) with the symbols or
    disliked tags in `what`; budget: the month's budget (`amount`) and what is left of it
    (`left`).
    """

    reason: GuardReason
    sku: str = ""
    name_en: str = ""
    name_de: str = ""
    what: tuple[str, ...] = ()
    occasion: str = ""
    event: str = ""
    person: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    amount: Decimal | None = None
    left: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "sku": self.sku,
            "name_en": self.name_en,
            "name_de": self.name_de,
            "what": list(self.what),
            "occasion": self.occasion,
            "event": self.event,
            "person": self.person,
            "since": self.since.isoformat() if self.since is not None else None,
            "until": self.until.isoformat() if self.until is not None else None,
            "amount": str(self.amount) if self.amount is not None else None,
            "left": str(self.left) if self.left is not None else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GuardNote:
        def day(key: str) -> dt.date | None:
            value = data.get(key)
            return dt.date.fromisoformat(value) if value else None

        def money(key: str) -> Decimal | None:
            value = data.get(key)
            return Decimal(value) if value is not None else None

        return cls(
            reason=data["reason"],
            sku=str(data.get("sku", "")),
            name_en=str(data.get("name_en", "")),
            name_de=str(data.get("name_de", "")),
            what=tuple(str(w) for w in data.get("what", [])),
            occasion=str(data.get("occasion", "")),
            event=str(data.get("event", "")),
            person=str(data.get("person", "")),
            since=day("since"),
            until=day("until"),
            amount=money("amount"),
            left=money("left"),
        )


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a suggestion was made, as data; explain.render_explanation turns it into text in
    the viewer's language on the day it is viewed (so "in 5 days" is always current)."""

    occasion: str
    kind: str
    event_date: dt.date
    # False when the fact had no date of its own and `event_date` is when it was noted.
    dated: bool = True
    subject: str = ""  # anniversary: work|company|customer|wedding|other
    event: str = ""  # life_event: wedding|birth|move|graduation|retirement|bereavement|illness
    title: str = ""  # role_change
    label: str = ""  # milestone
    years: int | None = None  # anniversary, when the first year is known
    # (observation text, noted_on, author name), the occasion's own observations first.
    quotes: tuple[tuple[str, dt.date, str], ...] = ()
    gift: GiftReason | None = None
    fallback_reason: FallbackReason | None = None
    # keep_in_touch: the last touch (None = never) and the tier's cadence.
    last_touch: dt.date | None = None
    tier: str = ""
    cadence_days: int | None = None
    # Based on a special-category fact (GDPR Art. 9): the UI can mark it.
    sensitive: bool = False
    # What happened this year, for a year-end greeting.
    moments: tuple[Moment, ...] = ()
    # What the appropriateness guard left out, and why.
    guard: tuple[GuardNote, ...] = ()

    def as_json(self, *, quotes: tuple[Quote, ...] | None = None) -> dict[str, Any]:
        """As stored; `quotes` in place of the explanation's own (the scan stores the texts
        of the quotes the rules ran without)."""
        return {
            "occasion": self.occasion,
            "kind": self.kind,
            "event_date": self.event_date.isoformat(),
            "dated": self.dated,
            "subject": self.subject,
            "event": self.event,
            "title": self.title,
            "label": self.label,
            "years": self.years,
            "quotes": [
                {"text": text, "noted_on": noted_on.isoformat(), "author": author}
                for text, noted_on, author in (self.quotes if quotes is None else quotes)
            ],
            "gift": self.gift.as_json() if self.gift is not None else None,
            "fallback_reason": self.fallback_reason,
            "last_touch": self.last_touch.isoformat() if self.last_touch is not None else None,
            "tier": self.tier,
            "cadence_days": self.cadence_days,
            "sensitive": self.sensitive,
            "moments": [list(moment) for moment in self.moments],
            "guard": [note.as_json() for note in self.guard],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Explanation:
        gift = data.get("gift")
        last_touch = data.get("last_touch")
        years = data.get("years")
        cadence = data.get("cadence_days")
        return cls(
            occasion=str(data["occasion"]),
            kind=str(data["kind"]),
            event_date=dt.date.fromisoformat(data["event_date"]),
            dated=bool(data.get("dated", True)),
            subject=str(data.get("subject", "")),
            event=str(data.get("event", "")),
            title=str(data.get("title", "")),
            label=str(data.get("label", "")),
            years=int(years) if years is not None else None,
            quotes=tuple(
                (str(quote["text"]), dt.date.fromisoformat(quote["noted_on"]), str(quote["author"]))
                for quote in data.get("quotes", [])
            ),
            gift=GiftReason.from_json(gift) if gift is not None else None,
            fallback_reason=data.get("fallback_reason"),
            last_touch=dt.date.fromisoformat(last_touch) if last_touch is not None else None,
            tier=str(data.get("tier", "")),
            cadence_days=int(cadence) if cadence is not None else None,
            sensitive=bool(data.get("sensitive", False)),
            moments=tuple(
                (str(kind), str(what), str(day)) for kind, what, day in data.get("moments", [])
            ),
            guard=tuple(GuardNote.from_json(note) for note in data.get("guard", [])),
        )


@dataclass(frozen=True, slots=True)
class SuggestionDraft:
    """A new suggestion to store; (contact, occasion, source_fact_id, occurrence_date) is its
    unique key."""

    occasion: Occasion
    kind: SuggestionKind
    source_fact_id: int | None  # None for an occasion without a fact (keep in touch)
    # The event's date (this year's for yearly dates); keep_in_touch: today.
    occurrence_date: dt.date
    # When to act, never before today: a gift's event minus its lead time, otherwise the
    # event's date (today for an event already past but still in its window).
    due_date: dt.date
    # The last day the gesture still makes sense; a pending or snoozed one expires after it.
    expires_on: dt.date
    gift_item_id: int | None
    price_eur: Decimal | None
    score: float
    needs_approval: bool
    observation_ids: tuple[int, ...]
    explanation: Explanation

    @property
    def key(self) -> tuple[str, int | None, dt.date]:
        return (self.occasion, self.source_fact_id, self.occurrence_date)


@dataclass(frozen=True, slots=True)
class OccasionHit:
    """What an occasion rule found for a contact on a day, before gifts and caps.

    The rule decides when it is, the plain gesture (note or call) and how much it matters;
    its gift policy whether a gift may be considered; the scan picks the gift and applies
    the caps. A hit need not come from a fact (keep in touch, year-end greetings).
    """

    occasion: Occasion
    fact: FactInfo | None
    occurrence_date: dt.date
    kind: Literal["note", "call"]
    score: float
    dated: bool = True
    years: int | None = None
    # The observations it rests on besides its fact's (a year-end greeting: this year's).
    observation_ids: tuple[int, ...] = ()
    # keep_in_touch: the last touch it counted from.
    last_touch: dt.date | None = None
    # year_end: this year's moments it refers to.
    moments: tuple[Moment, ...] = ()
