"""The gestures part of a contact's page: what was done and what came of it, and the kinds
that can be logged.

The contact page belongs to contacts, which knows nothing of gestures; its template loads
these tags instead.
"""

from __future__ import annotations

from django import template
from django.utils.functional import Promise

from contacts.models import Contact, User

from ..forms import GESTURE_LOG_KINDS
from ..models import Gesture, GestureOutcome
from ..outcomes import may_record_outcome

register = template.Library()


@register.simple_tag
def contact_gestures(contact: Contact) -> list[Gesture]:
    """The contact's gestures, newest first."""
    return list(
        Gesture.objects.filter(contact=contact)
        .select_related("gift_item", "by", "contact", "outcome__recorded_by")
        .order_by("-date", "-pk")
    )


@register.simple_tag
def gesture_log_kinds() -> list[tuple[str, str | Promise]]:
    """What can be logged without a suggestion: a note, a call, a meeting."""
    return list(GESTURE_LOG_KINDS)


@register.simple_tag
def outcome_results() -> list[tuple[str, str | Promise]]:
    """What can come of a gesture, in the order the buttons show them."""
    return list(GestureOutcome.Result.choices)


@register.simple_tag
def outcome_editable(gesture: Gesture, user: User) -> bool:
    """Whether `user` may record what came of `gesture` (its owner, the lead, admins)."""
    return may_record_outcome(user, gesture)
