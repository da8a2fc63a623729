"""The appropriateness guard: no gesture with the wrong symbolism at the wrong moment.

One pure module for the scan, the gift swap and the catalog's "suits" list: a period of care
after a bereavement or a serious illness (of the contact or of their family), the symbols an
item carries and the occasions they do not suit, the contact's recorded dislikes, and each
account manager's gift budget per month. Every exclusion is a `GuardNote`, which
`guard_lines` says in English or German. No ORM, no clock: plain data and a date in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from .formats import format_date, format_money, join_words
from .types import PERSONAL_ONLY_EVENTS, CatalogItem, ContactInfo, FactInfo, GuardNote

# The symbols an admin can give a catalog item: (value, English name, German name).
SYMBOLS: tuple[tuple[str, str, str], ...] = (
    ("celebratory", "celebratory", "festlich"),
    ("alcohol", "alcohol", "Alkohol"),
    ("flowers", "flowers", "Blumen"),
    ("sharp_objects", "sharp objects", "scharfe Gegenstände"),
    ("clocks", "clocks and watches", "Uhren"),
    ("religious_motif", "religious motif", "religiöses Motiv"),
    ("luxury", "luxury", "Luxus"),
)
SYMBOL_VALUES: frozenset[str] = frozenset(value for value, _en, _de in SYMBOLS)
# What a period of care rules out: nothing to celebrate with, nothing to drink.
CARE_EXCLUDED_SYMBOLS: frozenset[str] = frozenset({"celebratory", "alcohol"})
# Life events that start a period of care.
CARE_EVENTS: frozenset[str] = PERSONAL_ONLY_EVENTS
# How many left-out items a suggestion names (the best ones; the rest say nothing new).
NOTES_SHOWN = 3


@dataclass(frozen=True, slots=True)
class CarePeriod:
    """A period of care: from a bereavement or illness (its date, else the day it was
    noted) for the care period's length."""

    fact: FactInfo
    since: dt.date
    until: dt.date

    @classmethod
    def starting(cls, fact: FactInfo, *, since: dt.date, care_period_days: int) -> CarePeriod:
        return cls(fact, since, since + dt.timedelta(days=care_period_days))

    def covers(self, day: dt.date) -> bool:
        return self.since <= day <= self.until

    def note(self) -> GuardNote:
        # A special-category fact (GDPR Art. 9: an illness) is not named on a card.
        return GuardNote(
            reason="care_period",
            event="" if self.fact.sensitive else self.fact.event,
            person=self.fact.person,
            since=self.since,
            until=self.until,
        )


def care_periods(contact: ContactInfo, *, care_period_days: int) -> list[CarePeriod]:
    """Every period of care of the contact (their own bereavements and illnesses, and their
    family's as recorded), the latest first."""
    periods = []
    for fact in contact.facts_of("life_event", relatives=True):
        if fact.event not in CARE_EVENTS:
            continue
        happened = contact.happened_on(fact)
        if happened is None:
            continue
        since = happened[0]
        periods.append(CarePeriod(fact, since, since + dt.timedelta(days=care_period_days)))
    return sorted(periods, key=lambda p: (-p.since.toordinal(), p.fact.id))


def care_period_on(
    contact: ContactInfo, *, care_period_days: int, days: Iterable[dt.date]
) -> CarePeriod | None:
    """The latest period of care that covers any of `days` (today, the occasion's day)."""
    wanted = list(days)
    for period in care_periods(contact, care_period_days=care_period_days):
        if any(period.covers(day) for day in wanted):
            return period
    return None


def is_care_occasion(fact: FactInfo | None) -> bool:
    """Whether a hit's fact is the bereavement or illness itself (its note comes first)."""
    return fact is not None and fact.kind == "life_event" and fact.event in CARE_EVENTS


def item_symbols(item: CatalogItem) -> frozenset[str]:
    """The item's curated symbols; an item marked as containing alcohol is alcohol too."""
    return item.symbols | ({"alcohol"} if item.contains_alcohol else frozenset())


def _ordered(values: Iterable[str]) -> tuple[str, ...]:
    order = {value: index for index, (value, _en, _de) in enumerate(SYMBOLS)}
    return tuple(sorted(set(values), key=lambda v: (order.get(v, len(order)), v)))


def item_exclusion(
    item: CatalogItem,
    *,
    occasion: str | None,
    dislikes: frozenset[str],
    care: CarePeriod | None,
) -> GuardNote | None:
    """Why the guard leaves `item` out for this contact and occasion, or None.

    `occasion` None is "whatever the occasion" (the catalog's list of contacts an item
    suits): only what holds for every occasion, the dislikes and a period of care, counts.
    """
    disliked = item.tags & dislikes
    symbols = item_symbols(item)
    note: GuardNote | None = None
    if disliked:
        note = GuardNote(reason="disliked", what=tuple(sorted(disliked)))
    elif care is not None and symbols & CARE_EXCLUDED_SYMBOLS:
        note = GuardNote(reason="care_item", what=_ordered(symbols & CARE_EXCLUDED_SYMBOLS))
    elif occasion is not None and occasion in item.unsuitable_for:
        note = GuardNote(reason="symbolism", what=_ordered(symbols), occasion=occasion)
    if note is None:
        return None
    return replace(note, sku=item.sku, name_en=item.name_en, name_de=item.name_de)


def care_item_note(item: CatalogItem) -> GuardNote:
    """The gift a period of care turned into a note, with what about it would not suit."""
    return GuardNote(
        reason="care_item",
        sku=item.sku,
        name_en=item.name_en,
        name_de=item.name_de,
        what=_ordered(item_symbols(item) & CARE_EXCLUDED_SYMBOLS),
    )


def budget_left(*, budget_eur: Decimal | None, spent_eur: Decimal) -> Decimal | None:
    """What an account manager may still spend on gifts this month; None without a budget."""
    if budget_eur is None:
        return None
    return max(budget_eur - spent_eur, Decimal(0))


def budget_note(*, budget_eur: Decimal, left_eur: Decimal) -> GuardNote:
    return GuardNote(reason="budget", amount=budget_eur, left=left_eur)


def within_budget(item: CatalogItem, left_eur: Decimal | None) -> bool:
    return left_eur is None or item.price_eur <= left_eur


# -- the guard's notes as text -------------------------------------------------------------

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "care_period": (
            "A personal note only: after {what} on {since}, a period of care runs until "
            "{until} — no gift, nothing celebratory or alcoholic, no sales call."
        ),
        "care_item": "Left out: {name} ({symbols}) does not suit the period of care.",
        "care_item_plain": "Left out: {name} — no gift in the period of care.",
        "disliked": "Left out: {name} — recorded dislike: {tags}.",
        "symbolism": "Left out: {name} — {symbols}: unsuitable for this occasion ({occasion}).",
        "symbolism_plain": "Left out: {name} — marked as unsuitable for {occasion}.",
        "budget": (
            "A note instead of a gift: this month's gift budget of {amount} is spent ({left} left)."
        ),
        "event.bereavement": "a bereavement",
        "event.illness": "a serious illness",
        "event.": "a hard time",
        "family": "{event} in the family ({person})",
        "person.partner": "partner",
        "person.child": "child",
        "person.parent": "parent",
        "person.sibling": "sibling",
        "person.other": "relative",
    },
    "de": {
        "care_period": (
            "Nur eine persönliche Karte: Nach {what} am {since} gilt bis {until} eine Zeit der "
            "Rücksicht — kein Geschenk, nichts Festliches oder Alkoholisches, kein Verkaufsanruf."
        ),
        "care_item": "Weggelassen: {name} ({symbols}) passt nicht in die Zeit der Rücksicht.",
        "care_item_plain": "Weggelassen: {name} — kein Geschenk in der Zeit der Rücksicht.",
        "disliked": "Weggelassen: {name} — notierte Abneigung: {tags}.",
        "symbolism": ("Weggelassen: {name} — {symbols}: unpassend zu diesem Anlass ({occasion})."),
        "symbolism_plain": "Weggelassen: {name} — als unpassend für {occasion} markiert.",
        "budget": (
            "Eine Karte statt eines Geschenks: Das Geschenkbudget dieses Monats von {amount} "
            "ist ausgeschöpft (noch {left})."
        ),
        "event.bereavement": "einem Trauerfall",
        "event.illness": "einer schweren Krankheit",
        "event.": "einer schweren Zeit",
        "family": "{event} in der Familie ({person})",
        "person.partner": "Partner/in",
        "person.child": "Kind",
        "person.parent": "Elternteil",
        "person.sibling": "Geschwister",
        "person.other": "Angehörige",
    },
}


def _text(language: str) -> dict[str, str]:
    return TEXT[language] if language in TEXT else TEXT["en"]


def symbol_name(symbol: str, language: str) -> str:
    for value, en, de in SYMBOLS:
        if value == symbol:
            return de if language == "de" else en
    return symbol.replace("_", " ")


def guard_line(
    note: GuardNote,
    *,
    language: str,
    interest_name: Callable[[str], str],
    occasion_label: Callable[[str], str],
) -> str:
    """One note of the guard as a sentence in the language ("en" or "de")."""
    text = _text(language)
    name = (note.name_de if language == "de" else note.name_en) or note.name_en or note.sku
    symbols = join_words([symbol_name(s, language) for s in note.what], language)
    if note.reason == "care_period":
        event = text.get(f"event.{note.event}", text["event."])
        if note.person:
            person = text.get(f"person.{note.person}", text["person.other"])
            event = text["family"].format(event=event, person=person)
        return text["care_period"].format(
            what=event,
            since=format_date(note.since, language) if note.since else "",
            until=format_date(note.until, language) if note.until else "",
        )
    if note.reason == "care_item":
        template = text["care_item"] if note.what else text["care_item_plain"]
        return template.format(name=name, symbols=symbols)
    if note.reason == "disliked":
        tags = join_words([interest_name(tag) for tag in note.what], language)
        return text["disliked"].format(name=name, tags=tags)
    if note.reason == "symbolism":
        template = text["symbolism"] if note.what else text["symbolism_plain"]
        return template.format(name=name, symbols=symbols, occasion=occasion_label(note.occasion))
    return text["budget"].format(
        amount=format_money(note.amount or Decimal(0), language),
        left=format_money(note.left or Decimal(0), language),
    )


def guard_lines(
    notes: Sequence[GuardNote],
    *,
    language: str,
    interest_names: Mapping[str, tuple[str, str]],
    occasion_label: Callable[[str], str],
) -> tuple[str, ...]:
    def interest(slug: str) -> str:
        names = interest_names.get(slug)
        if names is None:
            return slug.replace("_", " ")
        return names[1] if language == "de" else names[0]

    return tuple(
        guard_line(note, language=language, interest_name=interest, occasion_label=occasion_label)
        for note in notes
    )
