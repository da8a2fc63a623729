"""Facts in words, in the viewer's language: "Birthday: 3 March", "Interest: Hiking"."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from contacts.facts import FactDraft, fact_draft_from_model
from contacts.models import Fact

register = template.Library()


def _yearly(month: int | None, day: int | None, year: int | None) -> str:
    if not month or not day or not 1 <= month <= 12:
        return "?"
    # Not through date(): a Feb 29 birthday has no date in most years.
    day_month = _("%(day)s %(month)s") % {"day": day, "month": MONTHS[month]}
    return f"{day_month} {year}" if year else day_month


def _dated(value: date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


@register.filter
def fact_summary(fact: Fact | FactDraft | None, tag_names: dict[str, str] | None = None) -> str:
    if fact is None:
        return ""
    draft = fact_draft_from_model(fact) if isinstance(fact, Fact) else fact
    text = _fact_text(draft, tag_names or {})
    if draft.person in Fact.Person.values:
        # "Interest: Golf (partner)": a relative's fact, not the contact's.
        return f"{text} ({Fact.Person(draft.person).label})"
    return text


def _fact_text(draft: FactDraft, names: dict[str, str]) -> str:
    kind = draft.kind
    if kind == Fact.Kind.BIRTHDAY:
        return _("Birthday: %(when)s") % {"when": _yearly(draft.month, draft.day, draft.year)}
    if kind == Fact.Kind.ANNIVERSARY:
        label = Fact.Subject(draft.subject).label if draft.subject in Fact.Subject.values else ""
        return f"{label}: {_yearly(draft.month, draft.day, draft.year)}"
    if kind == Fact.Kind.ROLE_CHANGE:
        text = _("Role change")
        if draft.title:
            text += f": {draft.title}"
        return f"{text} ({_dated(draft.date)})" if draft.date else text
    if kind == Fact.Kind.LIFE_EVENT:
        label = Fact.Event(draft.event).label if draft.event in Fact.Event.values else draft.event
        text = _("Life event: %(event)s") % {"event": label}
        return f"{text} ({_dated(draft.date)})" if draft.date else text
    if kind == Fact.Kind.INTEREST:
        return _("Interest: %(tag)s") % {"tag": names.get(draft.tag, draft.tag)}
    if kind == Fact.Kind.DISLIKE:
        return _("Dislike: %(tag)s") % {"tag": names.get(draft.tag, draft.tag)}
    if kind == Fact.Kind.CONSTRAINT:
        label = Fact.Constraint(draft.tag).label if draft.tag in Fact.Constraint.values else ""
        return _("Constraint: %(tag)s") % {"tag": label or draft.tag}
    if kind == Fact.Kind.MILESTONE:
        text = _("Milestone: %(label)s") % {"label": draft.label}
        return f"{text} ({_dated(draft.date)})" if draft.date else text
    return kind
