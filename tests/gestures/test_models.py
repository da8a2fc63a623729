"""What must always hold for a gift item (database constraints) and its single-row rules."""

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


@pytest.mark.parametrize(("stock", "in_stock"), [(None, True), (3, True), (0, False)])
def test_an_item_is_in_stock_unless_its_stock_ran_out(stock, in_stock):
    assert GiftItem(stock=stock).in_stock is in_stock


def test_the_german_name_falls_back_to_the_english_one():
    assert GiftItem(name="Tea box", name_de="Teebox").name_in("de") == "Teebox"
    assert GiftItem(name="Tea box", name_de="").name_in("de") == "Tea box"
    assert GiftItem(name="Tea box", name_de="Teebox").name_in("en") == "Tea box"


def test_an_item_without_an_image_has_no_image_url():
    assert GiftItem().image_url_for("list") == ""
