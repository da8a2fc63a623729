"""A contact's timeline: everything noted, suggested and done for one person in one
chronological list, with what is coming up on top (their next dates, the open suggestions,
a gift approved and planned).

What an Art. 9 note says stays with those who need to know (contacts.permissions): such an
observation, its facts and the explanations that quote it are masked for other colleagues,
and its dates are left out of what is coming up. A fixed number of queries, however long
the contact's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Q
from django.utils import timezone

from contacts.models import Contact, Fact, Observation, User
from contacts.permissions import may_change, may_see_sensitive
from privacy.need_to_know import explanation_text_for, hidden_quotes, sensitive_note_text

from .loaders import interest_names
from .models import Gesture, Suggestion
from .rules import describe_distance
from .rules.dates import next_occurrence, yearly_date
from .rules.explain import describe_occasion
from .rules.types import FactInfo
from .selectors import WEEK_DAYS, price_display

# What is still to decide or to do, or comes back later (as on the team pages).
OPEN_STATUSES: frozenset[str] = frozenset(
    {
        Suggestion.Status.PENDING,
        Suggestion.Status.CONFIRMED,
        Suggestion.Status.AWAITING_APPROVAL,
        Suggestion.Status.APPROVED,
        Suggestion.Status.SNOOZED,
    }
)
# How far ahead "coming up" looks for the contact's dates.
UPCOMING_DAYS = 90
YEARLY_KINDS = (Fact.Kind.BIRTHDAY, Fact.Kind.ANNIVERSARY)
DATED_KINDS = (Fact.Kind.MILESTONE, Fact.Kind.LIFE_EVENT, Fact.Kind.ROLE_CHANGE)


@dataclass(frozen=True)
class UpcomingDate:
    day: dt.date
    distance: str  # "in 5 days"
    fact: Fact | None  # None: the anniversary as our customer
    years: int | None = None  # how many years on that day, when the year is known


@dataclass(frozen=True)
class SuggestionView:
    """A suggestion as the timeline shows it, in the viewer's language."""

    suggestion: Suggestion
    occasion: str
    explanation: str
    gift_name: str
    price: str
    masked: bool  # its occasion comes from an Art. 9 note the viewer may not read

    @property
    def planned_gift(self) -> bool:
        """A gift the lead approved (or that needed no approval) and that is still to give."""
        return self.suggestion.kind == Suggestion.Kind.GIFT and self.suggestion.status in (
            Suggestion.Status.APPROVED,
            Suggestion.Status.CONFIRMED,
        )


@dataclass(frozen=True)
class TimelineEntry:
    kind: Literal["observation", "suggestion", "gesture"]
    day: dt.date
    at: dt.datetime
    observation: Observation | None = None
    suggestion: SuggestionView | None = None
    gesture: Gesture | None = None
    hidden: bool = False  # an Art. 9 observation the viewer sees only exists
    editable: bool = False


@dataclass(frozen=True)
class ContactTimeline:
    upcoming_dates: list[UpcomingDate]
    open_suggestions: list[SuggestionView]
    entries: list[TimelineEntry] = field(default_factory=list)

    @property
    def planned_gifts(self) -> list[SuggestionView]:
        return [view for view in self.open_suggestions if view.planned_gift]


def _fact_info(fact: Fact) -> FactInfo:
    return FactInfo(
        id=fact.pk,
        observation_id=fact.observation_id,
        kind=fact.kind,
        month=fact.month,
        day=fact.day,
        year=fact.year,
        date=fact.date,
    )


def _upcoming_dates(
    contact: Contact, facts: list[Fact], *, today: dt.date, language: str
) -> list[UpcomingDate]:
    until = today + dt.timedelta(days=UPCOMING_DAYS)
    dates: list[UpcomingDate] = []
    for fact in facts:
        day: dt.date | None = None
        years = None
        if fact.kind in YEARLY_KINDS:
            month_day = yearly_date(_fact_info(fact))
            if month_day is not None:
                day = next_occurrence(*month_day, today)
                years = day.year - fact.year if fact.year else None
        elif fact.kind in DATED_KINDS and fact.date is not None and fact.date >= today:
            day = fact.date
        if day is not None and day <= until:
            distance = describe_distance(day, today=today, language=language)
            dates.append(UpcomingDate(day=day, distance=distance, fact=fact, years=years))
    since = contact.customer_since
    if since is not None:
        day = next_occurrence(since.month, since.day, today)
        if day <= until and day.year > since.year:
            distance = describe_distance(day, today=today, language=language)
            dates.append(
                UpcomingDate(day=day, distance=distance, fact=None, years=day.year - since.year)
            )
    dates.sort(key=lambda date: (date.day, date.fact.pk if date.fact else 0))
    return dates


@dataclass(frozen=True)
class ContactDate:
    contact: Contact
    date: UpcomingDate


def week_dates(*, user: User, today: dt.date, language: str) -> list[ContactDate]:
    """The dates of the contacts `user` owns in the next seven days, today included
    (birthdays, anniversaries, dated milestones and life events, years as our customer),
    soonest first. Two queries."""
    week_end = today + dt.timedelta(days=WEEK_DAYS - 1)
    months = {(today + dt.timedelta(days=n)).month for n in range(WEEK_DAYS)}
    contacts = Contact.objects.filter(owner=user, archived=False, erased_at__isnull=True)
    facts = (
        Fact.objects.filter(contact__in=contacts)
        .filter(
            Q(kind__in=YEARLY_KINDS, month__in=months)
            | Q(kind__in=YEARLY_KINDS, date__month__in=months)
            | Q(kind__in=DATED_KINDS, date__gte=today, date__lte=week_end)
        )
        .select_related("contact")
        .order_by("contact_id", "pk")
    )
    by_contact: dict[int, list[Fact]] = {}
    people: dict[int, Contact] = {}
    for fact in facts:
        by_contact.setdefault(fact.contact_id, []).append(fact)
        people[fact.contact_id] = fact.contact
    for contact in contacts.filter(customer_since__month__in=months):
        people.setdefault(contact.pk, contact)
    dates = [
        ContactDate(contact=contact, date=date)
        for pk, contact in people.items()
        for date in _upcoming_dates(contact, by_contact.get(pk, []), today=today, language=language)
        if date.day <= week_end
    ]
    dates.sort(key=lambda item: (item.date.day, item.contact.last_name, item.contact.pk))
    return dates


def _suggestion_views(
    suggestions: list[Suggestion], *, user: User, today: dt.date, language: str
) -> list[SuggestionView]:
    if not suggestions:
        return []
    hidden = hidden_quotes(user, suggestions)
    names = interest_names()
    views = []
    for suggestion in suggestions:
        masked = suggestion.pk in hidden and hidden[suggestion.pk] is None
        item = suggestion.gift_item
        price = suggestion.price_eur if suggestion.price_eur is not None else None
        if price is None and item is not None:
            price = item.price_eur
        views.append(
            SuggestionView(
                suggestion=suggestion,
                occasion=(
                    sensitive_note_text()
                    if masked
                    else describe_occasion(suggestion.explanation_data(), language)
                ),
                explanation=explanation_text_for(
                    suggestion, hidden=hidden, language=language, today=today, names=names
                ),
                gift_name=item.name_in(language) if item is not None else "",
                price=price_display(price, language=language) if price is not None else "",
                masked=masked,
            )
        )
    return views


def contact_timeline(*, contact: Contact, user: User, language: str) -> ContactTimeline:
    """`contact`'s timeline as `user` may see it (the caller checked they may see the
    contact), newest first. Five queries whatever the number of entries (six with
    suggestions: who wrote the Art. 9 notes they quote)."""
    today = timezone.localdate()
    observations = list(
        Observation.objects.filter(contact=contact)
        .select_related("author")
        .prefetch_related("facts")
        .order_by("-noted_on", "-created_at")
    )
    suggestions = list(
        Suggestion.objects.filter(contact=contact)
        .select_related("gift_item", "decided_by")
        .order_by("-created_at", "-pk")
    )
    gestures = list(
        Gesture.objects.filter(contact=contact)
        .select_related("gift_item", "by", "outcome__recorded_by", "suggestion")
        .order_by("-date", "-pk")
    )
    # One person's history: no join back to them.
    for suggestion in suggestions:
        suggestion.contact = contact
    for gesture in gestures:
        gesture.contact = contact
    views = _suggestion_views(suggestions, user=user, today=today, language=language)

    entries: list[TimelineEntry] = []
    visible_facts: list[Fact] = []
    for observation in observations:
        observation.contact = contact
        facts = list(observation.facts.all())
        hidden = any(f.sensitive for f in facts) and not may_see_sensitive(
            user, contact, author_id=observation.author_id
        )
        if not hidden:
            visible_facts += facts
        entries.append(
            TimelineEntry(
                kind="observation",
                day=observation.noted_on,
                at=observation.created_at,
                observation=observation,
                hidden=hidden,
                editable=may_change(user, observation),
            )
        )
    for view in views:
        created = view.suggestion.created_at
        entries.append(
            TimelineEntry(
                kind="suggestion",
                day=timezone.localdate(created),
                at=created,
                suggestion=view,
            )
        )
    for gesture in gestures:
        entries.append(
            TimelineEntry(
                kind="gesture",
                day=gesture.date,
                at=gesture.created_at,
                gesture=gesture,
                editable=may_change(user, gesture),
            )
        )
    order = {"gesture": 2, "suggestion": 1, "observation": 0}
    entries.sort(key=lambda e: (e.day, e.at, order[e.kind]), reverse=True)

    open_views = [view for view in views if view.suggestion.status in OPEN_STATUSES]
    open_views.sort(key=lambda view: (_open_day(view.suggestion), view.suggestion.pk))
    return ContactTimeline(
        upcoming_dates=_upcoming_dates(contact, visible_facts, today=today, language=language),
        open_suggestions=open_views,
        entries=entries,
    )


def _open_day(suggestion: Suggestion) -> dt.date:
    """When an open suggestion is next to act on: its due date, or when a snoozed one comes
    back."""
    if suggestion.status == Suggestion.Status.SNOOZED and suggestion.snoozed_until:
        return suggestion.snoozed_until
    return suggestion.due_date
