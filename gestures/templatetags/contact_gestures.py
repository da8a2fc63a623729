"""The gestures part of a contact's page: its timeline (what is coming up, and everything
noted, suggested and done), what came of each gesture, and the kinds that can be logged.

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
from ..timeline import ContactTimeline
from ..timeline import contact_timeline as timeline_for

register = template.Library()


@register.simple_tag
def contact_timeline(contact: Contact, user: User, language: str) -> ContactTimeline:
    """What is coming up for the contact and everything noted, suggested and done for them,
    newest first, as `user` may see it."""
    return timeline_for(contact=contact, user=user, language=language)


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
