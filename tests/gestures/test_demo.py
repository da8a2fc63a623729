"""The demo catalog: varied, bilingual, every seed interest, real pictures, idempotent."""

import io

import pytest
from PIL import Image

from contacts.models import Tag
from contacts.taxonomy_seed import SEED_TAGS
from gestures.demo import demo_catalog_load
from gestures.models import GiftItem
from tests.gestures import pictures

pytestmark = pytest.mark.django_db


def test_the_demo_catalog_covers_every_seed_interest_even_before_the_taxonomy_exists():
    Tag.objects.all().delete()

    count = demo_catalog_load()

    assert 28 <= count <= 40
    covered = set(GiftItem.objects.values_list("tags__slug", flat=True))
    assert {seed["slug"] for seed in SEED_TAGS} <= covered


def test_the_demo_catalog_is_varied():
    demo_catalog_load()
    items = list(GiftItem.objects.all())

    assert all(item.name_de and item.description_de for item in items)
    assert sum(item.contains_alcohol for item in items) >= 2
    assert any(item.food and item.dietary for item in items)
    assert sum(item.price_eur > 50 for item in items) >= 3
    assert sum(not item.active for item in items) == 1
    assert sum(item.stock == 0 for item in items) == 1


def test_every_demo_item_has_a_real_stored_picture(media_root):
    demo_catalog_load()

    for item in GiftItem.objects.all():
        image = Image.open(io.BytesIO((media_root / item.image.name).read_bytes()))
        image.load()
        assert image.size == (800, 600)


def test_loading_the_demo_catalog_twice_stores_nothing_new(media_root):
    first_count = demo_catalog_load()
    first_files = pictures.files_under(media_root)

    assert demo_catalog_load() == first_count
    assert pictures.files_under(media_root) == first_files
    assert GiftItem.objects.count() == first_count
