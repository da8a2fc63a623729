"""`catalog` records of import_json: cleaning refuses each bad field by name and writes
nothing; saving is an idempotent upsert; export gives the same shape back."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gestures.importing import catalog_record_clean, catalog_record_export, catalog_record_save
from gestures.models import GiftItem
from tests.gestures import pictures
from tests.gestures.factories import TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tags():
    # The seed taxonomy is gone after any transactional test has flushed the database.
    return [TagFactory.create(slug=slug) for slug in ("wine", "cooking")]


@pytest.fixture
def import_dir(tmp_path):
    (tmp_path / "secret.jpg").write_bytes(pictures.jpeg())
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "riesling.jpg").write_bytes(pictures.jpeg())
    (folder / "other.png").write_bytes(pictures.png())
    (folder / "notes.jpg").write_bytes(pictures.text_pretending_to_be_jpeg())
    (folder / "bomb.png").write_bytes(pictures.png_bomb())
    return folder


def record(**changes):
    data = {
        "sku": "WINE-RIES-2",
        "name": "Mosel Riesling, two bottles",
        "name_de": "Mosel-Riesling, zwei Flaschen",
        "description": "A dry Riesling.",
        "description_de": "Ein trockener Riesling.",
        "price_eur": "38.00",
        "tags": ["wine"],
        "occasions": ["birthday", "anniversary"],
        "contains_alcohol": True,
        "food": True,
        "dietary": ["vegan"],
        "lead_time_days": 5,
        "stock": 12,
        "active": True,
        "supplier": "Weingut Example",
        "supplier_url": "https://weingut.example/riesling",
        "image": "riesling.jpg",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not ...}


def test_a_complete_record_is_cleaned_without_writing_anything(import_dir, media_root):
    clean = catalog_record_clean(record(), base_dir=import_dir)

    assert clean.sku == "WINE-RIES-2"
    assert clean.price_eur == Decimal("38.00")
    assert clean.tags == ("wine",)
    assert clean.image is not None and clean.image.format == "JPEG"
    assert not GiftItem.objects.exists()
    assert pictures.files_under(media_root) == []


@pytest.mark.parametrize(
    ("field", "changes", "message"),
    [
        ("sku", {"sku": ""}, "must not be empty"),
        ("sku", {"sku": "has spaces"}, "is not a SKU"),
        ("sku", {"sku": ...}, "is required"),
        ("name", {"name": 42}, "must be text"),
        ("price_eur", {"price_eur": "0"}, "must be more than 0"),
        ("price_eur", {"price_eur": "-3.00"}, "must be more than 0"),
        ("price_eur", {"price_eur": "twelve"}, "is not an amount"),
        ("price_eur", {"price_eur": "1.005"}, "at most two decimal places"),
        ("price_eur", {"price_eur": 12.5}, "must be an amount as text"),
        ("price_eur", {"price_eur": ...}, "is required"),
        ("tags", {"tags": ["wine", "quidditch"]}, "unknown interest(s) quidditch"),
        ("tags", {"tags": "wine"}, "must be a list of interest slugs"),
        ("occasions", {"occasions": ["christening"]}, "unknown christening"),
        ("occasions", {"occasions": []}, "must name at least one"),
        ("dietary", {"dietary": ["carnivore"]}, "unknown carnivore"),
        ("contains_alcohol", {"contains_alcohol": "yes"}, "must be true or false"),
        ("food", {"food": 1}, "must be true or false"),
        ("lead_time_days", {"lead_time_days": -1}, "must not be negative"),
        ("lead_time_days", {"lead_time_days": "3"}, "must be a whole number"),
        ("stock", {"stock": -2}, "must not be negative"),
        ("stock", {"stock": 1.5}, "must be a whole number"),
        ("active", {"active": None}, None),
        ("supplier_url", {"supplier_url": "javascript:alert(1)"}, "is not an http(s) address"),
        ("image", {"image": "missing.jpg"}, "no such file"),
        ("image", {"image": "notes.jpg"}, "not a JPEG, PNG or WebP image"),
        ("image", {"image": "bomb.png"}, "at most 40 megapixels"),
        ("image", {"image": "../secret.jpg"}, "must be a path inside the import file's folder"),
        ("image", {"image": "/etc/passwd"}, "must be a path inside the import file's folder"),
        ("image", {"image": 7}, "must be a path to the image file"),
        ("record", {"prise_eur": "3.00"}, "unknown field(s) prise_eur"),
    ],
)
def test_each_bad_field_is_refused_by_name_and_nothing_is_written(
    import_dir, media_root, field, changes, message
):
    if message is None:
        # `null` for a flag means its default; that is not an error.
        assert catalog_record_clean(record(**changes), base_dir=import_dir).active is True
        return
    with pytest.raises(ValidationError) as refused:
        catalog_record_clean(record(**changes), base_dir=import_dir)

    errors = refused.value.message_dict
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not GiftItem.objects.exists()
    assert pictures.files_under(media_root) == []


def test_several_bad_fields_are_all_reported(import_dir):
    with pytest.raises(ValidationError) as refused:
        catalog_record_clean(record(price_eur="0", tags=["quidditch"]), base_dir=import_dir)

    assert sorted(refused.value.message_dict) == ["price_eur", "tags"]


def test_saving_creates_the_item_with_its_image_under_a_generated_name(import_dir, media_root):
    item = catalog_record_save(catalog_record_clean(record(), base_dir=import_dir))

    item.refresh_from_db()
    assert item.name_de == "Mosel-Riesling, zwei Flaschen"
    assert [t.slug for t in item.tags.all()] == ["wine"]
    assert item.occasions == ["birthday", "anniversary"]
    assert item.image.name.startswith("gifts/") and "riesling" not in item.image.name
    assert pictures.files_under(media_root) == [item.image.name]


def test_saving_the_same_record_twice_gives_the_same_state(import_dir, media_root):
    first = catalog_record_save(catalog_record_clean(record(), base_dir=import_dir))
    state = catalog_record_export(GiftItem.objects.get(pk=first.pk))
    updated_at = GiftItem.objects.get(pk=first.pk).updated_at

    second = catalog_record_save(catalog_record_clean(record(), base_dir=import_dir))

    assert second.pk == first.pk
    assert GiftItem.objects.count() == 1
    assert catalog_record_export(GiftItem.objects.get(pk=first.pk)) == state
    assert GiftItem.objects.get(pk=first.pk).updated_at == updated_at
    assert pictures.files_under(media_root) == [state["image"]]


@pytest.mark.django_db(transaction=True)
def test_a_changed_image_replaces_the_old_file(import_dir, media_root):
    first = catalog_record_save(catalog_record_clean(record(), base_dir=import_dir))
    old = first.image.name

    second = catalog_record_save(
        catalog_record_clean(record(image="other.png"), base_dir=import_dir)
    )

    assert second.image.name != old
    assert second.image.name.endswith(".png")
    assert pictures.files_under(media_root) == [second.image.name]


def test_a_changed_field_is_updated_by_sku(import_dir):
    catalog_record_save(catalog_record_clean(record(), base_dir=import_dir))

    catalog_record_save(
        catalog_record_clean(
            record(price_eur="41.50", tags=["wine", "cooking"]), base_dir=import_dir
        )
    )

    item = GiftItem.objects.get(sku="WINE-RIES-2")
    assert item.price_eur == Decimal("41.50")
    assert sorted(t.slug for t in item.tags.all()) == ["cooking", "wine"]


@pytest.mark.django_db(transaction=True)
def test_image_null_removes_the_image_and_a_missing_key_keeps_it(import_dir, media_root):
    catalog_record_save(catalog_record_clean(record(), base_dir=import_dir))

    kept = catalog_record_save(catalog_record_clean(record(image=...), base_dir=import_dir))
    assert kept.image

    removed = catalog_record_save(catalog_record_clean(record(image=None), base_dir=import_dir))
    assert not removed.image
    assert pictures.files_under(media_root) == []


def test_the_export_has_the_record_shape_with_the_stored_image_name(import_dir):
    item = catalog_record_save(catalog_record_clean(record(), base_dir=import_dir))

    exported = catalog_record_export(GiftItem.objects.get(pk=item.pk))

    assert exported == {**record(), "image": item.image.name}
    assert (
        catalog_record_export(
            GiftItem.objects.create(sku="X", name="X", price_eur=1, occasions=["any"])
        )["image"]
        is None
    )
