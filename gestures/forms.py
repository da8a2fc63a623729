"""Forms of the gift catalog (the staff filter form, the admin's item form) and of the
decisions on suggestions in "My gestures"."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, Tag
from relcrm.validation import id_or_none

from .images import CleanImage, image_clean_file
from .models import DietaryLabel, Gesture, GiftItem, Occasion, Suggestion, Symbol
from .selectors import PRICE_BANDS, CatalogFilters, DashboardFilters, occasions_for_filter
from .services import LOGGABLE_GESTURE_KINDS


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
    symbols = forms.MultipleChoiceField(
        label=_("Symbolism"),
        choices=Symbol.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "What the gift says besides its use. During a period of care after a "
            "bereavement or serious illness nothing celebratory or alcoholic is suggested."
        ),
    )
    unsuitable_occasions = forms.MultipleChoiceField(
        label=_("Unsuitable for"),
        choices=[(value, label) for value, label in Occasion.choices if value != Occasion.ANY],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Occasions this gift is never suggested for, because of what it says."),
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
        fields = (*GiftItem.CATALOG_FIELDS, "symbols", "unsuitable_occasions")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clean_image: CleanImage | None = None
        # The interests' autocomplete widget looks the submitted ids up to render them
        # again: a value that is no id must not reach it (it would fail), only the message.
        self.bad_tag = ""
        key = self.add_prefix("tags")
        if self.is_bound and isinstance(self.data, QueryDict) and key in self.data:
            submitted = self.data.getlist(key)
            valid = [value for value in submitted if id_or_none(value) is not None]
            if valid != submitted:
                self.bad_tag = next(value for value in submitted if value not in valid)
                data = self.data.copy()
                data.setlist(key, valid)
                self.data = data

    def clean_tags(self) -> object:
        if self.bad_tag:
            message = self.fields["tags"].error_messages["invalid_pk_value"]
            raise ValidationError(message, code="invalid_pk_value", params={"pk": self.bad_tag})
        return self.cleaned_data.get("tags")

    def clean_image_upload(self) -> object:
        upload = self.cleaned_data.get("image_upload")
        if upload:
            # Decoded and re-encoded here, so a refused file is never stored anywhere.
            self.clean_image = image_clean_file(upload, size=upload.size)
        return upload


# -- My gestures --------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    occasion = forms.ChoiceField(label=_("Occasion"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    # A search rather than a list: an account manager may own thousands of contacts.
    who = forms.CharField(
        label=_("Contact"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or organization")}),
    )
    # One contact, as linked from its page; only the user's own count.
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(), required=False, widget=forms.HiddenInput
    )
    due_from = forms.DateField(
        label=_("Due from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_to = forms.DateField(
        label=_("Due until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, contacts: QuerySet[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = ("", _("Any"))
        occasion, kind = (
            cast(forms.ChoiceField, self.fields[name]) for name in ("occasion", "kind")
        )
        occasion.choices = [any_choice, *Suggestion.Occasion.choices]
        kind.choices = [any_choice, *Suggestion.Kind.choices]
        cast(forms.ModelChoiceField, self.fields["contact"]).queryset = contacts

    def filters(self) -> DashboardFilters:
        """The valid part of the query: an unknown value is ignored, not an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        contact = data.get("contact")
        return DashboardFilters(
            occasion=data.get("occasion") or "",
            kind=data.get("kind") or "",
            who=(data.get("who") or "").strip(),
            contact=contact.pk if contact is not None else None,
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
        )


class DismissForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why not?"), choices=Suggestion.DismissReason.choices, widget=forms.RadioSelect
    )
    reason_text = forms.CharField(label=_("In a few words"), max_length=500, required=False)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if (
            data.get("reason") == Suggestion.DismissReason.OTHER
            and not (data.get("reason_text") or "").strip()
        ):
            self.add_error("reason_text", _("Say in a few words why you dismiss it."))
        return data


class SnoozeForm(forms.Form):
    WEEK = "week"
    DATE = "date"

    snooze = forms.ChoiceField(
        label=_("Remind me"),
        choices=[(WEEK, _("In a week")), (DATE, _("On a day"))],
        required=False,
    )
    until = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def until_date(self, *, today: date) -> date | None:
        """The day to come back on; None (with a form error) when there is none."""
        if not self.is_valid():
            return None
        if self.cleaned_data.get("snooze") == self.WEEK:
            return today + timedelta(days=7)
        until: date | None = self.cleaned_data.get("until")
        if until is None:
            self.add_error("until", _("Choose the day to be reminded on."))
        return until


class SwapForm(forms.Form):
    gift_item = forms.ModelChoiceField(
        label=_("Gift"),
        queryset=GiftItem.objects.filter(active=True),
        error_messages={"invalid_choice": _("This gift cannot be chosen.")},
    )


class DraftForm(forms.Form):
    draft = forms.CharField(label=_("Draft"), max_length=2000, widget=forms.Textarea, strip=True)


class DoneForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    value_eur = forms.DecimalField(
        label=_("Value (EUR)"), required=False, min_value=Decimal(0), max_digits=8, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea)


GESTURE_LOG_KINDS = [
    (kind, label) for kind, label in Gesture.Kind.choices if kind in LOGGABLE_GESTURE_KINDS
]


class GestureLogForm(DoneForm):
    kind = forms.ChoiceField(label=_("What"), choices=GESTURE_LOG_KINDS)
    field_order = ["kind", "date", "value_eur", "note"]
