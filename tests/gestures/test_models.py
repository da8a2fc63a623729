"""What must always hold for a gift item (database constraints) and its single-row rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from gestures.models import GiftItem
from tests.gestures.factories import GiftItemFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {"price_eur": Decimal("0")},
        {"price_eur": Decimal("-1.00")},
        {"stock": -1},
        {"lead_time_days": -1},
        {"sku": ""},
    ],
    ids=["price-zero", "price-negative", "stock-negative", "lead-time-negative", "empty-sku"],
)
def test_the_database_refuses_impossible_items(fields):
    item = GiftItemFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        GiftItem.objects.filter(pk=item.pk).update(**fields)


def test_skus_are_unique():
    GiftItemFactory.create(sku="ONE")

    with pytest.raises(IntegrityError), transaction.atomic():
        GiftItem.objects.create(sku="ONE", name="Again", price_eur=1, occasions=["any"])


@pytest.mark.parametrize(
    ("active", "stock", "available"),
    [(True, None, True), (True, 3, True), (True, 0, False), (False, None, False)],
)
def test_an_item_is_available_when_active_and_in_stock(active, stock, available):
    item = GiftItem(active=active, stock=stock, lead_time_days=3)

    assert item.is_available is available


def test_an_item_is_available_on_a_day_its_lead_time_still_reaches():
    item = GiftItem(active=True, stock=None, lead_time_days=5)
    today = date(2026, 11, 20)

    assert item.is_available_on(date(2026, 11, 25), today=today)
    assert not item.is_available_on(date(2026, 11, 24), today=today)


def test_any_occasion_suits_every_occasion():
    assert GiftItem(occasions=["any"]).suits_occasion("birthday")
    assert GiftItem(occasions=["birthday"]).suits_occasion("birthday")
    assert not GiftItem(occasions=["birthday"]).suits_occasion("milestone")


def test_the_german_name_falls_back_to_the_english_one():
    assert GiftItem(name="Tea box", name_de="Teebox").name_in("de") == "Teebox"
    assert GiftItem(name="Tea box", name_de="").name_in("de") == "Tea box"
    assert GiftItem(name="Tea box", name_de="Teebox").name_in("en") == "Tea box"


def test_an_item_without_an_image_has_no_image_url():
    assert GiftItem().image_url_for("list") == ""
