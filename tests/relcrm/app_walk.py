"""Walking the app's URLconf: every route outside the admin, with its arguments filled in from
one team's data, beside another team's (whose names must never show)."""

import datetime as dt

import time_machine
from django.urls import URLPattern, URLResolver, get_resolver

from api.services import api_token_create
from contacts.services import observation_create
from gestures.calendar import calendar_feed_create
from tests.factories import ContactFactory, OrganizationFactory, gesture_recorded
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

TODAY = dt.date(2026, 11, 23)
THEIRS = "Zebrafirma Rivalen AG"
NOBODYS = "Orphan Holding SE"


def routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            # The REST API authenticates by token and has its own walk: tests/api/.
            if entry.namespace in ("admin", "api"):
                continue
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, list(entry.pattern.converters)


def team_world_create(manager, lead, outsider):
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0), tick=False):
        ours = OrganizationFactory.create(name="Acme Home GmbH")
        theirs = OrganizationFactory.create(name=THEIRS)
        OrganizationFactory.create(name=NOBODYS)
        contact = ContactFactory.create(owner=manager, organization=ours)
        other = ContactFactory.create(owner=outsider, organization=theirs, first_name="Zora")
        observation = observation_create(
            contact=contact, author=manager, text="Loves hiking.", noted_on=TODAY
        )
        observation_create(contact=other, author=outsider, text="Loves hiking.", noted_on=TODAY)
        item = GiftItemFactory.create()
        suggestion = GiftSuggestionFactory.create(contact=contact, gift_item=item)
        SuggestionFactory.create(contact=other)
        gesture = gesture_recorded(contact=contact, kind="note", date=TODAY, by=manager)
        feed = calendar_feed_create(user=manager)
        api_token, _raw = api_token_create(user=manager, name="walk")
    return {
        "api_token": api_token,
        "contact": contact,
        "observation": observation,
        "suggestion": suggestion,
        "gesture": gesture,
        "item": item,
        "feed": feed,
        "theirs": theirs,
    }


def route_kwargs(name, converters, world):
    if not converters:
        return {}
    if converters == ["token"]:
        return {"token": world["feed"].token}
    if name == "suggestion_action_form":
        return {"pk": world["suggestion"].pk, "action": "dismiss"}
    if converters != ["pk"]:
        return None
    for prefix, key in (
        ("contact_", "contact"),
        ("gesture_", "contact"),
        ("observation_", "observation"),
        ("suggestion_", "suggestion"),
        ("outcome_", "gesture"),
        ("team_approval_", "suggestion"),
        ("catalog_", "item"),
        ("api_token_", "api_token"),
    ):
        if name.startswith(prefix):
            return {"pk": world[key].pk}
    return None
