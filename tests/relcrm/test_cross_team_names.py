"""No page, partial, choice list, autocomplete or count names another team's organizations.

The walk is driven by the URLconf: every route outside the admin is requested by every
role of the team, as a page and as an HTMX request, with search parameters that would
find the other team's names. A route added later is walked too; one whose arguments the
walk cannot fill fails the first test.
"""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from contacts.models import Contact
from contacts.services import observation_create
from gestures.calendar import calendar_feed_create
from tests.factories import ContactFactory, OrganizationFactory
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
THEIRS = "Zebrafirma Rivalen AG"
NOBODYS = "Orphan Holding SE"
SEARCHES = {
    "q": "Zebrafirma",
    "contact_q": "Zebrafirma",
    "who": "Zebrafirma",
    "organization": "",  # filled with the other team's organization
}


def _routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, list(entry.pattern.converters)


@pytest.fixture
def world(manager, lead, outsider):
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
        feed = calendar_feed_create(user=manager)
    return {
        "contact": contact,
        "observation": observation,
        "suggestion": suggestion,
        "item": item,
        "feed": feed,
        "theirs": theirs,
    }


def _kwargs(name, converters, world):
    if not converters:
        return {}
    if converters == ["token"]:
        return {"token": world["feed"].token}
    if converters != ["pk"]:
        return None
    for prefix, key in (
        ("contact_", "contact"),
        ("gesture_", "contact"),
        ("observation_", "observation"),
        ("suggestion_", "suggestion"),
        ("team_approval_", "suggestion"),
        ("catalog_", "item"),
    ):
        if name.startswith(prefix):
            return {"pk": world[key].pk}
    return None


def test_every_route_can_be_walked(world):
    unknown = [name for name, conv in _routes() if _kwargs(name, conv, world) is None]
    assert unknown == []


@pytest.mark.parametrize("role", ["manager", "lead"])
def test_no_page_or_partial_names_another_teams_organization(role, world, request, client):
    client.force_login(request.getfixturevalue(role))
    params = {**SEARCHES, "organization": str(world["theirs"].pk)}
    walked = 0
    for name, converters in _routes():
        url = reverse(name, kwargs=_kwargs(name, converters, world))
        for headers in ({}, {"HX-Request": "true"}):
            for query in ({}, params):
                response = client.get(url, query, headers=headers)
                # /healthz says 503 without a worker heartbeat: a status, not an error.
                assert response.status_code < 500 or name == "healthz", (url, query, headers)
                body = b"".join(response) if response.streaming else response.content
                text = body.decode("utf-8", "replace")
                assert THEIRS not in text, (url, query, headers)
                assert NOBODYS not in text, (url, query, headers)
                walked += 1
        # The forms' POSTs re-render with the choices: the other team's must not be there.
        response = client.post(url, params, headers={"HX-Request": "true"})
        assert response.status_code < 500 or name == "healthz", url
        assert THEIRS not in response.content.decode("utf-8", "replace"), url
    assert walked > 100


def test_another_teams_organization_cannot_be_chosen(world, manager, client):
    client.force_login(manager)
    page = client.get(reverse("contact_create")).content.decode()
    assert "Acme Home GmbH" in page
    response = client.post(
        reverse("contact_create"),
        {
            "first_name": "New",
            "last_name": "Person",
            "organization": world["theirs"].pk,
            "language": "en",
            "tier": "B",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Contact.objects.filter(first_name="New").exists()


def test_admins_and_shared_installations_see_every_organization(world, manager, admin_user, client):
    client.force_login(admin_user)
    assert NOBODYS in client.get(reverse("contact_create")).content.decode()
    client.force_login(manager)
    assert NOBODYS not in client.get(reverse("contact_create")).content.decode()
    with override_settings(RELCRM_SHARED_ORGANIZATIONS=True):
        assert NOBODYS in client.get(reverse("contact_create")).content.decode()
