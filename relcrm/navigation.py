"""The main navigation, by role: declared once here, rendered by `_base.html`."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from contacts.models import User

EVERYONE = frozenset(User.Role)
LEADS = frozenset({User.Role.TEAM_LEAD, User.Role.ADMIN})
ADMINS = frozenset({User.Role.ADMIN})


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    # Other URL names under which this item shows as the current one.
    also_active_for: tuple[str, ...] = ()


NAVIGATION: tuple[NavItem, ...] = (
    NavItem(_("Home"), "home", EVERYONE),
    NavItem(_("My gestures"), "dashboard", EVERYONE),
    NavItem(_("Contacts"), "contact_list", EVERYONE, ("contact_detail", "contact_edit")),
    NavItem(_("Log observation"), "observation_new", EVERYONE, ("observation_edit",)),
    NavItem(_("Gift catalog"), "catalog", EVERYONE, ("catalog_item",)),
    # Observations due for another look (privacy.retention), with a count.
    NavItem(_("Review"), "review", EVERYONE),
    # The team lead's overview; the member list (contacts' `team` page) is reached from it.
    NavItem(_("Team"), "team_overview", LEADS, ("team",)),
    NavItem(_("Gift ledger"), "gift_ledger", LEADS),
    NavItem(_("Administration"), "admin:index", ADMINS),
)


def user_role(user: User) -> str:
    return User.Role.ADMIN if user.is_superuser else user.role


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    role = user_role(user)
    match = request.resolver_match
    current = match.view_name if match else ""
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "url_name": item.url_name,
            "active": current == item.url_name or current in item.also_active_for,
        }
        for item in NAVIGATION
        if role in item.roles
    ]
    return {"nav_items": items}
