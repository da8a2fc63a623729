"""Note drafts: the text a handwritten note (or a gift's card) could start from, in the
contact's language and form of address, naming the occasion and what was noted.

The wording is data: one TOML file per occasion in this package (`birthday.toml`, …) with
several variants, each in English and in German with "Sie" and with "du"; `_common.toml`
holds the greetings, closings and the sentences that refer to an interest. A variant names
the fields it needs (`{title}`, `{label}`, …) and is only used when the suggestion has them.

Everything here is a pure function of plain data: `choose_variant` picks, among the
variants not excluded for the contact, the one the contact's team used least this month
(ties broken by a hash of contact, month and variant, so the choice is deterministic), and
`render_draft` writes the text. Nothing of a special-category observation (GDPR Art. 9) is
ever put into a draft (`ContactInfo.quotable`). relcrm never sends a draft.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import string
import tomllib
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..formats import MONTHS, format_date
from ..occasions import OCCASIONS, occasion_rule
from ..occasions.year_end import moments_in_words
from ..types import ContactInfo, FactInfo, SuggestionDraft

HERE = Path(__file__).resolve().parent
# The forms a variant is written in: English, German with "Sie", German with "du".
FORMS = ("en", "de_sie", "de_du")
# The longest draft kept (the card's text field takes as much).
MAX_DRAFT_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Variant:
    key: str  # "<occasion>.<name>", stored on the suggestion and the gesture
    texts: Mapping[str, str]  # by form
    events: frozenset[str]  # life events it is for; empty: any other
    closing: str  # a closing of _common.toml
    fields: frozenset[str]  # the placeholders its texts use


def _placeholders(texts: Mapping[str, str]) -> frozenset[str]:
    return frozenset(
        name
        for text in texts.values()
        for _literal, name, _spec, _conversion in string.Formatter().parse(text)
        if name
    )


@dataclass(frozen=True, slots=True)
class NoteDraft:
    variant: str
    text: str


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


@cache
def common() -> Mapping[str, Any]:
    return _load(HERE / "_common.toml")


@cache
def occasion_variants(occasion: str) -> tuple[Variant, ...]:
    """The variants of an occasion's file; none for an occasion without one (a call)."""
    path = HERE / f"{occasion}.toml"
    if not path.exists():
        return ()
    data = _load(path)
    variants = []
    for name, entry in data.get("variant", {}).items():
        missing = [form for form in FORMS if not entry.get(form)]
        if missing:
            raise ValueError(f"{path.name}: variant {name!r} has no text for {', '.join(missing)}")
        texts = {form: str(entry[form]).strip() for form in FORMS}
        variants.append(
            Variant(
                key=f"{occasion}.{name}",
                texts=texts,
                events=frozenset(entry.get("events", ())),
                closing=str(entry.get("closing", "warm")),
                fields=_placeholders(texts),
            )
        )
    return tuple(variants)


def _form(contact: ContactInfo) -> str:
    if contact.language != "de":
        return "en"
    return "de_du" if contact.address == "informal" else "de_sie"


def _source_fact(draft: SuggestionDraft, contact: ContactInfo) -> FactInfo | None:
    return next((fact for fact in contact.facts if fact.id == draft.source_fact_id), None)


def _when(day: dt.date, *, language: str, today: dt.date) -> str:
    """ "im Oktober", "in October 2025": the month something was noted."""
    month = MONTHS["de" if language == "de" else "en"][day.month - 1]
    year = f" {day.year}" if day.year != today.year else ""
    return f"im {month}{year}" if language == "de" else f"in {month}{year}"


def _interest(
    draft: SuggestionDraft,
    contact: ContactInfo,
    *,
    language: str,
    interest_names: Mapping[str, tuple[str, str]],
) -> tuple[str, dt.date] | None:
    """The interest a draft may refer to, and when it was noted: a gift's first matched
    interest, else the contact's most recently noted one; only the contact's own, never a
    relative's, and never one from a special-category observation."""
    own = [
        fact
        for fact in contact.facts_of("interest")
        if fact.tag and contact.quotable(fact) and contact.noted_on(fact) is not None
    ]
    gift = draft.explanation.gift
    preferred = list(gift.matched_interests) if gift is not None else []
    ranked = sorted(
        own,
        key=lambda fact: (
            preferred.index(fact.tag) if fact.tag in preferred else len(preferred),
            -(contact.noted_on(fact) or dt.date.min).toordinal(),
            fact.id,
        ),
    )
    for fact in ranked:
        names = interest_names.get(fact.tag)
        if names is None:
            continue
        name = names[1] if language == "de" else names[0]
        if language != "de" and not name.isupper():
            name = name[:1].lower() + name[1:]
        noted = contact.noted_on(fact)
        assert noted is not None  # noqa: S101 - filtered above
        return name, noted
    return None


def draft_fields(
    draft: SuggestionDraft,
    contact: ContactInfo,
    *,
    interest_names: Mapping[str, tuple[str, str]],
    today: dt.date,
) -> dict[str, str]:
    """What a variant's text may name for this suggestion; a field that is missing (or comes
    from a special-category observation) is left out, and variants needing it are not used."""
    language = "de" if contact.language == "de" else "en"
    explanation = draft.explanation
    fields: dict[str, str] = {"date": format_date(explanation.event_date, language)}
    rule = occasion_rule(draft.occasion)
    fact = _source_fact(draft, contact)
    quotable = fact is None or contact.quotable(fact)
    if rule is not None and quotable:
        what = rule.describe(explanation, language)
        fields["what"] = what if language == "de" else what[:1].lower() + what[1:]
    if explanation.years is not None:
        fields["years"] = str(explanation.years)
    if fact is not None and quotable:
        if fact.title.strip():
            fields["title"] = fact.title.strip()
        if fact.label.strip():
            fields["label"] = fact.label.strip()
    noted = contact.noted_on(fact) if fact is not None else None
    if noted is not None:
        fields["when"] = _when(noted, language=language, today=today)
    interest = _interest(draft, contact, language=language, interest_names=interest_names)
    references = common()["reference"]
    if interest is not None:
        name, noted_on = interest
        fields["interest"] = name
        fields["interest_when"] = _when(noted_on, language=language, today=today)
        fields["reference"] = references["interest"][_form(contact)].format(**fields)
    else:
        fields["reference"] = ""
    # The year's shared moments (a year-end greeting's), else what was noted this year.
    moments = moments_in_words(explanation.moments, language, dated=False)
    if moments:
        fields["this_year"] = references["moments"][_form(contact)].format(moments=moments)
    elif interest is not None and interest[1].year == today.year:
        fields["this_year"] = fields["reference"]
    elif noted_this_year := [
        contact.observations[pk].noted_on
        for pk in draft.observation_ids
        if pk in contact.observations and contact.observations[pk].noted_on.year == today.year
    ]:
        fields["this_year"] = references["conversation"][_form(contact)].format(
            when=_when(max(noted_this_year), language=language, today=today)
        )
    return fields


def variant_keys(
    draft: SuggestionDraft,
    contact: ContactInfo,
    *,
    interest_names: Mapping[str, tuple[str, str]],
    today: dt.date,
) -> tuple[str, ...]:
    """The variants that can be written for this suggestion: none for a call."""
    if draft.kind == "call":
        return ()
    fields = draft_fields(draft, contact, interest_names=interest_names, today=today)
    return tuple(variant.key for variant in _usable(draft, fields))


def _usable(draft: SuggestionDraft, fields: Mapping[str, str]) -> list[Variant]:
    variants = occasion_variants(draft.occasion)
    event = draft.explanation.event
    for_event = [v for v in variants if event and event in v.events]
    candidates = for_event or [v for v in variants if not v.events]
    return [v for v in candidates if v.fields <= fields.keys()]


def _tie_break(contact_id: int, month: dt.date, key: str) -> str:
    return hashlib.sha256(f"{contact_id}:{month:%Y-%m}:{key}".encode()).hexdigest()


def choose_variant(
    keys: Sequence[str],
    *,
    contact_id: int,
    month: dt.date,
    used: Mapping[str, int],
    excluded: AbstractSet[str] = frozenset(),
) -> str | None:
    """The variant for one contact: not excluded for them (it felt wrong once), the one
    their team used least this month (`used`: uses by key), and among equals the one a hash
    of contact, month and key ranks first. None when every variant is excluded."""
    candidates = [key for key in keys if key not in excluded]
    if not candidates:
        return None
    return min(candidates, key=lambda key: (used.get(key, 0), _tie_break(contact_id, month, key)))


def _greeting(contact: ContactInfo, form: str) -> str:
    greetings = common()["greeting"]
    first, last = contact.first_name.strip(), contact.last_name.strip()
    salutation = contact.salutation.strip()
    if contact.address == "informal" and first:
        return str(greetings[form]["informal"]).format(first_name=first)
    if form == "de_du":
        form = "de_sie"
    if salutation and last:
        table = greetings[form]
        key = "formal"
        if form == "de_sie":
            word = salutation.split()[0].casefold()
            key = {"herr": "formal_male", "frau": "formal_female"}.get(word, "formal")
        return str(table[key]).format(salutation=salutation, last_name=last)
    return str(greetings[form]["name"]).format(name=" ".join(p for p in (first, last) if p))


def render_draft(
    variant_key: str,
    *,
    draft: SuggestionDraft,
    contact: ContactInfo,
    interest_names: Mapping[str, tuple[str, str]],
    today: dt.date,
) -> str:
    """The draft's text in the variant: greeting, the variant's sentences (and for a gift a
    line about it), closing."""
    fields = draft_fields(draft, contact, interest_names=interest_names, today=today)
    return _written(variant_key, draft=draft, contact=contact, fields=fields)


def _written(
    variant_key: str, *, draft: SuggestionDraft, contact: ContactInfo, fields: Mapping[str, str]
) -> str:
    variant = next(v for v in occasion_variants(draft.occasion) if v.key == variant_key)
    form = _form(contact)
    body = " ".join(variant.texts[form].format(**fields).split())
    if form == "en":  # after "Dear …," English starts a sentence; German goes on lowercase
        body = body[:1].upper() + body[1:]
    texts = common()
    lines = [_greeting(contact, form), body]
    if draft.kind == "gift":
        lines.append(str(texts["gift"][form]))
    lines.append(str(texts["closing"][variant.closing][form]))
    return "\n\n".join(lines)[:MAX_DRAFT_CHARS]


def draft_for(
    draft: SuggestionDraft,
    *,
    contact: ContactInfo,
    month: dt.date,
    used: Mapping[str, int],
    excluded: AbstractSet[str] = frozenset(),
    interest_names: Mapping[str, tuple[str, str]],
    today: dt.date,
) -> NoteDraft | None:
    """The draft of a note or gift suggestion (None for a call, or when every variant is
    excluded for the contact)."""
    if draft.kind == "call":
        return None
    fields = draft_fields(draft, contact, interest_names=interest_names, today=today)
    keys = [variant.key for variant in _usable(draft, fields)]
    key = choose_variant(keys, contact_id=contact.id, month=month, used=used, excluded=excluded)
    if key is None:
        return None
    return NoteDraft(variant=key, text=_written(key, draft=draft, contact=contact, fields=fields))


def occasions_without_drafts() -> list[str]:
    """Occasions that can suggest a note but have no draft file (the registry test)."""
    return [name for name in OCCASIONS if not occasion_variants(name)]


__all__ = [
    "NoteDraft",
    "Variant",
    "choose_variant",
    "draft_fields",
    "draft_for",
    "occasion_variants",
    "occasions_without_drafts",
    "render_draft",
    "variant_keys",
]
