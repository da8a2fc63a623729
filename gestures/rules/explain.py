"""Explanations as text in English or German: the occasion, its date and distance, the
quoted observations, and for a gift why this item.

Plain per-language templates rather than gettext: the rules run without Django, and the
explanation is rendered for the viewer on the day it is viewed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from .formats import MONTHS, describe_distance, format_date, format_money, join_words
from .guard import guard_lines
from .occasions import occasion_rule
from .occasions.base import text_in
from .types import Explanation, GiftReason

__all__ = [
    "MONTHS",
    "ExplanationParts",
    "describe_distance",
    "describe_occasion",
    "explanation_parts",
    "format_date",
    "format_money",
    "interest_name",
    "render_explanation",
]

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "dated": "{what} on {date} ({distance}).",
        "undated": "{what}, noted on {date} ({distance}).",
        "kind.note": "Suggested: a handwritten note.",
        "kind.call": "Suggested: a call.",
        "gift": "Suggested gift: {name} ({price}).",
        "gift_interests": "It matches the recorded interests: {interests}.",
        "gift_interest_noted": ("It fits what {who} mentioned in {month} about {interests}."),
        "gift_allowance": "Gift allowance {year}: {remaining} of {limit} left before this gift.",
        "fallback.personal_only": "A personal note only: no gift and no call for this occasion.",
        "fallback.gifts_excluded": "No gift: gifts to this contact are not allowed.",
        "fallback.no_interest": "No gift: no interest is recorded to choose one by.",
        "fallback.no_eligible_item": (
            "No gift: no catalog item fits the interests, constraints, allowance and delivery time."
        ),
        "fallback.gift_cap": (
            "No gift this time: a gift is already suggested or was given recently."
        ),
        "fallback.gift_rejected": (
            "The gift was not approved, so a personal note marks the occasion instead."
        ),
        # The guard's own note says why (guard.guard_lines).
        "fallback.care_period": "",
        "fallback.monthly_budget": "",
        "quote": "“{text}” — noted by {author} on {date}",
    },
    "de": {
        "dated": "{what} am {date} ({distance}).",
        "undated": "{what}, notiert am {date} ({distance}).",
        "kind.note": "Vorschlag: eine handgeschriebene Karte.",
        "kind.call": "Vorschlag: ein Anruf.",
        "gift": "Geschenkvorschlag: {name} ({price}).",
        "gift_interests": "Es passt zu den notierten Interessen: {interests}.",
        "gift_interest_noted": (
            "Es passt zu dem, was {who} im {month} über {interests} erzählt hat."
        ),
        "gift_allowance": (
            "Geschenkbudget {year}: noch {remaining} von {limit} vor diesem Geschenk."
        ),
        "fallback.personal_only": (
            "Nur eine persönliche Karte: kein Geschenk und kein Anruf zu diesem Anlass."
        ),
        "fallback.gifts_excluded": "Kein Geschenk: Geschenke an diesen Kontakt sind nicht erlaubt.",
        "fallback.no_interest": (
            "Kein Geschenk: Es ist kein Interesse notiert, nach dem es sich auswählen ließe."
        ),
        "fallback.no_eligible_item": (
            "Kein Geschenk: Kein Katalogartikel passt zu Interessen, Einschränkungen, "
            "Budget und Lieferzeit."
        ),
        "fallback.gift_cap": (
            "Diesmal kein Geschenk: Es ist schon eines vorgeschlagen oder kürzlich verschenkt."
        ),
        "fallback.gift_rejected": (
            "Das Geschenk wurde nicht freigegeben; eine persönliche Karte würdigt den Anlass "
            "stattdessen."
        ),
        "fallback.care_period": "",
        "fallback.monthly_budget": "",
        "quote": "„{text}“ — notiert von {author} am {date}",
    },
}

# Long observations are cut in the text (the full one stays on the contact page).
QUOTE_MAX_CHARS = 280


def _text(language: str) -> dict[str, str]:
    return TEXT[language] if language in TEXT else TEXT["en"]


def describe_occasion(explanation: Explanation, language: str) -> str:
    """The occasion as a noun phrase: "10-year work anniversary", "Rollenwechsel zu CFO"."""
    rule = occasion_rule(explanation.occasion)
    if rule is None:
        return explanation.occasion
    return rule.describe(explanation, language)


def interest_name(
    slug: str,
    *,
    language: str,
    interest_names: Mapping[str, tuple[str, str]],
    gift: GiftReason | None = None,
) -> str:
    """The interest's name in the language: from the taxonomy now, else as it was when the
    suggestion was made, else the slug itself."""
    names = interest_names.get(slug)
    if names is None and gift is not None:
        names = next(((en, de) for s, en, de in gift.interest_labels if s == slug), None)
    if names is None:
        return slug.replace("_", " ")
    return names[1] if language == "de" else names[0]


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > QUOTE_MAX_CHARS:
        return text[: QUOTE_MAX_CHARS - 1].rstrip() + "…"
    return text


@dataclass(frozen=True, slots=True)
class ExplanationParts:
    """An explanation's sentences by what they say, in the viewer's language. The full text
    has them all in this order (render_explanation); a page shows the ones it needs."""

    headline: str  # the occasion, its date and how far away it is
    gesture: str = ""  # what is suggested, when it is not a gift
    details: str = ""  # what else it refers to (a year-end greeting: this year's moments)
    gift: str = ""  # the item and its price
    gift_interests: str = ""  # the recorded interests it matches
    gift_allowance: str = ""  # what is left of the year's allowance before it
    fallback: str = ""  # why there is no gift
    # What the appropriateness guard left out, and why (guard.guard_lines).
    guard: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        sentences = (
            self.headline,
            self.gesture,
            self.details,
            self.gift,
            self.gift_interests,
            self.gift_allowance,
            self.fallback,
        )
        return (
            [sentence for sentence in sentences if sentence] + list(self.guard) + list(self.quotes)
        )


def explanation_parts(
    explanation: Explanation,
    *,
    language: str,
    today: dt.date,
    interest_names: Mapping[str, tuple[str, str]],
) -> ExplanationParts:
    """The explanation's parts in the viewer's language ("en" or "de"), with the distance to
    the event counted from `today`."""
    text = _text(language)
    rule = occasion_rule(explanation.occasion)
    gesture = gift_text = interests = allowance = ""
    gift = explanation.gift
    if gift is not None:
        name = gift.name_de if language == "de" else gift.name_en
        gift_text = text["gift"].format(name=name, price=format_money(gift.price_eur, language))
        names = [
            interest_name(slug, language=language, interest_names=interest_names, gift=gift)
            for slug in gift.matched_interests
        ]
        interests = text["gift_interests"].format(interests=join_words(names, language))
        if gift.interest_noted_on and (gift.pronoun or gift.first_name):
            interests = _interest_sentence(gift, names, language=language, today=today)
        allowance = text["gift_allowance"].format(
            year=gift.allowance_year,
            remaining=format_money(gift.remaining_allowance_eur, language),
            limit=format_money(gift.allowance_limit_eur, language),
        )
    else:
        if rule is not None and rule.gesture_texts is not None:
            gesture = text_in(rule.gesture_texts, language)["gesture"]
        else:
            gesture = text["kind.call"] if explanation.kind == "call" else text["kind.note"]
    fallback = ""
    if explanation.fallback_reason is not None:
        fallback = text[f"fallback.{explanation.fallback_reason}"]
    return ExplanationParts(
        headline=_headline(explanation, language=language, today=today),
        gesture=gesture,
        details=rule.details(explanation, language) if rule is not None else "",
        gift=gift_text,
        gift_interests=interests,
        gift_allowance=allowance,
        fallback=fallback,
        guard=guard_lines(
            explanation.guard,
            language=language,
            interest_names=interest_names,
            occasion_label=lambda name: _occasion_label(name, language),
        ),
        quotes=tuple(
            text["quote"].format(
                text=_quote(quote), author=author, date=format_date(noted_on, language)
            )
            for quote, noted_on, author in explanation.quotes
        ),
    )


def render_explanation(
    explanation: Explanation,
    *,
    language: str,
    today: dt.date,
    interest_names: Mapping[str, tuple[str, str]],
) -> str:
    """The explanation as lines of text in the viewer's language ("en" or "de"), with the
    distance to the event counted from `today`."""
    parts = explanation_parts(
        explanation, language=language, today=today, interest_names=interest_names
    )
    return "\n".join(parts.lines())


_PRONOUNS = {"en": {"she": "she", "he": "he"}, "de": {"she": "sie", "he": "er"}}


def _interest_sentence(gift: GiftReason, names: list[str], *, language: str, today: dt.date) -> str:
    """The interest as a sentence that names the detail, when it was mentioned and by whom:
    "It fits what she mentioned in October about cooking." (the observation itself is quoted
    below it); without a known salutation the first name stands for the pronoun."""
    lang = language if language in MONTHS else "en"
    noted_on = gift.interest_noted_on or today
    month = MONTHS[lang][noted_on.month - 1]
    if noted_on.year != today.year:
        month = f"{month} {noted_on.year}"
    who = _PRONOUNS[lang].get(gift.pronoun) or gift.first_name
    return _text(language)["gift_interest_noted"].format(
        who=who, month=month, interests=join_words(names, language)
    )


def _occasion_label(name: str, language: str) -> str:
    rule = occasion_rule(name)
    return rule.label_in(language) if rule is not None else name


def _headline(explanation: Explanation, *, language: str, today: dt.date) -> str:
    rule = occasion_rule(explanation.occasion)
    if rule is not None and rule.headline is not None:
        return rule.headline(explanation, language, today)
    text = _text(language)
    template = text["dated"] if explanation.dated else text["undated"]
    return template.format(
        what=describe_occasion(explanation, language),
        date=format_date(explanation.event_date, language),
        distance=describe_distance(explanation.event_date, today=today, language=language),
    )
