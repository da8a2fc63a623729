"""The one place that answers "may this user see / change this object?".

Every view asks here (directly or through `scope_to_user`), so a rule changes in one
place. Objects speak for themselves through two attributes: `team_id` (whose team it
belongs to) and, where there is one, `owner_id` (the account manager who looks after it).
A Team is its own team. Objects a user may not see are a 404, not a 403: their existence
is not revealed.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from .models import Team, User

M = TypeVar("M", bound=Model)


def _team_id(obj: object) -> int | None:
    if isinstance(obj, Team):
        return obj.pk
    return getattr(obj, "team_id", None)


def may_view(user: User, obj: object) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_admin:
        return True
    team_id = _team_id(obj)
    return team_id is not None and team_id == user.team_id


def may_change(user: User, obj: object) -> bool:
    """Team leads change anything of their team; account managers what they own."""
    if not may_view(user, obj):
        return False
    if user.is_admin or user.is_team_lead:
        return True
    if isinstance(obj, Team):
        return False
    # A contact has an owner; an observation has an author instead.
    responsible_id = getattr(obj, "owner_id", None) or getattr(obj, "author_id", None)
    return responsible_id is not None and responsible_id == user.pk


def scope_to_user(queryset: QuerySet[M], user: User, *, team_field: str = "team") -> QuerySet[M]:
    """Narrow a queryset to what `user` may see: all for admins, else their team's."""
    if user.is_admin:
        return queryset
    if user.team_id is None:
        return queryset.none()
    lookup = "pk" if team_field == "id" else f"{team_field}_id"
    return queryset.filter(**{lookup: user.team_id})


def get_visible_or_404(queryset: QuerySet[M], user: User, **lookup: object) -> M:
    try:
        obj = queryset.get(**lookup)
    except ObjectDoesNotExist as missing:
        raise Http404 from missing
    if not may_view(user, obj):
        raise Http404
    return obj


def get_changeable_or_404(queryset: QuerySet[M], user: User, **lookup: object) -> M:
    obj = get_visible_or_404(queryset, user, **lookup)
    if not may_change(user, obj):
        raise Http404
    return obj


def may_see_sensitive(user: User, contact: object, *, author_id: int | None) -> bool:
    """Need-to-know for special-category (GDPR Art. 9) notes: the contact's owner, the
    note's author, team leads of the contact's team and admins see what it says; other
    colleagues of the team only that it exists."""
    if not may_view(user, contact):
        return False
    if user.is_admin or user.is_team_lead:
        return True
    return user.pk in (getattr(contact, "owner_id", None), author_id)
