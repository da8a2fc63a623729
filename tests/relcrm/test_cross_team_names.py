"""No page, partial, choice list, autocomplete or count names another team's organizations.

The walk is driven by the URLconf: every route outside the admin is requested by every
role of the team, as a page and as an HTMX request, with search parameters that would
find the other team's names. A route added later is walked too; one whose arguments the
walk cannot fill fails the first test.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from contacts.models import Contact
from tests.relcrm.app_walk import NOBODYS, THEIRS, route_kwargs, routes

pytestmark = pytest.mark.django_db

SEARCHES = {
    "q": "Zebrafirma",
    "contact_q": "Zebrafirma",
    "who": "Zebrafirma",
    "organization": "",  # filled with the other team's organization
}


def test_every_route_can_be_walked(team_world):
    unknown = [name for name, conv in routes() if route_kwargs(name, conv, team_world) is None]
    assert unknown == []


@pytest.mark.parametrize("role", ["manager", "lead"])
def test_no_page_or_partial_names_another_teams_organization(role, team_world, request, client):
    client.force_login(request.getfixturevalue(role))
    params = {**SEARCHES, "organization": str(team_world["theirs"].pk)}
    walked = 0
    for name, converters in routes():
        url = reverse(name, kwargs=route_kwargs(name, converters, team_world))
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


def test_another_teams_organization_cannot_be_chosen(team_world, manager, client):
    client.force_login(manager)
    page = client.get(reverse("contact_create")).content.decode()
    assert "Acme Home GmbH" in page
    response = client.post(
        reverse("contact_create"),
        {
            "first_name": "New",
            "last_name": "Person",
            "organization": team_world["theirs"].pk,
            "language": "en",
            "tier": "B",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Contact.objects.filter(first_name="New").exists()


def test_admins_and_shared_installations_see_every_organization(
    team_world, manager, admin_user, client
):
    client.force_login(admin_user)
    assert NOBODYS in client.get(reverse("contact_create")).content.decode()
    client.force_login(manager)
    assert NOBODYS not in client.get(reverse("contact_create")).content.decode()
    with override_settings(RELCRM_SHARED_ORGANIZATIONS=True):
        assert NOBODYS in client.get(reverse("contact_create")).content.decode()
