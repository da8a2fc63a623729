"""Contact list, detail, create, edit and archive: behaviour, permissions, query counts."""

from datetime import date

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.services import observation_create
from tests.conftest import TICKING_FROM
from tests.factories import ContactFactory, OrganizationFactory, gesture_recorded


@pytest.fixture
def annas_contact(manager):
    return ContactFactory(
        first_name="Julia",
        last_name="Schneider",
        owner=manager,
        email="julia@hanse.example",
        organization=OrganizationFactory(name="Hanseatic Logistics"),
    )


@pytest.fixture
def bens_contact(colleague):
    return ContactFactory(first_name="Markus", last_name="Fischer", owner=colleague)


@pytest.fixture
def foreign_contact(outsider):
    return ContactFactory(first_name="Otto", last_name="Fremd", owner=outsider)


def names(response):
    return [c.full_name for c in response.context["page_obj"]]


def test_the_list_shows_the_whole_team_but_not_other_teams(
    client, manager, annas_contact, bens_contact, foreign_contact
):
    client.force_login(manager)

    response = client.get(reverse("contact_list"))

    assert names(response) == ["Markus Fischer", "Julia Schneider"]


@pytest.mark.parametrize("q", ["julia", "schneider", "hanseatic", "julia@hanse", "Julia Schn"])
def test_search_finds_by_name_organization_and_email(
    client, manager, annas_contact, bens_contact, q
):
    client.force_login(manager)

    assert names(client.get(reverse("contact_list"), {"q": q})) == ["Julia Schneider"]


def test_filters_by_owner_tier_organization_and_interest(
    client, manager, colleague, annas_contact, bens_contact
):
    annas_contact.tier = "A"
    annas_contact.save()
    observation_create(
        contact=bens_contact, author=colleague, text="Loves hiking.", noted_on=date(2026, 11, 1)
    )
    client.force_login(manager)
    url = reverse("contact_list")

    assert names(client.get(url, {"owner": colleague.pk})) == ["Markus Fischer"]
    assert names(client.get(url, {"tier": "A"})) == ["Julia Schneider"]
    assert names(client.get(url, {"organization": annas_contact.organization_id})) == [
        "Julia Schneider"
    ]
    assert names(client.get(url, {"interest": "hiking"})) == ["Markus Fischer"]


def test_archived_contacts_are_listed_only_on_request(client, manager, annas_contact, bens_contact):
    annas_contact.archived = True
    annas_contact.save()
    client.force_login(manager)

    assert names(client.get(reverse("contact_list"))) == ["Markus Fischer"]
    assert names(client.get(reverse("contact_list"), {"archived": "1"})) == ["Julia Schneider"]


def test_an_htmx_request_gets_the_results_partial_only(client, manager, annas_contact):
    client.force_login(manager)

    response = client.get(reverse("contact_list"), {"q": "jul"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="contact-results">')
    assert "<html" not in body
    assert "Julia Schneider" in body


def test_the_list_is_paginated_and_its_query_count_does_not_grow(
    client, manager, django_assert_max_num_queries
):
    ContactFactory.create_batch(3, owner=manager)
    client.force_login(manager)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("contact_list"))
    ContactFactory.create_batch(40, owner=manager)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("contact_list"))

    assert len(response.context["page_obj"]) == 25
    assert response.context["page_obj"].paginator.count == 43


def test_the_detail_page_groups_facts_and_shows_the_timeline(client, manager, annas_contact):
    observation_create(
        contact=annas_contact,
        author=manager,
        text=(
            "Her birthday is March 3rd. Loves hiking, doesn't drink alcohol. "
            "Her father passed away."
        ),
        noted_on=date(2026, 11, 1),
    )
    client.force_login(manager)

    response = client.get(reverse("contact_detail", args=[annas_contact.pk]))

    groups = response.context["profile"].facts_by_group
    assert [f.kind for f in groups["dates"]] == ["birthday"]
    assert [f.tag for f in groups["interests"]] == ["hiking"]
    assert [f.tag for f in groups["constraints"]] == ["no_alcohol"]
    assert [f.event for f in groups["life_events"]] == ["bereavement"]
    body = response.content.decode()
    assert "Birthday: 3 March" in body
    assert "noted by Anna Example" in body
    assert response.context["profile"].last_touch == date(2026, 11, 1)


def test_an_observation_with_a_script_tag_is_shown_as_text(client, manager, annas_contact):
    observation_create(
        contact=annas_contact,
        author=manager,
        text="<script>alert('x')</script> likes golf",
        noted_on=date(2026, 11, 1),
    )
    client.force_login(manager)

    body = client.get(reverse("contact_detail", args=[annas_contact.pk])).content.decode()

    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body


def test_another_teams_contact_is_a_404_everywhere(client, manager, foreign_contact):
    client.force_login(manager)

    for name in ("contact_detail", "contact_edit"):
        assert client.get(reverse(name, args=[foreign_contact.pk])).status_code == 404
    assert client.post(reverse("contact_archive", args=[foreign_contact.pk])).status_code == 404


def test_account_managers_may_not_edit_a_colleagues_contact(client, manager, bens_contact):
    client.force_login(manager)

    assert client.get(reverse("contact_detail", args=[bens_contact.pk])).status_code == 200
    assert client.get(reverse("contact_edit", args=[bens_contact.pk])).status_code == 404


def test_a_team_lead_edits_and_reassigns_any_team_contact(
    client, lead, manager, colleague, bens_contact
):
    client.force_login(lead)
    data = {
        "first_name": "Markus",
        "last_name": "Fischer",
        "language": "de",
        "tier": "A",
        "owner": manager.pk,
    }

    response = client.post(reverse("contact_edit", args=[bens_contact.pk]), data)

    assert response.status_code == 302
    bens_contact.refresh_from_db()
    assert (bens_contact.owner, bens_contact.tier) == (manager, "A")


def test_creating_a_contact_makes_the_account_manager_its_owner(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("contact_create"),
        {"first_name": "Neu", "last_name": "Kontakt", "language": "de", "tier": "B"},
    )

    contact = Contact.objects.get(first_name="Neu")
    assert response["Location"] == reverse("contact_detail", args=[contact.pk])
    assert (contact.owner, contact.team) == (manager, manager.team)


def test_the_contact_form_keeps_the_form_of_address(client, manager):
    client.force_login(manager)
    form = {"first_name": "Nora", "last_name": "Berg", "language": "de", "tier": "B"}

    client.post(reverse("contact_create"), {**form, "address": "informal", "salutation": "Frau"})
    contact = Contact.objects.get(first_name="Nora")
    assert (contact.address, contact.salutation) == ("informal", "Frau")
    # Posted without the field (an older page), the setting stays as it was.
    client.post(reverse("contact_edit", args=[contact.pk]), {**form, "salutation": "Frau"})
    contact.refresh_from_db()
    assert contact.address == "informal"
    page = client.get(reverse("contact_detail", args=[contact.pk])).content.decode()
    assert "Informal (du; first name) · Frau" in page
    refused = client.post(reverse("contact_edit", args=[contact.pk]), {**form, "address": "x"})
    assert refused.status_code == 200
    contact.refresh_from_db()
    assert contact.address == "informal"


def test_an_invalid_contact_form_says_what_is_wrong(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("contact_create"),
        {
            "first_name": "",
            "last_name": "X",
            "email": "not-an-email",
            "tier": "Z",
            "language": "de",
        },
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert "tier" in response.context["form"].errors
    assert not Contact.objects.exists()


def test_an_owner_archives_and_restores(client, manager, annas_contact):
    client.force_login(manager)

    client.post(reverse("contact_archive", args=[annas_contact.pk]), {"archived": "1"})
    annas_contact.refresh_from_db()
    assert annas_contact.archived
    client.post(reverse("contact_archive", args=[annas_contact.pk]), {"archived": "0"})
    annas_contact.refresh_from_db()
    assert not annas_contact.archived


def test_archive_is_post_only(client, manager, annas_contact):
    client.force_login(manager)

    assert client.get(reverse("contact_archive", args=[annas_contact.pk])).status_code == 405


def test_contacts_keep_a_change_history(manager, annas_contact):
    annas_contact.title = "CFO"
    annas_contact.save()

    assert [h.title for h in annas_contact.history.order_by("history_id")] == ["", "CFO"]


def test_the_detail_page_query_count_does_not_grow_with_observations(
    client, manager, annas_contact, django_assert_max_num_queries
):
    def log(count):
        for n in range(count):
            observation_create(
                contact=annas_contact,
                author=manager,
                noted_on=date(2026, 10, 1 + n),
                text=f"Loves hiking and golf. Meeting number {n}.",
            )

    log(2)
    client.force_login(manager)
    url = reverse("contact_detail", args=[annas_contact.pk])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    log(10)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert len(response.context["profile"].observations) == 12


def test_the_owner_logs_a_call_from_the_contact_page(client, manager, annas_contact, ticking_clock):
    client.force_login(manager)
    page = client.get(reverse("contact_detail", args=[annas_contact.pk])).content.decode()
    log_url = reverse("gesture_log", args=[annas_contact.pk])
    assert f'action="{log_url}"' in page

    response = client.post(log_url, {"kind": "call", "date": TICKING_FROM.date().isoformat()})

    assert response.status_code == 302
    assert annas_contact.gestures.get().kind == "call"


def test_a_colleague_sees_the_contact_but_cannot_log_for_it(client, colleague, annas_contact):
    client.force_login(colleague)

    page = client.get(reverse("contact_detail", args=[annas_contact.pk])).content.decode()

    assert reverse("gesture_log", args=[annas_contact.pk]) not in page


def test_gestures_are_listed_and_count_as_the_last_touch(client, manager, annas_contact):
    from decimal import Decimal

    gesture_recorded(
        contact=annas_contact,
        kind="gift",
        date=date(2026, 11, 20),
        value_eur=Decimal("19.90"),
        note="Hiking socks with a card",
        by=manager,
    )
    client.force_login(manager)

    page = client.get(reverse("contact_detail", args=[annas_contact.pk])).content.decode()

    assert "Hiking socks with a card" in page
    assert "€19.90" in page
    assert "20 November 2026" in page.split("Last touch")[1].split("</dd>")[0]
