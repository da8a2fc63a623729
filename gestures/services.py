"""Writes for the gift catalog (items, images, thumbnails) and the decisions on suggestions
(confirm, dismiss, snooze, swap, done, approve, reject) and gestures. Keyword-only, validated.

Image files always get generated names. Files a change makes obsolete are deleted only
after the transaction commits, and thumbnails are made by a task sent after the commit.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import DateField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, Observation, User
from contacts.services import contact_touch

from . import loaders
from .dispatch import contact_rescan_on_commit, gift_item_thumbnails_schedule
from .images import MAX_BYTES, CleanImage, thumbnails_make
from .models import Gesture, GiftItem, ScanConfiguration, Suggestion, SuggestionTransition
from .rules import gift_ineligibility, gift_needs_approval
from .rules.drafts import MAX_DRAFT_CHARS as DRAFT_MAX_CHARS
from .rules.gifts import gift_proposal

logger = logging.getLogger(__name__)

IMAGE_FOLDER = "gifts"
THUMBNAIL_FOLDER = "gifts/thumbs"


def _file_names(item: GiftItem) -> list[str]:
    return [f.name for f in (item.image, item.thumbnail_list, item.thumbnail_detail) if f]


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete the obsolete file %s", name, exc_info=True)


def _delete_files_on_commit(names: list[str]) -> None:
    if names:
        transaction.on_commit(partial(_delete_files, names))


def gift_item_save(*, item: GiftItem) -> GiftItem:
    item.full_clean(exclude=["image", "image_sha256", "thumbnail_list", "thumbnail_detail"])
    item.save()
    return item


@transaction.atomic
def gift_item_image_replace(*, item: GiftItem, image: CleanImage) -> GiftItem:
    """Store `image` under a new name as the item's picture; the old files go on commit."""
    if item.pk is None:
        raise ValueError("save the gift item before giving it an image")
    obsolete = _file_names(item)
    name = default_storage.save(
        f"{IMAGE_FOLDER}/{uuid.uuid4().hex}.{image.extension}", ContentFile(image.content)
    )
    try:
        item.image.name = name
        item.image_sha256 = image.source_sha256
        item.thumbnail_list.name = ""
        item.thumbnail_detail.name = ""
        item.updated_at = timezone.now()
        item.save(
            update_fields=[
                "image",
                "image_sha256",
                "thumbnail_list",
                "thumbnail_detail",
                "updated_at",
            ]
        )
    except BaseException:
        _delete_files([name])
        raise
    _delete_files_on_commit(obsolete)
    gift_item_thumbnails_schedule(item_id=item.pk)
    return item


@transaction.atomic
def gift_item_image_remove(*, item: GiftItem) -> GiftItem:
    obsolete = _file_names(item)
    item.image.name = ""
    item.image_sha256 = ""
    item.thumbnail_list.name = ""
    item.thumbnail_detail.name = ""
    item.save(
        update_fields=["image", "image_sha256", "thumbnail_list", "thumbnail_detail", "updated_at"]
    )
    _delete_files_on_commit(obsolete)
    return item


def gift_item_thumbnails_make(*, item_id: int) -> bool:
    """Make the item's list and detail thumbnails from its stored image.

    Idempotent and safe against a concurrent image change: the thumbnails are recorded
    only if the row still has this image and no thumbnails (a conditional UPDATE);
    otherwise the files just made are removed again. A missing or broken stored image is
    logged and leaves the item without thumbnails: pages then show the original or a
    placeholder. Returns whether thumbnails were recorded.
    """
    item = (
        GiftItem.objects.filter(pk=item_id)
        .only("pk", "image", "thumbnail_list", "thumbnail_detail")
        .first()
    )
    if item is None or not item.image:
        return False
    if item.thumbnail_list and item.thumbnail_detail:
        return False
    image_name = item.image.name
    try:
        with default_storage.open(image_name, "rb") as stored:
            data = stored.read(MAX_BYTES + 1)
    except FileNotFoundError:
        logger.warning("gift item %s: image file %s is missing", item_id, image_name)
        return False
    try:
        thumbnails = thumbnails_make(data)
    except ValidationError as error:
        logger.warning("gift item %s: no thumbnails for %s: %s", item_id, image_name, error)
        return False
    stem = PurePosixPath(image_name).stem
    made = [
        default_storage.save(
            f"{THUMBNAIL_FOLDER}/{stem}-list.webp", ContentFile(thumbnails.list_webp)
        ),
        default_storage.save(
            f"{THUMBNAIL_FOLDER}/{stem}-detail.webp", ContentFile(thumbnails.detail_webp)
        ),
    ]
    recorded = GiftItem.objects.filter(
        pk=item_id, image=image_name, thumbnail_list="", thumbnail_detail=""
    ).update(thumbnail_list=made[0], thumbnail_detail=made[1])
    if not recorded:
        _delete_files(made)
    return bool(recorded)


def gift_items_set_active(*, items: QuerySet[GiftItem], active: bool) -> int:
    """Activate or deactivate many items at once; returns how many changed."""
    return items.exclude(active=active).update(active=active, updated_at=timezone.now())


@transaction.atomic
def gift_items_delete(*, items: QuerySet[GiftItem]) -> int:
    doomed = list(items)
    obsolete = [name for item in doomed for name in _file_names(item)]
    GiftItem.objects.filter(pk__in=[item.pk for item in doomed]).delete()
    _delete_files_on_commit(obsolete)
    return len(doomed)


def contacts_last_touch_recompute(*, contacts: QuerySet[Contact] | None = None) -> int:
    """Set each contact's last touch from its observations and gestures, for rows written
    in bulk past the services (the benchmark's data); returns how many were updated."""
    observed = Subquery(
        Observation.objects.filter(contact=OuterRef("pk"))
        .values("contact")
        .annotate(latest=Max("noted_on"))
        .values("latest"),
        output_field=DateField(),
    )
    done = Subquery(
        Gesture.objects.filter(contact=OuterRef("pk"))
        .values("contact")
        .annotate(latest=Max("date"))
        .values("latest"),
        output_field=DateField(),
    )
    # GREATEST is NULL with a NULL argument on SQLite (not on PostgreSQL): coalesce both.
    return (contacts if contacts is not None else Contact.objects.all()).update(
        last_touch_on=Greatest(Coalesce(observed, done), Coalesce(done, observed))
    )


# -- Suggestions: the decisions people take on them ----------------------------------------
#
# Each decision locks the suggestion row, checks the move against Suggestion.TRANSITIONS,
# records who took it (SuggestionTransition) and refuses what is not allowed with a
# SuggestionTransitionError whose message can be shown to the person as it is.


class SuggestionTransitionError(ValidationError):
    """A decision the suggestion's current status (or the input) does not allow."""


# Stored as SuggestionTransition.reason for the changes that are not a dismissal.
SWAP_REASON = "gift_swapped"


def _suggestion_locked(suggestion: Suggestion) -> Suggestion:
    # `of=("self",)`: PostgreSQL cannot lock the nullable side of the joins.
    return (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("contact__organization", "gift_item")
        .get(pk=suggestion.pk)
    )


def _refuse_unless(locked: Suggestion, status: str) -> None:
    if not locked.can_become(status):
        raise SuggestionTransitionError(
            _("This suggestion is “%(current)s” and cannot become “%(target)s” any more.")
            % {
                "current": locked.get_status_display(),
                "target": Suggestion.Status(status).label,
            },
            code="transition",
        )


def _suggestion_move(
    locked: Suggestion,
    *,
    to_status: str,
    by: User,
    reason: str = "",
    reason_text: str = "",
    fields: Iterable[str] = (),
) -> Suggestion:
    """Set the status, record the decision, and save `fields` with it."""
    from_status = locked.status
    now = timezone.now()
    locked.status = to_status
    locked.decided_by = by
    locked.decided_at = now
    locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at", *fields])
    SuggestionTransition.objects.create(
        suggestion=locked,
        from_status=from_status,
        to_status=to_status,
        by=by,
        at=now,
        reason=reason,
        reason_text=reason_text,
    )
    return locked


def suggestion_needs_approval(
    *, suggestion: Suggestion, configuration: ScanConfiguration | None = None
) -> bool:
    """A gift at or above the approval threshold, or for a contact flagged for compliance,
    goes to the team lead before it may be given (gifts only: docs/suggestions.md)."""
    if suggestion.kind != Suggestion.Kind.GIFT:
        return False
    if suggestion.needs_approval:
        return True
    price = suggestion.price_eur
    if price is None and suggestion.gift_item is not None:
        price = suggestion.gift_item.price_eur
    return gift_needs_approval(
        price_eur=price if price is not None else Decimal(0),
        compliance_review=suggestion.contact.compliance_review,
        threshold_eur=(configuration or ScanConfiguration.current()).approval_threshold_eur,
    )


@transaction.atomic
def suggestion_confirm(*, suggestion: Suggestion, by: User) -> Suggestion:
    """ "Yes, let's do it": to do, or to the team lead's approval queue first."""
    locked = _suggestion_locked(suggestion)
    if suggestion_needs_approval(suggestion=locked):
        _refuse_unless(locked, Suggestion.Status.AWAITING_APPROVAL)
        locked.needs_approval = True
        return _suggestion_move(
            locked,
            to_status=Suggestion.Status.AWAITING_APPROVAL,
            by=by,
            fields=["needs_approval"],
        )
    _refuse_unless(locked, Suggestion.Status.CONFIRMED)
    return _suggestion_move(locked, to_status=Suggestion.Status.CONFIRMED, by=by)


@transaction.atomic
def suggestion_dismiss(
    *, suggestion: Suggestion, by: User, reason: str, reason_text: str = ""
) -> Suggestion:
    """Not this one, and why. The unique key keeps it from ever coming back."""
    reason_text = reason_text.strip()
    if reason not in Suggestion.DismissReason.values:
        raise SuggestionTransitionError(_("Choose why you dismiss it."), code="reason")
    if reason == Suggestion.DismissReason.OTHER and not reason_text:
        raise SuggestionTransitionError(
            _("Say in a few words why you dismiss it."), code="reason_text"
        )
    locked = _suggestion_locked(suggestion)
    _refuse_unless(locked, Suggestion.Status.DISMISSED)
    locked.reason = reason
    locked.reason_text = reason_text[:500]
    _suggestion_move(
        locked,
        to_status=Suggestion.Status.DISMISSED,
        by=by,
        reason=reason,
        reason_text=locked.reason_text,
        fields=["reason", "reason_text"],
    )
    contact_rescan_on_commit(contact_id=locked.contact_id)
    return locked


@transaction.atomic
def suggestion_snooze(*, suggestion: Suggestion, by: User, until: date) -> Suggestion:
    """Not now: the scan brings it back (as new) on `until`."""
    today = timezone.localdate()
    if until <= today:
        raise SuggestionTransitionError(
            _("Choose a day after today to be reminded on."), code="until"
        )
    locked = _suggestion_locked(suggestion)
    _refuse_unless(locked, Suggestion.Status.SNOOZED)
    if until > locked.expires_on:
        raise SuggestionTransitionError(
            _("After %(date)s this gesture no longer makes sense; choose an earlier day.")
            % {"date": formats.date_format(locked.expires_on, "SHORT_DATE_FORMAT")},
            code="until",
        )
    locked.snoozed_until = until
    return _suggestion_move(
        locked, to_status=Suggestion.Status.SNOOZED, by=by, fields=["snoozed_until"]
    )


def _refuse_gesture_input(*, day: date, value_eur: Decimal | None) -> None:
    if day > timezone.localdate():
        raise SuggestionTransitionError(
            _("A gesture is recorded once it is made: the date cannot be in the future."),
            code="date",
        )
    if value_eur is not None and value_eur < 0:
        raise SuggestionTransitionError(_("The value cannot be negative."), code="value_eur")


@transaction.atomic
def suggestion_mark_done(
    *,
    suggestion: Suggestion,
    by: User,
    date: date,
    value_eur: Decimal | None = None,
    note: str = "",
) -> Gesture:
    """Record the gesture that was made. A new note or call may be marked done at once; a
    gift is confirmed first (and approved when it needs approval)."""
    _refuse_gesture_input(day=date, value_eur=value_eur)
    locked = _suggestion_locked(suggestion)
    if locked.status == Suggestion.Status.PENDING and locked.kind == Suggestion.Kind.GIFT:
        raise SuggestionTransitionError(
            _("Confirm the gift first; it may need your team lead's approval."), code="transition"
        )
    _refuse_unless(locked, Suggestion.Status.DONE)
    if value_eur is None and locked.kind == Suggestion.Kind.GIFT:
        value_eur = locked.price_eur
    gesture = Gesture(
        contact=locked.contact,
        kind=locked.kind,
        date=date,
        gift_item=locked.gift_item if locked.kind == Suggestion.Kind.GIFT else None,
        value_eur=value_eur,
        note=note.strip(),
        # The draft as the account manager left it is the card's final text.
        card_text=locked.draft_or_none or "",
        draft_variant=locked.draft_variant if locked.draft_or_none else "",
        by=by,
        suggestion=locked,
    )
    gesture.full_clean()
    gesture.save()
    contact_touch(contact_id=gesture.contact_id, on=gesture.date)
    _suggestion_move(locked, to_status=Suggestion.Status.DONE, by=by)
    contact_rescan_on_commit(contact_id=locked.contact_id)
    return gesture


@transaction.atomic
def suggestion_draft_edit(*, suggestion: Suggestion, by: User, text: str) -> Suggestion:
    """The account manager's own wording of a note's or gift card's draft, while the
    suggestion is open. relcrm never sends it: it is printed or copied by hand."""
    text = text.strip().replace("\r\n", "\n")
    locked = _suggestion_locked(suggestion)
    if locked.kind == Suggestion.Kind.CALL:
        raise SuggestionTransitionError(_("A call has no draft."), code="draft")
    if not locked.is_open:
        raise SuggestionTransitionError(
            _("This suggestion is “%(current)s”; its draft can no longer be changed.")
            % {"current": locked.get_status_display()},
            code="draft",
        )
    if not text:
        raise SuggestionTransitionError(_("The draft cannot be empty."), code="draft")
    if len(text) > DRAFT_MAX_CHARS:
        raise SuggestionTransitionError(
            _("The draft can be at most %(max)d characters long.") % {"max": DRAFT_MAX_CHARS},
            code="draft",
        )
    locked.draft = text
    locked.save(update_fields=["draft", "updated_at"])
    return locked


# Kinds that may be logged without a suggestion; gifts go through suggestions (allowance,
# approval).
LOGGABLE_GESTURE_KINDS: tuple[str, ...] = (
    Gesture.Kind.NOTE,
    Gesture.Kind.CALL,
    Gesture.Kind.MEETING,
)


@transaction.atomic
def gesture_log(
    *,
    contact: Contact,
    by: User,
    kind: str,
    date: date,
    value_eur: Decimal | None = None,
    note: str = "",
) -> Gesture:
    """A note, call or meeting that happened without a suggestion."""
    if kind not in LOGGABLE_GESTURE_KINDS:
        raise SuggestionTransitionError(
            _("Only a note, a call or a meeting can be logged directly."), code="kind"
        )
    _refuse_gesture_input(day=date, value_eur=value_eur)
    gesture = Gesture(
        contact=contact, kind=kind, date=date, value_eur=value_eur, note=note.strip(), by=by
    )
    gesture.full_clean()
    gesture.save()
    contact_touch(contact_id=contact.pk, on=gesture.date)
    contact_rescan_on_commit(contact_id=contact.pk)
    return gesture


@transaction.atomic
def suggestion_approve(*, suggestion: Suggestion, by: User) -> Suggestion:
    locked = _suggestion_locked(suggestion)
    _refuse_unless(locked, Suggestion.Status.APPROVED)
    return _suggestion_move(locked, to_status=Suggestion.Status.APPROVED, by=by)


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, by: User, reason_text: str) -> Suggestion:
    """The team lead says no, and why (the account manager reads it)."""
    reason_text = reason_text.strip()
    if not reason_text:
        raise SuggestionTransitionError(
            _("Say in a few words why you reject it."), code="reason_text"
        )
    locked = _suggestion_locked(suggestion)
    _refuse_unless(locked, Suggestion.Status.REJECTED)
    locked.reason_text = reason_text[:500]
    rejected = _suggestion_move(
        locked,
        to_status=Suggestion.Status.REJECTED,
        by=by,
        reason_text=locked.reason_text,
        fields=["reason_text"],
    )
    _fallback_note_create(rejected=rejected)
    # The gift no longer takes the contact's room for an open suggestion.
    contact_rescan_on_commit(contact_id=locked.contact_id)
    return rejected


def _fallback_note_create(*, rejected: Suggestion) -> Suggestion | None:
    """A rejected gift's occasion still deserves a gesture: a personal note for the same
    day, with the gift's card text as its draft. None when the moment has passed."""
    today = timezone.localdate()
    if rejected.kind != Suggestion.Kind.GIFT or rejected.expires_on < today:
        return None
    explanation = replace(
        rejected.explanation_data(),
        kind=Suggestion.Kind.NOTE,
        gift=None,
        fallback_reason="gift_rejected",
    )
    note = Suggestion(
        contact=rejected.contact,
        kind=Suggestion.Kind.NOTE,
        occasion=rejected.occasion,
        source_fact_id=rejected.source_fact_id,
        source_ref=rejected.source_ref,
        event_date=rejected.event_date,
        due_date=min(max(rejected.event_date, today), rejected.expires_on),
        expires_on=rejected.expires_on,
        score=rejected.score,
        explanation=explanation.as_json(),
        observation_ids=rejected.observation_ids,
        draft=rejected.draft,
        draft_variant=rejected.draft_variant,
        replaces=rejected,
        revision=rejected.revision + 1,
    )
    note.save()
    return note


# -- Undo: a decision taken by mistake is taken back, and that is recorded too --------------

# Stored as SuggestionTransition.reason for a decision taken back.
UNDO_REASON = "undo"


@transaction.atomic
def suggestion_undo(*, suggestion: Suggestion, by: User) -> Suggestion:
    """Take back `by`'s latest decision on the suggestion within Suggestion.UNDO_WINDOW: the status
    it had before, and what the decision wrote (a dismissal's reason, a snooze's date, the
    gesture of "done") removed. The undo is itself a recorded transition."""
    locked = _suggestion_locked(suggestion)
    now = timezone.now()
    latest = list(locked.transitions.order_by("-at", "-pk")[:2])
    last = latest[0] if latest else None
    if (
        last is None
        or last.reason == UNDO_REASON
        or last.to_status != locked.status
        or last.by_id != by.pk
        or not locked.undoable_by(by, now=now)
    ):
        raise SuggestionTransitionError(_("This decision can no longer be undone."), code="undo")
    fields = ["status", "decided_by", "decided_at", "updated_at"]
    if locked.status == Suggestion.Status.DONE:
        gesture = Gesture.objects.filter(suggestion=locked).select_related("outcome").first()
        if gesture is not None:
            if hasattr(gesture, "outcome"):
                raise SuggestionTransitionError(
                    _("What came of this gesture is already recorded; it stays done."),
                    code="undo",
                )
            gesture.delete()
            contacts_last_touch_recompute(contacts=Contact.objects.filter(pk=locked.contact_id))
            contact_rescan_on_commit(contact_id=locked.contact_id)
    elif locked.status == Suggestion.Status.DISMISSED:
        locked.reason, locked.reason_text = "", ""
        fields += ["reason", "reason_text"]
    elif locked.status == Suggestion.Status.SNOOZED:
        locked.snoozed_until = None
        fields.append("snoozed_until")
    from_status, to_status = locked.status, last.from_status
    earlier = latest[1] if len(latest) > 1 else None
    locked.status = to_status
    locked.decided_by_id = earlier.by_id if earlier is not None else None
    locked.decided_at = earlier.at if earlier is not None else None
    locked.save(update_fields=fields)
    SuggestionTransition.objects.create(
        suggestion=locked,
        from_status=from_status,
        to_status=to_status,
        by=by,
        at=now,
        reason=UNDO_REASON,
    )
    return locked


@transaction.atomic
def suggestion_swap_gift(*, suggestion: Suggestion, by: User, gift_item: GiftItem) -> Suggestion:
    """Another gift for the same occasion, eligible by the scan's own rules.

    A confirmed gift whose new item needs approval (and the old one did not) goes back to
    "new": confirming it again sends it to the team lead, so nobody's approval queue fills
    up without an explicit confirmation. Otherwise the status stays.
    """
    locked = _suggestion_locked(suggestion)
    if locked.kind != Suggestion.Kind.GIFT or locked.status not in (
        Suggestion.Status.PENDING,
        Suggestion.Status.CONFIRMED,
    ):
        raise SuggestionTransitionError(
            _("Only a new or confirmed gift can be swapped."), code="transition"
        )
    if gift_item.pk == locked.gift_item_id:
        raise SuggestionTransitionError(_("This is already the suggested gift."), code="gift_item")
    today = timezone.localdate()
    settings = loaders.scan_settings()
    inputs = loaders.contact_inputs([locked.contact_id], today=today).get(locked.contact_id)
    item = loaders.catalog_item(gift_item.pk)
    if inputs is None or item is None:
        raise SuggestionTransitionError(_("This gift cannot be chosen."), code="gift_item")
    contact = inputs.contact
    problem = gift_ineligibility(
        item,
        contact=contact,
        gestures=inputs.gestures,
        settings=settings,
        occasion=locked.occasion,
        event_date=locked.event_date,
        today=today,
    )
    if problem is not None:
        raise SuggestionTransitionError(
            _("%(gift)s cannot be given here: %(reason)s.")
            % {"gift": gift_item.name_in(by.language), "reason": INELIGIBILITY_TEXT[problem]},
            code="gift_item",
        )

    # The gift is based on the occasion's own observation, then those of the interests.
    own = [f.observation_id for f in contact.facts if f.id == locked.source_ref]
    proposal = gift_proposal(
        item,
        contact=contact,
        gestures=inputs.gestures,
        settings=settings,
        event_date=locked.event_date,
        today=today,
        own_observation_ids=own or [int(i) for i in locked.observation_ids[:1]],
        interest_names=loaders.interest_names(),
    )
    explanation = replace(
        locked.explanation_data(),
        kind=Suggestion.Kind.GIFT,
        quotes=proposal.quotes,
        fallback_reason=None,
        gift=proposal.reason,
    )
    old_sku = locked.gift_item.sku if locked.gift_item else ""
    locked.gift_item = gift_item
    locked.price_eur = item.price_eur
    locked.needs_approval = proposal.needs_approval
    locked.explanation = explanation.as_json()
    locked.observation_ids = list(proposal.observation_ids)
    locked.due_date = proposal.due_date
    to_status = locked.status
    if to_status == Suggestion.Status.CONFIRMED and locked.needs_approval:
        to_status = Suggestion.Status.PENDING
        _refuse_unless(locked, to_status)
    return _suggestion_move(
        locked,
        to_status=to_status,
        by=by,
        reason=SWAP_REASON,
        reason_text=f"{old_sku} → {item.sku}",
        fields=[
            "gift_item",
            "price_eur",
            "needs_approval",
            "explanation",
            "observation_ids",
            "due_date",
        ],
    )


# Why a gift cannot be chosen, for people (gestures.rules.gifts.Ineligibility).
INELIGIBILITY_TEXT: dict[str, str | Promise] = {
    "do_not_gift": _("this contact receives no gifts"),
    "no_gifts_constraint": _("this contact does not accept gifts"),
    "organization_no_gifts": _("the organization does not accept gifts"),
    "public_sector": _("gifts to the public sector are not allowed"),
    "inactive": _("it is no longer in the catalog"),
    "out_of_stock": _("it is out of stock"),
    "wrong_occasion": _("it does not suit the occasion"),
    "too_late": _("it would not arrive in time"),
    "no_matching_interest": _("it matches none of the recorded interests"),
    "disliked": _("it is something the contact dislikes"),
    "care_period": _("nothing celebratory or alcoholic during a period of care"),
    "unsuitable_symbolism": _("what it stands for does not suit this occasion"),
    "felt_wrong": _("it felt wrong when it was given to this contact"),
    "given_before": _("it was given to this contact before"),
    "over_allowance": _("it exceeds the remaining annual allowance"),
    "contains_alcohol": _("it contains alcohol"),
    "dietary": _("it does not fit the dietary constraints"),
}


def suggestions_settle_for_merge(*, keep: Contact, other: Contact) -> None:
    """Before `other` is merged into `keep`: the same occasion of the same day on both (a
    call without an occasion) cannot be stored twice, so the one someone acted on stays,
    else the kept contact's; the kept contact is rescanned after the commit."""
    kept = {
        (s.occasion, s.source_ref, s.event_date, s.revision): s
        for s in Suggestion.objects.filter(contact=keep).select_related("gesture")
    }
    for suggestion in Suggestion.objects.filter(contact=other).select_related("gesture"):
        clash = kept.get(
            (suggestion.occasion, suggestion.source_ref, suggestion.event_date, suggestion.revision)
        )
        if clash is None:
            continue
        acted = hasattr(suggestion, "gesture") and not hasattr(clash, "gesture")
        (clash if acted else suggestion).delete()
    contact_rescan_on_commit(contact_id=keep.pk)
