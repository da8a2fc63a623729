"""Fact drafts: a fact as the extractor proposes it and a person may correct it.

The capture preview, the import command and the services all pass facts around in this
one shape, and `fact_draft_clean` is the one validation they share before anything is
written. It checks what the database constraints also hold, plus what they cannot: that
an interest names a tag of the taxonomy and that a date exists (Feb 29 is a valid
birthday in any year).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .extraction import ExtractedFact
from .extraction.facts import SENSITIVE_CONSTRAINTS, SENSITIVE_LIFE_EVENTS
from .models import Fact

# Which fields each kind carries (docs/facts.md).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Fact.Kind.BIRTHDAY: ("month", "day", "year"),
    Fact.Kind.ANNIVERSARY: ("subject", "month", "day", "year"),
    Fact.Kind.ROLE_CHANGE: ("title", "date"),
    Fact.Kind.LIFE_EVENT: ("event", "date"),
    Fact.Kind.INTEREST: ("tag",),
    Fact.Kind.DISLIKE: ("tag",),
    Fact.Kind.CONSTRAINT: ("tag",),
    Fact.Kind.MILESTONE: ("date", "label"),
}


@dataclass(frozen=True)
class FactDraft:
    kind: str
    month: int | None = None
    day: int | None = None
    year: int | None = None
    date: date | None = None
    subject: str = ""
    event: str = ""
    title: str = ""
    label: str = ""
    tag: str = ""
    # The relative the fact is about (Fact.Person); empty for the contact's own fact.
    person: str = ""
    sensitive: bool = False
    evidence: str = field(default="", compare=False)

    @property
    def fields(self) -> dict[str, Any]:
        """The fields of this kind (docs/facts.md), as in the JSON of extract_facts."""
        values = {name: getattr(self, name) for name in KIND_FIELDS[self.kind]}
        if "title" in values and not values["title"]:
            values["title"] = None  # "title or null": a role change may name no title
        return values

    def as_json(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"kind": self.kind}
        for name, value in self.fields.items():
            payload[name] = value.isoformat() if isinstance(value, date) else value
        if self.person:
            payload["person"] = self.person
        payload["sensitive"] = self.sensitive
        return payload

    @property
    def is_dated(self) -> bool:
        return self.kind in {Fact.Kind.ROLE_CHANGE, Fact.Kind.LIFE_EVENT, Fact.Kind.MILESTONE}

    @property
    def is_yearly(self) -> bool:
        return self.kind in {Fact.Kind.BIRTHDAY, Fact.Kind.ANNIVERSARY}


def is_sensitive_by_rule(kind: str, *, tag: str = "", event: str = "") -> bool:
    """GDPR Art. 9 by what the fact says, whatever the form or file claimed."""
    return (kind == Fact.Kind.CONSTRAINT and tag in SENSITIVE_CONSTRAINTS) or (
        kind == Fact.Kind.LIFE_EVENT and event in SENSITIVE_LIFE_EVENTS
    )


def fact_draft_from_extracted(fact: ExtractedFact) -> FactDraft:
    values = dict(fact.fields)

    def number(name: str) -> int | None:
        value = values.get(name)
        return value if isinstance(value, int) else None

    dated = values.get("date")
    return FactDraft(
        kind=fact.kind,
        month=number("month"),
        day=number("day"),
        year=number("year"),
        date=dated if isinstance(dated, date) else None,
        subject=str(values.get("subject") or ""),
        event=str(values.get("event") or ""),
        title=str(values.get("title") or ""),
        label=str(values.get("label") or ""),
        tag=str(values.get("tag") or ""),
        person=str(values.get("person") or ""),
        sensitive=fact.sensitive,
        evidence=fact.evidence,
    )


def fact_draft_from_model(fact: Fact) -> FactDraft:
    return FactDraft(
        kind=fact.kind,
        month=fact.month,
        day=fact.day,
        year=fact.year,
        date=fact.date,
        subject=fact.subject,
        event=fact.event,
        title=fact.title,
        label=fact.label,
        tag=fact.tag,
        person=fact.person,
        sensitive=fact.sensitive,
        evidence=fact.evidence,
    )


def _month_day_valid(month: int | None, day: int | None, year: int | None) -> bool:
    if month is None or day is None or not 1 <= month <= 12:
        return False
    # A yearly date without a year may be Feb 29: it exists in leap years.
    days = calendar.monthrange(year if year else 2000, month)[1]
    return 1 <= day <= days


def fact_draft_clean(draft: FactDraft, *, interest_tags: Collection[str]) -> FactDraft:
    """Validate a draft; returns it with `sensitive` set by rule, or raises ValidationError."""
    kind = draft.kind
    if kind not in KIND_FIELDS:
        raise ValidationError(_("Unknown kind of fact: %(kind)s.") % {"kind": kind})
    if draft.is_yearly and not _month_day_valid(draft.month, draft.day, draft.year):
        raise ValidationError(
            _("%(kind)s needs a valid day and month.") % {"kind": Fact.Kind(kind).label}
        )
    if draft.year is not None and not 1900 <= draft.year <= 2200:
        raise ValidationError(_("The year %(year)s is out of range.") % {"year": draft.year})
    if kind == Fact.Kind.ANNIVERSARY and draft.subject not in Fact.Subject.values:
        raise ValidationError(_("Unknown kind of anniversary: %(s)s.") % {"s": draft.subject})
    if kind == Fact.Kind.LIFE_EVENT and draft.event not in Fact.Event.values:
        raise ValidationError(_("Unknown life event: %(event)s.") % {"event": draft.event})
    if kind in {Fact.Kind.INTEREST, Fact.Kind.DISLIKE} and draft.tag not in interest_tags:
        raise ValidationError(_("Unknown interest: %(tag)s.") % {"tag": draft.tag})
    if draft.person and draft.person not in Fact.Person.values:
        raise ValidationError(_("Unknown relative: %(person)s.") % {"person": draft.person})
    if kind == Fact.Kind.CONSTRAINT and draft.tag not in Fact.Constraint.values:
        raise ValidationError(_("Unknown constraint: %(tag)s.") % {"tag": draft.tag})
    if kind == Fact.Kind.MILESTONE and not draft.label.strip():
        raise ValidationError(_("A milestone needs a label."))
    # Fields of other kinds are dropped, so a stray value cannot break a constraint.
    kept = {name: getattr(draft, name) for name in KIND_FIELDS[kind]}
    blank = FactDraft(kind=kind, person=draft.person, evidence=draft.evidence)
    sensitive = draft.sensitive or is_sensitive_by_rule(kind, tag=draft.tag, event=draft.event)
    return replace(blank, **kept, sensitive=sensitive)


def fact_draft_from_record(record: Mapping[str, Any]) -> FactDraft:
    """A draft from a JSON record ({"kind": …, fields…}); raises ValidationError."""
    kind = record.get("kind")
    if not isinstance(kind, str) or kind not in KIND_FIELDS:
        raise ValidationError(_("Unknown kind of fact: %(kind)s.") % {"kind": kind})
    values: dict[str, Any] = {}
    for name in KIND_FIELDS[kind]:
        value = record.get(name)
        if name in {"month", "day", "year"}:
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValidationError(_("%(field)s must be a whole number.") % {"field": name})
        elif name == "date":
            if value is not None:
                try:
                    value = date.fromisoformat(str(value))
                except ValueError as error:
                    raise ValidationError(
                        _("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}
                    ) from error
        else:
            value = "" if value is None else str(value)
        values[name] = value
    person = record.get("person")
    return FactDraft(
        kind=kind,
        person="" if person is None else str(person),
        sensitive=bool(record.get("sensitive", False)),
        **values,
    )
