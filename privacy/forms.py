"""Forms for erasing a person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact


class ErasureForm(forms.Form):
    """Typing the person's name confirms who is erased; the reason goes into the log."""

    confirm_name = forms.CharField(
        label=_("Type the person's full name to confirm"), max_length=201, strip=True
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the erasure log, e.g. “request by e-mail of 2 March”. Do not name the person."
        ),
    )

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contact = contact

    def clean_confirm_name(self) -> str:
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != self.contact.full_name.casefold():
            raise forms.ValidationError(_("That is not the name of this person."))
        return typed
