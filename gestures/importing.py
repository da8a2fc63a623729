"""`catalog` records of the import_json / export_json format (docs/commands.md), both ways.

`catalog_record_clean` checks one record and writes nothing (its image is decoded and
re-encoded in memory); `catalog_record_save` upserts it by SKU, idempotently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from contacts.models import Tag

from .dispatch import gift_item_thumbnails_schedule
from .images import CleanImage, image_clean_file
from .models import DietaryLabel, GiftItem, Occasion
from .services import gift_item_image_remove, gift_item_image_replace, gift_item_save

SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_PRICE = Decimal("999999.99")
KNOWN_KEYS = frozenset({*GiftItem.CATALOG_FIELDS, "image"})


@dataclass(frozen=True)
class CleanCatalogRecord:
    sku: str
    name: str
    name_de: str
    description: str
    description_de: str
    price_eur: Decimal
    tags: tuple[str, ...]
    occasions: tuple[str, ...]
    contains_alcohol: bool
    food: bool
    dietary: tuple[str, ...]
    lead_time_days: int
    stock: int | None
    active: bool
    supplier: str
    supplier_url: str
    # `image_given` False: the record leaves the item's image as it is (no "image" key).
    # True with `image` None: the item has no image ("image": null).
    image: CleanImage | None
    image_given: bool = True


class _Problem(Exception):
    pass


def _text(record: Mapping[str, Any], key: str, *, required: bool = False, limit: int = 0) -> str:
    value = record.get(key)
    if value is None:
        if required:
            raise _Problem("is required")
        return ""
    if not isinstance(value, str):
        raise _Problem(f"must be text, not {_kind(value)}")
    value = value.strip()
    if required and not value:
        raise _Problem("must not be empty")
    if limit and len(value) > limit:
        raise _Problem(f"must be at most {limit} characters long, not {len(value)}")
    return value


def _kind(value: object) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _flag(record: Mapping[str, Any], key: str, default: bool) -> bool:
    value = record.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _Problem(f"must be true or false, not {value!r}")
    return value


def _whole_number(
    record: Mapping[str, Any], key: str, *, nullable: bool, default: int | None, maximum: int
) -> int | None:
    if key not in record:
        return default
    value = record[key]
    if value is None:
        if nullable:
            return None
        raise _Problem("is required")
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Problem(f"must be a whole number, not {value!r}")
    if value < 0:
        raise _Problem(f"must not be negative, not {value}")
    if value > maximum:
        raise _Problem(f"must be at most {maximum}, not {value}")
    return value


def _price(record: Mapping[str, Any]) -> Decimal:
    value = record.get("price_eur")
    if value is None:
        raise _Problem('is required, e.g. "24.90"')
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Problem(f'must be an amount as text, e.g. "24.90", not {value!r}')
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise _Problem(f'is not an amount: {value!r} (write e.g. "24.90")') from None
    if not amount.is_finite() or amount <= 0:
        raise _Problem(f"must be more than 0, not {value!r}")
    if amount > MAX_PRICE:
        raise _Problem(f"must be at most {MAX_PRICE}, not {value!r}")
    if amount != amount.quantize(Decimal("0.01")):
        raise _Problem(f"may have at most two decimal places (cents), not {value!r}")
    return amount.quantize(Decimal("0.01"))


def _choices(
    record: Mapping[str, Any], key: str, allowed: list[str], default: list[str], *, required: bool
) -> tuple[str, ...]:
    values = record.get(key, default)
    if values is None:
        values = default
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _Problem(f"must be a list of: {', '.join(allowed)}")
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise _Problem(f"unknown {', '.join(unknown)}; allowed are {', '.join(allowed)}")
    if not values and required:
        raise _Problem(f"must name at least one of: {', '.join(allowed)}")
    return tuple(dict.fromkeys(values))


def _tags(record: Mapping[str, Any]) -> tuple[str, ...]:
    slugs = record.get("tags", [])
    if slugs is None:
        slugs = []
    if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
        raise _Problem('must be a list of interest slugs, e.g. ["wine", "cooking"]')
    known = set(Tag.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = [s for s in dict.fromkeys(slugs) if s not in known]
    if unknown:
        raise _Problem(
            f"unknown interest(s) {', '.join(unknown)}: import them under 'tags' first "
            "or use slugs of the taxonomy"
        )
    return tuple(sorted(set(slugs)))


def _url(record: Mapping[str, Any]) -> str:
    url = _text(record, "supplier_url", limit=200)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise _Problem(f"is not an http(s) address: {url!r}") from None
    return url


def _image(record: Mapping[str, Any], base_dir: Path) -> CleanImage | None:
    value = record.get("image")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _Problem("must be a path to the image file, relative to the import file, or null")
    relative = Path(value.strip())
    root = base_dir.resolve()
    path = (root / relative).resolve()
    if relative.is_absolute() or not path.is_relative_to(root):
        raise _Problem(f"must be a path inside the import file's folder, not {value!r}")
    if not path.is_file():
        raise _Problem(f"no such file: {value!r} (looked for {path})")
    try:
        with path.open("rb") as file:
            return image_clean_file(file, size=path.stat().st_size)
    except OSError as error:
        raise _Problem(f"cannot read {value!r}: {error.strerror or error}") from None
    except ValidationError as error:
        raise _Problem(f"{value!r}: {' '.join(error.messages)}") from None


def catalog_record_clean(record: Mapping[str, Any], *, base_dir: Path) -> CleanCatalogRecord:
    """Check one `catalog` record; raise ValidationError naming each bad field. Reads the
    tags and the image file; writes nothing."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(record) - KNOWN_KEYS)
    if unknown:
        errors["record"] = [
            f"unknown field(s) {', '.join(unknown)}; known are {', '.join(sorted(KNOWN_KEYS))}"
        ]
    values: dict[str, Any] = {}
    checks: dict[str, Any] = {
        "sku": lambda: _sku(record),
        "name": lambda: _text(record, "name", required=True, limit=200),
        "name_de": lambda: _text(record, "name_de", limit=200),
        "description": lambda: _text(record, "description"),
        "description_de": lambda: _text(record, "description_de"),
        "price_eur": lambda: _price(record),
        "tags": lambda: _tags(record),
        "occasions": lambda: _choices(record, "occasions", Occasion.values, ["any"], required=True),
        "contains_alcohol": lambda: _flag(record, "contains_alcohol", False),
        "food": lambda: _flag(record, "food", False),
        "dietary": lambda: _choices(record, "dietary", DietaryLabel.values, [], required=False),
        "lead_time_days": lambda: _lead_time(record),
        "stock": lambda: _whole_number(
            record, "stock", nullable=True, default=None, maximum=2_147_483_647
        ),
        "active": lambda: _flag(record, "active", True),
        "supplier": lambda: _text(record, "supplier", limit=200),
        "supplier_url": lambda: _url(record),
        "image": lambda: _image(record, base_dir),
    }
    for key, check in checks.items():
        try:
            values[key] = check()
        except _Problem as problem:
            errors[key] = [str(problem)]
    if errors:
        raise ValidationError(errors)
    return CleanCatalogRecord(**values, image_given="image" in record)


def _sku(record: Mapping[str, Any]) -> str:
    sku = _text(record, "sku", required=True)
    if not SKU_PATTERN.match(sku):
        raise _Problem(
            f"{sku!r} is not a SKU: up to 64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return sku


def _lead_time(record: Mapping[str, Any]) -> int:
    days = _whole_number(record, "lead_time_days", nullable=False, default=3, maximum=365)
    return 3 if days is None else days


_ITEM_FIELDS = (
    "name",
    "name_de",
    "description",
    "description_de",
    "price_eur",
    "contains_alcohol",
    "food",
    "lead_time_days",
    "stock",
    "active",
    "supplier",
    "supplier_url",
)


@transaction.atomic
def catalog_record_save(clean: CleanCatalogRecord) -> GiftItem:
    """Upsert the item by SKU. Saving the same record again changes nothing: unchanged
    fields are not written, and an unchanged image (same source checksum) is not stored
    again. Thumbnails are made after the commit."""
    item = GiftItem.objects.filter(sku=clean.sku).first() or GiftItem(sku=clean.sku)
    wanted: dict[str, Any] = {name: getattr(clean, name) for name in _ITEM_FIELDS}
    wanted["occasions"] = list(clean.occasions)
    wanted["dietary"] = list(clean.dietary)
    changed = [name for name, value in wanted.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, wanted[name])
    if item.pk is None or changed:
        gift_item_save(item=item)
    if sorted(tag.slug for tag in item.tags.all()) != list(clean.tags):
        item.tags.set(Tag.objects.filter(slug__in=clean.tags))
    if clean.image_given:
        if clean.image is None:
            if item.image:
                gift_item_image_remove(item=item)
        elif clean.image.source_sha256 != item.image_sha256 or not item.image:
            gift_item_image_replace(item=item, image=clean.image)
        elif not (item.thumbnail_list and item.thumbnail_detail):
            gift_item_thumbnails_schedule(item_id=item.pk)
    return item


def catalog_record_export(item: GiftItem) -> dict[str, Any]:
    """The item as a `catalog` record; `image` is the stored file's name under MEDIA_ROOT."""
    return {
        "sku": item.sku,
        "name": item.name,
        "name_de": item.name_de,
        "description": item.description,
        "description_de": item.description_de,
        "price_eur": f"{item.price_eur:.2f}",
        "tags": sorted(tag.slug for tag in item.tags.all()),
        "occasions": list(item.occasions),
        "contains_alcohol": item.contains_alcohol,
        "food": item.food,
        "dietary": list(item.dietary),
        "lead_time_days": item.lead_time_days,
        "stock": item.stock,
        "active": item.active,
        "supplier": item.supplier,
        "supplier_url": item.supplier_url,
        "image": item.image.name if item.image else None,
    }
