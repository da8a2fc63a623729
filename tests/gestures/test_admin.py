"""The gift catalog in the Django admin: list, filters, search, bulk actions, import/export;
for admins only."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gestures.models import GiftItem
from tests.gestures.factories import GiftItemFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:gestures_giftitem_changelist"


@pytest.fixture
def catalog():
    return {
        "wine": GiftItemFactory.create(
            sku="WINE-1",
            name="Riesling",
            tags=["wine"],
            occasions=["birthday"],
            contains_alcohol=True,
            food=True,
            price_eur=Decimal("38.00"),
        ),
        "tea": GiftItemFactory.create(
            sku="TEA-1",
            name="Tea box",
            tags=["tea"],
            occasions=["any"],
            food=True,
            dietary=["vegan", "halal"],
            stock=0,
        ),
        "chess": GiftItemFactory.create(
            sku="CHESS-1",
            name="Chess set",
            tags=["chess"],
            occasions=["role_change"],
            active=False,
            description="Walnut board",
        ),
    }


def listed(response):
    return sorted(item.sku for item in response.context["cl"].result_list)


def test_the_list_shows_thumbnail_price_tags_occasions_active_and_stock(
    client, admin_user, catalog
):
    client.force_login(admin_user)

    response = client.get(reverse(CHANGELIST))

    body = response.content.decode()
    assert listed(response) == ["CHESS-1", "TEA-1", "WINE-1"]
    for column in ("thumbnail", "price", "interests", "occasion_list", "active", "stock_display"):
        assert f'class="sortable column-{column}' in body or f'class="column-{column}' in body
    assert "€38.00" in body
    assert '<td class="field-interests">wine</td>' in body
    assert "Any occasion" in body
    assert "unlimited" in body


def test_the_list_shows_the_thumbnail_once_it_exists(client, admin_user):
    item = GiftItemFactory.create()
    GiftItem.objects.filter(pk=item.pk).update(
        image="gifts/abc.jpg", thumbnail_list="gifts/thumbs/abc-list.webp"
    )
    client.force_login(admin_user)

    body = client.get(reverse(CHANGELIST)).content.decode()

    assert 'src="/media/gifts/thumbs/abc-list.webp"' in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"active__exact": "0"}, ["CHESS-1"]),
        ({"contains_alcohol__exact": "1"}, ["WINE-1"]),
        ({"food__exact": "1"}, ["TEA-1", "WINE-1"]),
        ({"occasion": "birthday"}, ["WINE-1"]),
        ({"occasion": "any"}, ["TEA-1"]),
        ({"dietary": "vegan"}, ["TEA-1"]),
        ({"q": "walnut"}, ["CHESS-1"]),
        ({"q": "TEA-1"}, ["TEA-1"]),
    ],
)
def test_filters_and_search_narrow_the_list(client, admin_user, catalog, query, expected):
    client.force_login(admin_user)

    assert listed(client.get(reverse(CHANGELIST), query)) == expected


def test_the_tag_filter_narrows_the_list(client, admin_user, catalog):
    client.force_login(admin_user)
    wine = catalog["wine"].tags.get()

    assert listed(client.get(reverse(CHANGELIST), {"tags__id__exact": wine.pk})) == ["WINE-1"]


def test_bulk_deactivate_and_activate(client, admin_user, catalog):
    client.force_login(admin_user)
    selected = [catalog["wine"].pk, catalog["chess"].pk]

    response = client.post(
        reverse(CHANGELIST),
        {"action": "deactivate", "_selected_action": selected},
        follow=True,
    )
    assert "1 gift item deactivated." in response.content.decode()
    assert not GiftItem.objects.get(sku="WINE-1").active

    response = client.post(
        reverse(CHANGELIST), {"action": "activate", "_selected_action": selected}, follow=True
    )
    assert "2 gift items activated." in response.content.decode()
    assert GiftItem.objects.filter(active=True).count() == 3


def csv_upload(text):
    return SimpleUploadedFile("catalog.csv", text.encode(), content_type="text/csv")


CSV_HEADER = (
    "sku,name,name_de,description,description_de,price_eur,tags,occasions,"
    "contains_alcohol,food,dietary,lead_time_days,stock,active,supplier,supplier_url\n"
)


def test_the_import_dry_run_shows_what_would_change_and_changes_nothing(
    client, admin_user, catalog
):
    client.force_login(admin_user)
    text = CSV_HEADER + (
        "WINE-1,Riesling,Riesling,,,42.00,wine,birthday,1,1,,3,,1,,\n"
        "NEW-1,Golf balls,Golfbälle,,,30.00,golf,any,0,0,,10,5,1,,\n"
    )

    response = client.post(
        reverse("admin:gestures_giftitem_import"),
        {"import_file": csv_upload(text), "format": "0", "resource": "0"},
    )

    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["update", "new"]
    body = response.content.decode()
    assert "Confirm import" in body
    assert GiftItem.objects.get(sku="WINE-1").price_eur == Decimal("38.00")
    assert not GiftItem.objects.filter(sku="NEW-1").exists()


def test_confirming_the_import_applies_it(client, admin_user, catalog):
    client.force_login(admin_user)
    text = CSV_HEADER + "NEW-1,Golf balls,Golfbälle,,,30.00,golf,any,0,0,,10,5,1,,\n"
    preview = client.post(
        reverse("admin:gestures_giftitem_import"),
        {"import_file": csv_upload(text), "format": "0", "resource": "0"},
    )
    confirm = preview.context["confirm_form"].initial

    client.post(reverse("admin:gestures_giftitem_process_import"), confirm)

    item = GiftItem.objects.get(sku="NEW-1")
    assert (item.name_de, item.price_eur, item.stock) == ("Golfbälle", Decimal("30.00"), 5)
    assert [t.slug for t in item.tags.all()] == ["golf"]
    assert item.occasions == ["any"]


def test_the_import_dry_run_reports_row_errors(client, admin_user, catalog):
    client.force_login(admin_user)
    text = CSV_HEADER + (
        "BAD-1,Broken,,,,-5,golf,any,0,0,,3,,1,,\n"
        "BAD-2,Unknown,,,,10.00,quidditch,any,0,0,,3,,1,,\n"
        "BAD-3,Odd occasion,,,,10.00,golf,christening,0,0,,3,,1,,\n"
    )

    response = client.post(
        reverse("admin:gestures_giftitem_import"),
        {"import_file": csv_upload(text), "format": "0", "resource": "0"},
    )

    body = response.content.decode()
    assert response.context["result"].has_validation_errors()
    assert "Ensure this value is greater than or equal to 0.01" in body
    assert "unknown interest(s): quidditch" in body
    assert "unknown value(s) christening" in body
    assert "Confirm import" not in body
    assert not GiftItem.objects.filter(sku__startswith="BAD").exists()


def test_the_export_gives_the_catalog_as_csv(client, admin_user, catalog):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:gestures_giftitem_export"),
        {
            "format": "0",
            "resource": "0",
            **{
                f"giftitemresource_{name}": "on" for name in ("sku", "price_eur", "tags", "dietary")
            },
        },
    )

    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0].split(",")[:4] == ["sku", "price_eur", "tags", "dietary"]
    assert 'TEA-1,24.90,tea,"vegan,halal"' in lines


@pytest.mark.parametrize("who", ["manager", "lead"])
@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", CHANGELIST),
        ("get", "admin:gestures_giftitem_import"),
        ("get", "admin:gestures_giftitem_export"),
        ("post", CHANGELIST),
    ],
)
def test_the_catalog_admin_is_closed_to_account_managers_and_team_leads(
    client, request, catalog, who, method, url_name
):
    client.force_login(request.getfixturevalue(who))

    response = getattr(client, method)(
        reverse(url_name), {"action": "deactivate", "_selected_action": [catalog["wine"].pk]}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert GiftItem.objects.get(sku="WINE-1").active


def test_the_change_form_previews_the_image(client, admin_user):
    item = GiftItemFactory.create()
    GiftItem.objects.filter(pk=item.pk).update(image="gifts/abc.jpg")
    client.force_login(admin_user)

    body = client.get(reverse("admin:gestures_giftitem_change", args=[item.pk])).content.decode()

    assert 'src="/media/gifts/abc.jpg"' in body
    assert "Thumbnails are being made" in body
