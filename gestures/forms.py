"""Forms of the gift catalog: the staff filter form and the admin's item form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import Tag

from .images import CleanImage, image_clean_file
from .models import DietaryLabel, GiftItem, Occasion
from .selectors import PRICE_BANDS, CatalogFilters, occasions_for_filter


class CatalogFilterForm(forms.Form):
    interest = forms.ChoiceField(label=_("Interest"), required=False)
    occasion = forms.ChoiceField(label=_("Occasion"), required=False)
    price = forms.ChoiceField(label=_("Price"), required=False)
    dietary = forms.MultipleChoiceField(
        label=_("Dietary"),
        required=False,
        choices=DietaryLabel.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, tags: list[Tag], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = ("", _("Any"))
        interest, occasion, price = (
            cast(forms.ChoiceField, self.fields[name]) for name in ("interest", "occasion", "price")
        )
        interest.choices = [
            any_choice,
            *sorted(((t.slug, t.name_in(language)) for t in tags), key=lambda c: c[1].lower()),
        ]
        occasion.choices = [any_choice, *occasions_for_filter()]
        price.choices = [
            any_choice,
            *((key, band.label) for key, band in PRICE_BANDS.items()),
        ]

    def filters(self) -> CatalogFilters:
        """The valid part of the query: an unknown value is ignored, not an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CatalogFilters(
            interest=data.get("interest") or "",
            occasion=data.get("occasion") or "",
            price=data.get("price") or "",
            dietary=tuple(data.get("dietary") or ()),
        )


class GiftItemAdminForm(forms.ModelForm):
    occasions = forms.MultipleChoiceField(
        label=_("Suitable occasions"),
        choices=Occasion.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("“Any occasion” makes the item suitable for every occasion."),
    )
    dietary = forms.MultipleChoiceField(
        label=_("Dietary labels"),
        choices=DietaryLabel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For food: the labels that hold for it."),
    )
    image_upload = forms.FileField(
        label=_("New image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "JPEG, PNG or WebP, at most 10 MB and 40 megapixels. It is stored re-encoded, "
            "without its metadata (such as the location it was taken at)."
        ),
    )
    image_remove = forms.BooleanField(label=_("Remove the image"), required=False)
    supplier_url = forms.URLField(
        label=_("Supplier URL"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = GiftItem
        fields = [
            "sku",
            "name",
            "name_de",
            "description",
            "description_de",
            "price_eur",
            "tags",
            "occasions",
            "contains_alcohol",
            "food",
            "dietary",
            "lead_time_days",
            "stock",
            "active",
            "supplier",
            "supplier_url",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clean_image: CleanImage | None = None

    def clean_image_upload(self) -> object:
        upload = self.cleaned_data.get("image_upload")
        if upload:
            # Decoded and re-encoded here, so a refused file is never stored anywhere.
            self.clean_image = image_clean_file(upload, size=upload.size)
        return upload
