"""Each user's personal iCal feed: what they decided to do (confirmed and approved gestures)
and the birthdays and anniversaries coming up for the contacts they own.

The feed's secret token is the only credential of its URL (calendar apps cannot sign in), so
it is never logged, and revoking a feed replaces the token: the old URL stops working at once.
Everyone's feed, team leads' and admins' included, holds only the contacts they own: it is a
personal agenda, not a team overview.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contacts.models import Fact, User
from contacts.permissions import scope_to_user
from relcrm.validation import single_line, without_control_characters

from .loaders import interest_names
from .models import CalendarFeed, Suggestion
from .rules import FactInfo, next_occurrence
from .rules.dates import yearly_date
from .selectors import explanation_text

# Birthdays and anniversaries this many days ahead (today included) are in the feed.
IMPORTANT_DATES_DAYS = 90
# Gestures people decided to make; pending ones are still a question, not a plan.
PLANNED_STATUSES = (Suggestion.Status.CONFIRMED, Suggestion.Status.APPROVED)
PRODID = "-//relcrm//Calendar feed//EN"
UID_DOMAIN = "relcrm"
# token_urlsafe(32) gives 43 characters; the column holds 64.
TOKEN_BYTES = 32
TOKEN_MAX_LENGTH = 64


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def calendar_feed_create(*, user: User) -> CalendarFeed:
    """The user's feed, made if they have none yet (twice is the same as once)."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


def calendar_feed_revoke(*, user: User) -> CalendarFeed | None:
    """Give the user's feed a new secret URL; the old one is refused from now on.

    None when the user has no feed (nothing to revoke).
    """
    updated = CalendarFeed.objects.filter(user=user).update(
        token=_new_token(), created_at=timezone.now()
    )
    if not updated:
        return None
    return CalendarFeed.objects.get(user=user)


def calendar_feed_for_token(*, token: str) -> CalendarFeed | None:
    """The feed an unguessable token stands for, if its user may still sign in."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


@dataclass(frozen=True)
class _Event:
    uid: str
    day: dt.date
    summary: str
    description: str
    stamp: dt.datetime
    url: str = ""


def _base_url() -> str:
    return settings.RELCRM_BASE_URL.rstrip("/")


def _own_contacts_filter(queryset: QuerySet[Suggestion], user: User) -> QuerySet[Suggestion]:
    # Owned and still visible: a contact that moved to another team leaves the feed even
    # while its owner field has not been reassigned yet.
    return scope_to_user(queryset, user, team_field="contact__team").filter(
        contact__owner=user, contact__archived=False
    )


def _planned_gestures(*, user: User, today: dt.date, language: str) -> list[_Event]:
    suggestions = _own_contacts_filter(
        Suggestion.objects.filter(status__in=PLANNED_STATUSES), user
    ).select_related("contact", "gift_item")
    names = interest_names()
    dashboard = _base_url() + reverse("dashboard")
    summaries: dict[str, str] = {
        Suggestion.Kind.GIFT: _("Gift for %(name)s: %(occasion)s"),
        Suggestion.Kind.NOTE: _("Note to %(name)s: %(occasion)s"),
        Suggestion.Kind.CALL: _("Call %(name)s: %(occasion)s"),
    }
    events = []
    for suggestion in suggestions:
        template = summaries.get(suggestion.kind, summaries[Suggestion.Kind.NOTE])
        summary = template % {
            "name": suggestion.contact.full_name,
            "occasion": suggestion.get_occasion_display(),
        }
        events.append(
            _Event(
                uid=f"suggestion-{suggestion.pk}@{UID_DOMAIN}",
                day=suggestion.due_date,
                summary=summary,
                description=explanation_text(
                    suggestion, language=language, today=today, names=names
                ),
                stamp=suggestion.updated_at,
                url=dashboard,
            )
        )
    return events


def _important_dates(*, user: User, today: dt.date) -> list[_Event]:
    facts = (
        scope_to_user(Fact.objects.all(), user, team_field="contact__team")
        .filter(
            kind__in=[Fact.Kind.BIRTHDAY, Fact.Kind.ANNIVERSARY],
            contact__owner=user,
            contact__archived=False,
        )
        .order_by("contact_id", "pk")
        .values_list(
            "pk",
            "observation_id",
            "kind",
            "month",
            "day",
            "year",
            "date",
            "subject",
            "contact_id",
            "contact__first_name",
            "contact__last_name",
            "observation__updated_at",
        )
    )
    last_day = today + dt.timedelta(days=IMPORTANT_DATES_DAYS - 1)
    subjects = dict(Fact.Subject.choices)
    seen: set[tuple[int, str, str, dt.date]] = set()
    events = []
    for (
        pk,
        observation_id,
        kind,
        month,
        day,
        year,
        date,
        subject,
        contact_id,
        first_name,
        last_name,
        noted_at,
    ) in facts:
        yearly = yearly_date(
            FactInfo(
                id=pk,
                observation_id=observation_id,
                kind=kind,
                month=month,
                day=day,
                year=year,
                date=date,
            )
        )
        if yearly is None:
            continue
        occurrence = next_occurrence(yearly[0], yearly[1], today)
        # The same date noted in two observations is one event.
        key = (contact_id, kind, subject, occurrence)
        if occurrence > last_day or key in seen:
            continue
        seen.add(key)
        occasion = (
            _("Birthday")
            if kind == Fact.Kind.BIRTHDAY
            else str(subjects.get(subject, Fact.Subject.OTHER.label))
        )
        summary = _("%(occasion)s: %(name)s") % {
            "occasion": occasion,
            "name": f"{first_name} {last_name}".strip(),
        }
        first_year = year or (date.year if date is not None else None)
        if first_year is not None and occurrence.year > first_year:
            years = occurrence.year - first_year
            summary += (
                " (" + ngettext("%(count)s year", "%(count)s years", years) % {"count": years} + ")"
            )
        events.append(
            _Event(
                uid=f"{kind}-{pk}-{occurrence:%Y}@{UID_DOMAIN}",
                day=occurrence,
                summary=summary,
                description="",
                stamp=noted_at,
                url=_base_url() + reverse("contact_detail", args=[contact_id]),
            )
        )
    return events


def calendar_for_user(*, user: User, today: dt.date) -> bytes:
    """The user's feed as an iCalendar document, in their language, in three queries."""
    with translation.override(user.language):
        events = _planned_gestures(
            user=user, today=today, language=user.language
        ) + _important_dates(user=user, today=today)
        calendar = icalendar.Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add(
            "x-wr-calname", single_line(_("relcrm: %(name)s") % {"name": user.display_name()})
        )
        # Ask calendar apps to look again every hour (most ignore less than that).
        calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", dt.timedelta(hours=1))
    for item in sorted(events, key=lambda e: (e.day, e.uid)):
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp.astimezone(dt.UTC))
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        # Stored text leaves in another program: no control characters in it.
        event.add("summary", single_line(item.summary))
        if item.description:
            event.add("description", without_control_characters(item.description))
        if item.url:
            event.add("url", item.url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
