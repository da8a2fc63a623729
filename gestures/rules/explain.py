"""Explanations as text in English or German: the occasion, its date and distance, the
quoted observations, and for a gift why this item.

Plain per-language templates rather than gettext: the rules run without Django, and the
explanation is rendered for the viewer on the day it is viewed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .types import Explanation, GiftReason

MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
}

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "dated": "{what} on {date} ({distance}).",
        "undated": "{what}, noted on {date} ({distance}).",
        "today": "today",
        "tomorrow": "tomorrow",
        "yesterday": "yesterday",
        "in_days": "in {n} days",
        "days_ago": "{n} days ago",
        "birthday": "Birthday",
        "anniversary": "Anniversary",
        "anniversary_years": "{n}-year anniversary",
        "anniversary.work": "Work anniversary",
        "anniversary.work_years": "{n}-year work anniversary",
        "anniversary.company": "Company anniversary",
        "anniversary.company_years": "{n}-year company anniversary",
        "anniversary.customer": "Customer anniversary",
        "anniversary.customer_years": "{n} years as our customer",
        "anniversary.wedding": "Wedding anniversary",
        "anniversary.wedding_years": "Wedding anniversary ({n} years)",
        "role_change": "Role change",
        "role_change_title": "Role change to {title}",
        "life_event": "Life event",
        "life_event.wedding": "Wedding",
        "life_event.birth": "Birth of a child",
        "life_event.move": "Move",
        "life_event.graduation": "Graduation",
        "life_event.retirement": "Retirement",
        "life_event.bereavement": "Bereavement",
        "life_event.illness": "Illness",
        "milestone": "Project milestone",
        "milestone_label": "Project milestone “{label}”",
        "keep_in_touch_since": (
            "Keep in touch: no gesture or observation since {date} ({distance}); "
            "tier {tier} means every {n} days."
        ),
        "keep_in_touch_never": "Keep in touch: no gesture or observation recorded yet.",
        "kind.note": "Suggested: a handwritten note.",
        "kind.call": "Suggested: a call.",
        "kind.role_change": "Suggested: a congratulation note.",
        "kind.milestone": "Suggested: a handwritten note referring to the project.",
        "kind.keep_in_touch": "Suggested: a call without a concrete occasion.",
        "gift": "Suggested gift: {name} ({price}).",
        "gift_interests": "It matches the recorded interests: {interests}.",
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
        "quote": "“{text}” — noted by {author} on {date}",
        "list_and": " and ",
    },
    "de": {
        "dated": "{what} am {date} ({distance}).",
        "undated": "{what}, notiert am {date} ({distance}).",
        "today": "heute",
        "tomorrow": "morgen",
        "yesterday": "gestern",
        "in_days": "in {n} Tagen",
        "days_ago": "vor {n} Tagen",
        "birthday": "Geburtstag",
        "anniversary": "Jubiläum",
        "anniversary_years": "{n}-jähriges Jubiläum",
        "anniversary.work": "Dienstjubiläum",
        "anniversary.work_years": "{n}-jähriges Dienstjubiläum",
        "anniversary.company": "Firmenjubiläum",
        "anniversary.company_years": "{n}-jähriges Firmenjubiläum",
        "anniversary.customer": "Kundenjubiläum",
        "anniversary.customer_years": "{n} Jahre Kunde bei uns",
        "anniversary.wedding": "Hochzeitstag",
        "anniversary.wedding_years": "{n}. Hochzeitstag",
        "role_change": "Rollenwechsel",
        "role_change_title": "Rollenwechsel zu {title}",
        "life_event": "Lebensereignis",
        "life_event.wedding": "Hochzeit",
        "life_event.birth": "Geburt eines Kindes",
        "life_event.move": "Umzug",
        "life_event.graduation": "Abschluss",
        "life_event.retirement": "Ruhestand",
        "life_event.bereavement": "Trauerfall",
        "life_event.illness": "Krankheit",
        "milestone": "Projektmeilenstein",
        "milestone_label": "Projektmeilenstein „{label}“",
        "keep_in_touch_since": (
            "In Kontakt bleiben: keine Geste und keine Beobachtung seit {date} ({distance}); "
            "Stufe {tier} heißt alle {n} Tage."
        ),
        "keep_in_touch_never": (
            "In Kontakt bleiben: noch keine Geste und keine Beobachtung erfasst."
        ),
        "kind.note": "Vorschlag: eine handgeschriebene Karte.",
        "kind.call": "Vorschlag: ein Anruf.",
        "kind.role_change": "Vorschlag: eine Glückwunschkarte.",
        "kind.milestone": "Vorschlag: eine handgeschriebene Karte mit Bezug auf das Projekt.",
        "kind.keep_in_touch": "Vorschlag: ein Anruf ohne konkreten Anlass.",
        "gift": "Geschenkvorschlag: {name} ({price}).",
        "gift_interests": "Es passt zu den notierten Interessen: {interests}.",
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
        "quote": "„{text}“ — notiert von {author} am {date}",
        "list_and": " und ",
    },
}

# Long observations are cut in the text (the full one stays on the contact page).
QUOTE_MAX_CHARS = 280


def _text(language: str) -> dict[str, str]:
    return TEXT[language] if language in TEXT else TEXT["en"]


def format_date(day: dt.date, language: str) -> str:
    """ "3 March 2027" in English, "3. März 2027" in German."""
    if language == "de":
        return f"{day.day}. {MONTHS['de'][day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}"


def format_money(amount: Decimal, language: str) -> str:
    """ "€1,234.50" in English, "1.234,50 €" in German."""
    english = f"{amount.quantize(Decimal('0.01')):,.2f}"
    if language == "de":
        return english.translate(str.maketrans(",.", ".,")) + " €"
    return "€" + english


def describe_distance(day: dt.date, *, today: dt.date, language: str) -> str:
    """How far `day` is from today: "today", "tomorrow", "in 5 days", "3 days ago"."""
    text = _text(language)
    days = (day - today).days
    if days == 0:
        return text["today"]
    if days == 1:
        return text["tomorrow"]
    if days == -1:
        return text["yesterday"]
    if days > 0:
        return text["in_days"].format(n=days)
    return text["days_ago"].format(n=-days)


def describe_occasion(explanation: Explanation, language: str) -> str:
    """The occasion as a noun phrase: "10-year work anniversary", "Rollenwechsel zu CFO"."""
    text = _text(language)
    occasion = explanation.occasion
    if occasion == "anniversary":
        subject = f"anniversary.{explanation.subject}"
        if subject not in text:
            subject = "anniversary"
        if explanation.years is not None:
            return text[f"{subject}_years"].format(n=explanation.years)
        return text[subject]
    if occasion == "role_change" and explanation.title.strip():
        return text["role_change_title"].format(title=explanation.title.strip())
    if occasion == "life_event":
        return text.get(f"life_event.{explanation.event}", text["life_event"])
    if occasion == "milestone" and explanation.label.strip():
        return text["milestone_label"].format(label=explanation.label.strip())
    return text.get(occasion, occasion)


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


def _join(items: list[str], language: str) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + _text(language)["list_and"] + items[-1]


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
    gift: str = ""  # the item and its price
    gift_interests: str = ""  # the recorded interests it matches
    gift_allowance: str = ""  # what is left of the year's allowance before it
    fallback: str = ""  # why there is no gift
    quotes: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        sentences = (
            self.headline,
            self.gesture,
            self.gift,
            self.gift_interests,
            self.gift_allowance,
            self.fallback,
        )
        return [sentence for sentence in sentences if sentence] + list(self.quotes)


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
    gesture = gift_text = interests = allowance = ""
    gift = explanation.gift
    if gift is not None:
        name = gift.name_de if language == "de" else gift.name_en
        gift_text = text["gift"].format(name=name, price=format_money(gift.price_eur, language))
        names = [
            interest_name(slug, language=language, interest_names=interest_names, gift=gift)
            for slug in gift.matched_interests
        ]
        interests = text["gift_interests"].format(interests=_join(names, language))
        allowance = text["gift_allowance"].format(
            year=gift.allowance_year,
            remaining=format_money(gift.remaining_allowance_eur, language),
            limit=format_money(gift.allowance_limit_eur, language),
        )
    elif explanation.occasion in ("role_change", "milestone", "keep_in_touch"):
        gesture = text[f"kind.{explanation.occasion}"]
    else:
        gesture = text["kind.call"] if explanation.kind == "call" else text["kind.note"]
    fallback = ""
    if explanation.fallback_reason is not None:
        fallback = text[f"fallback.{explanation.fallback_reason}"]
    return ExplanationParts(
        headline=_headline(explanation, language=language, today=today),
        gesture=gesture,
        gift=gift_text,
        gift_interests=interests,
        gift_allowance=allowance,
        fallback=fallback,
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


def _headline(explanation: Explanation, *, language: str, today: dt.date) -> str:
    text = _text(language)
    if explanation.occasion == "keep_in_touch":
        if explanation.last_touch is None:
            return text["keep_in_touch_never"]
        return text["keep_in_touch_since"].format(
            date=format_date(explanation.last_touch, language),
            distance=describe_distance(explanation.last_touch, today=today, language=language),
            tier=explanation.tier,
            n=explanation.cadence_days,
        )
    template = text["dated"] if explanation.dated else text["undated"]
    return template.format(
        what=describe_occasion(explanation, language),
        date=format_date(explanation.event_date, language),
        distance=describe_distance(explanation.event_date, today=today, language=language),
    )
