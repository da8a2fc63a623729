"""The staff catalog page: filters, which contacts an item suits, HTMX partial, languages,
query count, and that bad input or missing images never break it."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contacts.models import Fact
from gestures.models import GiftItem
from tests.factories import ContactFactory, observation_recorded
from tests.gestures.factories import GiftItemFactory

pytestmark = pytest.mark.django_db

URL = reverse("catalog")


def interested(contact, *slugs):
    observation = observation_recorded(
        contact=contact, author=contact.owner, text="Notes.", noted_on=date(2026, 11, 1)
    )
    for slug in slugs:
        Fact.objects.create(observation=observation, contact=contact, kind="interest", tag=slug)
    return contact


@pytest.fixture
def catalog():
    return {
        "wine": GiftItemFactory.create(
            sku="WINE",
            name="Mosel Riesling",
            name_de="Mosel-Riesling",
            tags=["wine"],
            occasions=["birthday", "anniversary"],
            contains_alcohol=True,
            food=True,
            price_eur=Decimal("38.00"),
        ),
        "tea": GiftItemFactory.create(
            sku="TEA",
            name="Tea tasting box",
            name_de="Tee-Probierbox",
            tags=["tea"],
            occasions=["any"],
            food=True,
            dietary=["vegan", "gluten_free"],
            price_eur=Decimal("24.00"),
        ),
        "golf": GiftItemFactory.create(
            sku="GOLF",
            name="Golf balls",
            tags=["golf"],
            occasions=["milestone"],
            price_eur=Decimal("1250.50"),
        ),
        "retired": GiftItemFactory.create(
            sku="OLD", name="Retired pen", tags=["wine"], active=False
        ),
    }


def names(response):
    return [card.name for card in response.context["cards"]]


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["manager", "lead", "admin_user"])
def test_staff_see_the_active_items_of_the_catalog(client, request, catalog, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(URL)

    assert response.status_code == 200
    assert names(response) == ["Golf balls", "Mosel Riesling", "Tea tasting box"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"interest": "wine"}, ["Mosel Riesling"]),
        ({"occasion": "birthday"}, ["Mosel Riesling", "Tea tasting box"]),
        ({"occasion": "milestone"}, ["Golf balls", "Tea tasting box"]),
        ({"price": "up_to_25"}, ["Tea tasting box"]),
        ({"price": "25_to_50"}, ["Mosel Riesling"]),
        ({"price": "over_50"}, ["Golf balls"]),
        ({"dietary": ["vegan"]}, ["Tea tasting box"]),
        ({"dietary": ["vegan", "halal"]}, []),
        (
            {"interest": "tea", "occasion": "birthday", "dietary": "gluten_free"},
            ["Tea tasting box"],
        ),
    ],
)
def test_filters_narrow_the_catalog(client, manager, catalog, query, expected):
    client.force_login(manager)

    assert names(client.get(URL, query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"interest": "no-such-interest"},
        {"occasion": "christening"},
        {"price": "free"},
        {"dietary": "carnivore"},
        {"page": "999"},
        {"page": "x"},
    ],
)
def test_unknown_filter_values_are_ignored_not_an_error(client, manager, catalog, query):
    client.force_login(manager)

    response = client.get(URL, query)

    assert response.status_code == 200
    assert len(names(response)) == 3


def test_each_item_names_the_managers_own_contacts_with_a_matching_interest(
    client, manager, colleague, outsider, catalog
):
    interested(ContactFactory(first_name="Julia", last_name="Schneider", owner=manager), "wine")
    interested(ContactFactory(first_name="Markus", last_name="Fischer", owner=colleague), "wine")
    interested(ContactFactory(first_name="Otto", last_name="Fremd", owner=outsider), "wine")
    interested(
        ContactFactory(first_name="Alt", last_name="Archiv", owner=manager, archived=True), "wine"
    )
    interested(ContactFactory(first_name="Tina", last_name="Tee", owner=manager), "tea", "wine")
    client.force_login(manager)

    response = client.get(URL)

    suits = {
        card.name: [(s.name, s.interests) for s in card.suits] for card in response.context["cards"]
    }
    assert suits == {
        "Golf balls": [],
        "Mosel Riesling": [("Julia Schneider", ("Wine",)), ("Tina Tee", ("Wine",))],
        "Tea tasting box": [("Tina Tee", ("Tea",))],
    }
    body = response.content.decode()
    assert "Julia Schneider" in body
    assert "Markus Fischer" not in body
    assert "Otto Fremd" not in body
    assert "Alt Archiv" not in body


def test_a_team_lead_sees_which_of_the_teams_contacts_an_item_suits(
    client, lead, manager, colleague, outsider, catalog
):
    interested(ContactFactory(first_name="Julia", last_name="Schneider", owner=manager), "wine")
    interested(ContactFactory(first_name="Markus", last_name="Fischer", owner=colleague), "wine")
    interested(ContactFactory(first_name="Otto", last_name="Fremd", owner=outsider), "wine")
    client.force_login(lead)

    cards = {card.name: card for card in client.get(URL).context["cards"]}

    assert [s.name for s in cards["Mosel Riesling"].suits] == ["Julia Schneider", "Markus Fischer"]


def test_an_htmx_filter_request_gets_the_results_partial_only(client, manager, catalog):
    client.force_login(manager)

    response = client.get(URL, {"interest": "tea"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="catalog-results">')
    assert "<html" not in body
    assert "<form" not in body
    assert "Tea tasting box" in body


def test_a_normal_request_gets_the_whole_page_with_the_filter_form(client, manager, catalog):
    client.force_login(manager)

    body = client.get(URL, {"interest": "tea"}).content.decode()

    assert "<html" in body
    assert 'hx-get="/catalog/"' in body
    assert 'hx-push-url="true"' in body
    assert '<option value="tea" selected>' in body


def test_the_query_count_does_not_grow_with_the_items(
    client, manager, catalog, django_assert_max_num_queries
):
    interested(ContactFactory(owner=manager), "wine", "tea", "golf")
    client.force_login(manager)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for n in range(15):
        GiftItemFactory.create(tags=["wine", "tea", f"extra-{n}"], dietary=["vegan"], food=True)
        interested(ContactFactory(owner=manager), "wine", f"extra-{n}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)

    assert len(response.context["cards"]) == 18


def test_prices_and_names_follow_the_language(client, manager, catalog):
    client.force_login(manager)

    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    manager.language = "de"
    manager.save()
    german = client.get(URL).content.decode()

    assert "€38.00" in english and "€1,250.50" in english
    assert "38,00\xa0€" in german and "1.250,50\xa0€" in german
    assert "Mosel-Riesling" in german
    assert "Tee-Probierbox" in german


def test_an_item_without_an_image_or_thumbnail_still_shows(client, manager, catalog):
    GiftItem.objects.filter(sku="WINE").update(image="gifts/missing-on-disk.jpg")
    client.force_login(manager)

    response = client.get(URL)

    body = response.content.decode()
    assert response.status_code == 200
    # Until the thumbnail exists, the original is shown, scaled by the browser.
    assert 'src="/media/gifts/missing-on-disk.jpg"' in body
    assert "No image" in body


def test_the_thumbnail_is_shown_once_it_exists(client, manager, catalog):
    GiftItem.objects.filter(sku="WINE").update(
        image="gifts/a.jpg", thumbnail_list="gifts/thumbs/a-list.webp"
    )
    client.force_login(manager)

    body = client.get(URL).content.decode()

    assert 'src="/media/gifts/thumbs/a-list.webp"' in body
    assert 'src="/media/gifts/a.jpg"' not in body


def test_the_item_page_shows_details_and_the_contacts_it_suits(client, manager, catalog):
    interested(ContactFactory(first_name="Julia", last_name="Schneider", owner=manager), "wine")
    GiftItem.objects.filter(sku="WINE").update(
        image="gifts/a.jpg", thumbnail_detail="gifts/thumbs/a-detail.webp"
    )
    client.force_login(manager)

    response = client.get(reverse("catalog_item", args=[catalog["wine"].pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Mosel Riesling" in body
    assert 'src="/media/gifts/thumbs/a-detail.webp"' in body
    assert "Julia Schneider" in body


def test_an_inactive_item_has_no_page(client, manager, catalog):
    client.force_login(manager)

    assert client.get(reverse("catalog_item", args=[catalog["retired"].pk])).status_code == 404
