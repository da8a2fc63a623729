"""The weekly digest: on Monday morning each user gets one e-mail listing the open gestures
for their contacts that are due that week (and those already overdue), day by day, and the
gestures they made two weeks ago or longer whose outcome they have not recorded yet.

Sending is idempotent per user and week: the DigestDelivery row is inserted first (its unique
key decides who sends when two runs overlap), the mail is sent, then `sent_at` is set. A
rerun skips every user who already has a row. A failed send removes its row again so that a
retry sends it; a run that dies between the insert and the send leaves a row without
`sent_at` and that user gets no digest that week (never two).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contacts.models import User
from privacy.retention import review_due_counts_by_owner
from relcrm.validation import without_control_characters

from .models import DigestDelivery, Gesture, Suggestion
from .outcomes import outcome_requests_by_user
from .selectors import price_display

logger = logging.getLogger(__name__)

# Open and waiting for the owner: new ones to decide on, and those decided to be done.
# (Snoozed ones come back on their own; awaiting approval is the team lead's move.)
DIGEST_STATUSES = (
    Suggestion.Status.PENDING,
    Suggestion.Status.CONFIRMED,
    Suggestion.Status.APPROVED,
)


def week_of(today: dt.date) -> dt.date:
    """The Monday of `today`'s week."""
    return today - dt.timedelta(days=today.weekday())


@dataclass(frozen=True)
class DigestItem:
    suggestion_id: int
    contact_id: int
    contact_name: str
    occasion: str
    kind: str
    status: str
    event_date: dt.date
    due_date: dt.date
    gift_name: str
    gift_price: str
    contact_url: str


@dataclass(frozen=True)
class OutcomeQuestion:
    """A gesture whose owner is asked what came of it."""

    contact_name: str
    kind: str
    gift_name: str
    date: dt.date


@dataclass(frozen=True)
class DigestDay:
    day: dt.date | None  # None: overdue, from before the week
    items: tuple[DigestItem, ...]


class DigestsNotSent(Exception):
    """Some digests of the run could not be sent (their rows are gone, a retry sends them)."""

    def __init__(self, user_ids: list[int]) -> None:
        super().__init__(f"weekly digest not sent to {len(user_ids)} user(s): ids {user_ids}")
        self.user_ids = user_ids


@dataclass
class DigestRun:
    week_of: dt.date
    sent: int = 0
    skipped: int = 0  # already sent (or being sent) this week
    failed: list[int] = field(default_factory=list)  # user ids whose mail was refused


def _open_suggestions_due(*, last_day: dt.date) -> dict[int, list[Suggestion]]:
    """Open suggestions due up to `last_day`, by the id of their contact's owner."""
    suggestions = (
        Suggestion.objects.filter(
            status__in=DIGEST_STATUSES,
            due_date__lte=last_day,
            contact__archived=False,
            contact__owner__is_active=True,
        )
        .exclude(contact__owner__email="")
        .select_related("contact", "gift_item")
        .order_by(
            "contact__owner_id", "due_date", "contact__last_name", "contact__first_name", "pk"
        )
    )
    by_owner: dict[int, list[Suggestion]] = defaultdict(list)
    for suggestion in suggestions:
        by_owner[suggestion.contact.owner_id].append(suggestion)
    return by_owner


def digest_days(
    suggestions: list[Suggestion], *, monday: dt.date, language: str, base_url: str
) -> list[DigestDay]:
    """The suggestions as the digest lists them: overdue first, then by day of the week.

    Call inside `translation.override(language)`: labels come out in that language.
    """
    groups: dict[dt.date | None, list[DigestItem]] = defaultdict(list)
    for suggestion in suggestions:
        gift = suggestion.gift_item
        price: Decimal | None = suggestion.price_eur
        if price is None and gift is not None:
            price = gift.price_eur
        item = DigestItem(
            suggestion_id=suggestion.pk,
            contact_id=suggestion.contact_id,
            contact_name=suggestion.contact.full_name,
            occasion=suggestion.get_occasion_display(),
            kind=suggestion.get_kind_display(),
            status=suggestion.get_status_display(),
            event_date=suggestion.event_date,
            due_date=suggestion.due_date,
            gift_name=gift.name_in(language) if gift is not None else "",
            gift_price=price_display(price, language=language) if price is not None else "",
            contact_url=base_url + reverse("contact_detail", args=[suggestion.contact_id]),
        )
        groups[None if suggestion.due_date < monday else suggestion.due_date].append(item)
    days = [DigestDay(None, tuple(groups[None]))] if groups.get(None) else []
    days += [DigestDay(day, tuple(groups[day])) for day in sorted(d for d in groups if d)]
    return days


def digest_message(
    *,
    user: User,
    suggestions: list[Suggestion],
    monday: dt.date,
    review_due: int = 0,
    outcome_requests: Sequence[Gesture] = (),
) -> EmailMultiAlternatives:
    """The digest e-mail for `user`, in their language, as plain text and HTML; it also says
    how many observations of their contacts are due for review (a count, never what they
    say)."""
    base_url = settings.RELCRM_BASE_URL
    with translation.override(user.language):
        context = {
            "questions": [
                OutcomeQuestion(
                    contact_name=gesture.contact.full_name,
                    kind=gesture.get_kind_display(),
                    gift_name=gesture.gift_item.name_in(user.language) if gesture.gift_item else "",
                    date=gesture.date,
                )
                for gesture in outcome_requests
            ],
            "user": user,
            "week_of": monday,
            "week_end": monday + dt.timedelta(days=6),
            "days": digest_days(
                suggestions, monday=monday, language=user.language, base_url=base_url
            ),
            "count": len(suggestions),
            "dashboard_url": base_url + reverse("dashboard"),
            "calendar_url": base_url + reverse("calendar_feed"),
            "review_due": review_due,
            "review_url": base_url + reverse("review"),
        }
        subject = _("Your gestures for the week of %(date)s") % {
            "date": date_format(monday, "DATE_FORMAT")
        }
        # Stored text (names, explanations, quotes) reaches a mail client: no control
        # characters, which some clients would interpret.
        text = without_control_characters(render_to_string("gestures/email/digest.txt", context))
        html = without_control_characters(render_to_string("gestures/email/digest.html", context))
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        # Keeps out-of-office replies away (RFC 3834).
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def _claim(*, user_id: int, monday: dt.date) -> DigestDelivery | None:
    """Insert this week's delivery row for the user; None when a row is already there."""
    try:
        with transaction.atomic():
            return DigestDelivery.objects.create(user_id=user_id, week_of=monday)
    except IntegrityError:
        return None


def digests_send(*, today: dt.date) -> DigestRun:
    """Send this week's digest to every active user with open gestures due by Sunday (or
    overdue) for the contacts they own, or with gestures whose outcome is asked for; at
    most one per user and week."""
    monday = week_of(today)
    run = DigestRun(week_of=monday)
    due = _open_suggestions_due(last_day=monday + dt.timedelta(days=6))
    asked = outcome_requests_by_user(today=today)
    if not due and not asked:
        return run
    users = (
        User.objects.filter(pk__in=due.keys() | asked.keys(), is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    review_due = review_due_counts_by_owner(owner_ids=due.keys() | asked.keys(), today=today)
    with get_connection() as connection:
        for user in users:
            delivery = _claim(user_id=user.pk, monday=monday)
            if delivery is None:
                run.skipped += 1
                continue
            message = digest_message(
                user=user,
                suggestions=due.get(user.pk, []),
                monday=monday,
                review_due=review_due.get(user.pk, 0),
                outcome_requests=asked.get(user.pk, []),
            )
            message.connection = connection
            try:
                message.send()
            except Exception:
                # One refused address must not stop the others; the row goes so a retry
                # sends this one. Logged by id: addresses are personal data.
                logger.exception("the weekly digest for user %s could not be sent", user.pk)
                delivery.delete()
                run.failed.append(user.pk)
                continue
            DigestDelivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
            run.sent += 1
    logger.info(
        "weekly digest %s: %s sent, %s already sent, %s failed",
        monday,
        run.sent,
        run.skipped,
        len(run.failed),
    )
    return run
