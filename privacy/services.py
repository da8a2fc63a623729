"""Writes for personal data: erasing a person (GDPR Art. 17) and logging access to it."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import Contact, ContactImport, Fact, Observation, User
from contacts.permissions import may_view
from contacts.services import observation_delete
from gestures.models import Gesture, GestureOutcome, Suggestion, SuggestionTransition

from .models import AccessLogEntry, Erasure, ObservationReview, RetentionSettings
from .retention import months_earlier

PSEUDONYM_PREFIX = "erased person"


def may_erase(user: User, contact: Contact) -> bool:
    """Team leads of the contact's team and admins erase; account managers do not."""
    return may_view(user, contact) and (user.is_admin or user.is_team_lead)


def may_export(user: User, contact: Contact) -> bool:
    """The contact's owner, team leads of its team and admins export a person's data."""
    return may_view(user, contact) and (
        user.is_admin or user.is_team_lead or contact.owner_id == user.pk
    )


def access_log_record(*, user: User, contact: Contact, action: str) -> AccessLogEntry:
    return AccessLogEntry.objects.create(user=user, contact=contact, action=action)


def access_log_record_many(*, user: User, contacts: Iterable[Contact], action: str) -> None:
    """One entry per distinct contact, in one query (a page listing many people)."""
    unique = {contact.pk: contact for contact in contacts}
    AccessLogEntry.objects.bulk_create(
        [AccessLogEntry(user=user, contact=contact, action=action) for contact in unique.values()]
    )


def contact_privacy_notice_given(*, contact: Contact, on: date) -> Contact:
    contact.privacy_notice_on = on
    contact.save(update_fields=["privacy_notice_on", "updated_at"])
    return contact


def _identifiers(contact: Contact) -> list[str]:
    return [
        value
        for value in (
            contact.first_name,
            contact.last_name,
            contact.full_name,
            contact.email,
            contact.phone,
            contact.external_id or "",
        )
        if len(value.strip()) >= 2
    ]


def _identifiers_replaced(text: str, *, contact: Contact, by: str) -> str:
    for value in sorted(_identifiers(contact), key=len, reverse=True):
        text = re.sub(re.escape(value), by, text, flags=re.IGNORECASE)
    return text


def erasure_reason_clean(*, contact: Contact, reason: str) -> str:
    """The reason goes into the erasure log, which must not identify the person."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say why this person is erased.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("The reason can be at most 500 characters long.")})
    lowered = reason.casefold()
    if any(value.casefold() in lowered for value in _identifiers(contact)):
        raise ValidationError(
            {
                "reason": _(
                    "The reason is kept in the erasure log: leave out the person's name, "
                    "e-mail, phone and id."
                )
            }
        )
    return reason


def _uploads_naming_delete(contact: Contact) -> int:
    """Uploaded contact files of the team that still hold the person (the file and the
    result both can) go; one that is still being imported blocks the erasure."""
    needles = [value.casefold() for value in _identifiers(contact)]
    deleted = 0
    for upload in ContactImport.objects.filter(team_id=contact.team_id).select_for_update():
        text = bytes(upload.content).decode("utf-8", errors="ignore") + json.dumps(
            [upload.result, upload.mapping], ensure_ascii=False
        )
        text = text.casefold()
        if not any(needle in text for needle in needles):
            continue
        if upload.status in (ContactImport.Status.QUEUED, ContactImport.Status.RUNNING):
            raise ValidationError(
                _("A contact import of this person's team is running; erase once it is done.")
            )
        upload.delete()
        deleted += 1
    return deleted


def _pseudonym_new() -> str:
    taken = set(Erasure.objects.values_list("pseudonym", flat=True))
    while True:
        pseudonym = f"{PSEUDONYM_PREFIX} {secrets.token_hex(2).upper()}"
        if pseudonym not in taken:
            return pseudonym


def _admin_log_delete(model: type, ids: list[int]) -> None:
    """The admin's change log names objects by their str(): it goes with them."""
    if ids:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in ids],
        ).delete()


@transaction.atomic
def contact_erase(*, contact: Contact, by: User, reason: str) -> Erasure:
    """Erase a person: every observation, fact, suggestion, decision and non-gift gesture
    with all their history goes; gifts stay in the ledger with date, item, value, giver,
    team and organization, their recipient a contact row that holds only a pseudonym.

    One transaction: it happens entirely or not at all.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_erased:
        raise ValidationError(_("This person has already been erased."))
    if not may_erase(by, contact):
        raise PermissionDenied
    reason = erasure_reason_clean(contact=contact, reason=reason)
    pseudonym = _pseudonym_new()
    _uploads_naming_delete(contact)

    observation_ids = list(contact.observations.values_list("pk", flat=True))
    fact_ids = list(Fact.objects.filter(contact=contact).values_list("pk", flat=True))
    suggestion_ids = list(contact.suggestions.values_list("pk", flat=True))
    other_gesture_ids = list(
        contact.gestures.exclude(kind=Gesture.Kind.GIFT).values_list("pk", flat=True)
    )
    gifts = contact.gestures.filter(kind=Gesture.Kind.GIFT)

    Fact.objects.filter(pk__in=fact_ids).delete()
    Observation.objects.filter(pk__in=observation_ids).delete()
    # History rows also of observations deleted earlier: they still name the contact.
    Observation.history.filter(contact_id=contact.pk).delete()
    # What came of a gesture is about the person (and its note may name them): it goes,
    # also for the gifts the ledger keeps. The card's text names the person too.
    GestureOutcome.objects.filter(gesture__contact=contact).delete()
    gifts_kept = gifts.filter(gift_item__isnull=False).update(
        note="", card_text="", suggestion=None
    )
    # A gift outside the catalog is named by its note, which the ledger keeps as its item,
    # with every identifier of the person replaced by the pseudonym.
    for gift in gifts.filter(gift_item__isnull=True):
        gift.note = _identifiers_replaced(gift.note, contact=contact, by=pseudonym)
        gift.card_text = ""
        gift.suggestion = None
        gift.save(update_fields=["note", "card_text", "suggestion"])
        gifts_kept += 1
    Gesture.objects.filter(pk__in=other_gesture_ids).delete()
    SuggestionTransition.objects.filter(suggestion_id__in=suggestion_ids).delete()
    Suggestion.objects.filter(pk__in=suggestion_ids).delete()
    for model, ids in (
        (Observation, observation_ids),
        (Fact, fact_ids),
        (Suggestion, suggestion_ids),
        (Gesture, other_gesture_ids),
        (Contact, [contact.pk]),
    ):
        _admin_log_delete(model, ids)

    Contact.objects.filter(pk=contact.pk).update(
        first_name="",
        last_name=pseudonym,
        title="",
        salutation="",
        email="",
        phone="",
        external_id=None,
        customer_since=None,
        last_touch_on=None,
        archived=True,
        erased_at=timezone.now(),
        updated_at=timezone.now(),
    )
    Contact.history.filter(id=contact.pk).delete()

    erasure = Erasure(
        pseudonym=pseudonym,
        erased_by=by,
        reason=reason,
        observations=len(observation_ids),
        suggestions=len(suggestion_ids),
        gifts_kept=gifts_kept,
    )
    erasure.full_clean()
    erasure.save()
    access_log_record(user=by, contact=contact, action=AccessLogEntry.Action.ERASE)
    return erasure


def may_review(user: User, observation: Observation) -> bool:
    """The contact's owner, team leads of its team and admins review its observations."""
    contact = observation.contact
    return may_view(user, contact) and (
        user.is_admin or user.is_team_lead or contact.owner_id == user.pk
    )


def observation_review_keep(
    *, observation: Observation, by: User, today: date
) -> ObservationReview:
    """Confirm an observation still holds: it counts as noted today for retention."""
    if not may_review(by, observation):
        raise PermissionDenied
    review = ObservationReview(observation=observation, reviewed_by=by, reviewed_on=today)
    review.full_clean()
    review.save()
    return review


def quotes_of_observation_removed(*, observation: Observation, **_: object) -> None:
    """Suggestions quote the observations they come from, as the text read then: the
    quote goes with it, whichever version it quotes."""
    texts = {observation.text.strip()} | {
        text.strip()
        for text in Observation.history.filter(id=observation.pk).values_list("text", flat=True)
    }
    for suggestion in Suggestion.objects.filter(contact_id=observation.contact_id):
        ids = [pk for pk in suggestion.observation_ids if pk != observation.pk]
        quotes = suggestion.explanation.get("quotes") if suggestion.explanation else None
        kept = [q for q in quotes or [] if not (isinstance(q, dict) and q.get("text") in texts)]
        if ids == suggestion.observation_ids and kept == (quotes or []):
            continue
        suggestion.observation_ids = ids
        if quotes is not None:
            suggestion.explanation = {**suggestion.explanation, "quotes": kept}
        suggestion.save(update_fields=["observation_ids", "explanation"])


@transaction.atomic
def observation_forget(*, observation: Observation, by: User) -> None:
    """Delete an observation at its review as an erasure would: its facts, every history
    row of it, the admin's log entries and the suggestions' quotes of it."""
    observation = (
        Observation.objects.select_for_update().select_related("contact").get(pk=observation.pk)
    )
    if not may_review(by, observation):
        raise PermissionDenied
    fact_ids = list(observation.facts.values_list("pk", flat=True))
    _admin_log_delete(Fact, fact_ids)
    _admin_log_delete(Observation, [observation.pk])
    observation_delete(observation=observation)


def access_log_prune(*, now: datetime | None = None) -> int:
    """Delete access log entries older than the retention setting; how many went."""
    now = now or timezone.now()
    keep_months = RetentionSettings.current().access_log_months
    cutoff_day = months_earlier(timezone.localdate(now), keep_months)
    cutoff = timezone.make_aware(datetime.combine(cutoff_day, time.min))
    deleted, _by_model = AccessLogEntry.objects.filter(at__lt=cutoff).delete()
    return deleted
