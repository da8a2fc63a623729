"""CSV/XLSX import and export of the gift catalog in the admin (django-import-export).

Rows are matched by SKU. Interests are written as tag slugs, occasions and dietary labels
as their values, each comma-separated; an unknown one is a row error, never dropped.
Images are exported by their stored name and are not imported this way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from import_export import fields, resources, widgets  # type: ignore[import-untyped]

from contacts.models import Tag

from .models import DietaryLabel, GiftItem, Occasion


def _split(value: object) -> list[str]:
    if value is None:
        return []
    return [part.strip() for part in str(value).split(",") if part.strip()]


class TagSlugsWidget(widgets.ManyToManyWidget):
    def __init__(self) -> None:
        super().__init__(Tag, separator=",", field="slug")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> QuerySet[Tag]:
        slugs = _split(value)
        tags = Tag.objects.filter(slug__in=slugs)
        unknown = sorted(set(slugs) - {tag.slug for tag in tags})
        if unknown:
            raise ValueError(f"unknown interest(s): {', '.join(unknown)}")
        return tags

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return ",".join(sorted(tag.slug for tag in value.all()))


class ChoiceListWidget(widgets.Widget):
    def __init__(self, choices: Sequence[str]) -> None:
        super().__init__()
        self.choices = list(choices)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
        values = _split(value)
        unknown = [v for v in values if v not in self.choices]
        if unknown:
            raise ValueError(
                f"unknown value(s) {', '.join(unknown)}; allowed: {', '.join(self.choices)}"
            )
        return list(dict.fromkeys(values))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return ",".join(value or [])


class GiftItemResource(resources.ModelResource):
    tags = fields.Field(attribute="tags", column_name="tags", widget=TagSlugsWidget())
    occasions = fields.Field(
        attribute="occasions", column_name="occasions", widget=ChoiceListWidget(Occasion.values)
    )
    dietary = fields.Field(
        attribute="dietary", column_name="dietary", widget=ChoiceListWidget(DietaryLabel.values)
    )
    image = fields.Field(attribute="image", column_name="image", readonly=True)

    class Meta:
        model = GiftItem
        import_id_fields = ("sku",)
        fields = (*GiftItem.CATALOG_FIELDS, "image")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def import_instance(self, instance: GiftItem, row: Any, **kwargs: Any) -> None:
        # The library saves many-to-many columns after the row, where an unknown interest
        # would stop the whole import; checking it here makes it a row error like the rest.
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        tags = self.fields["tags"]
        if tags.column_name in row:
            try:
                tags.clean(row)
            except ValueError as error:
                errors["tags"] = [ValidationError(str(error), code="invalid")]
        if errors:
            raise ValidationError(errors)

    def dehydrate_image(self, item: GiftItem) -> str:
        return item.image.name if item.image else ""
