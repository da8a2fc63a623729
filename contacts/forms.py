"""Forms for contacts and for logging observations with their reviewed facts."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relcrm.validation import MAX_TEXT_LENGTH

from .facts import FactDraft, fact_draft_clean
from .models import Contact, Fact, Team, User
from .permissions import scope_to_user
from .selectors import organizations_for_choice


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "organization",
            "title",
            "email",
            "phone",
            "language",
            "address",
            "salutation",
            "tier",
            "owner",
            "team",
            "do_not_gift",
            "customer_since",
            "privacy_notice_on",
        ]
        widgets = {
            "customer_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "privacy_notice_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is None:
            # Where the form has no owner or team field, they follow from who creates it.
            self.instance.team_id = user.team_id
            self.instance.owner = user
        # A form posted without it (an older page, a script) keeps the contact's setting.
        self.fields["address"].required = False
        _choices(self, "organization").queryset = organizations_for_choice(user=user)
        owners = scope_to_user(User.objects.filter(is_active=True), user).order_by("first_name")
        _choices(self, "owner").queryset = owners
        if user.is_admin:
            _choices(self, "team").queryset = Team.objects.order_by("name")
        else:
            del self.fields["team"]
        # Reassigning is for team leads and admins; an account manager's contacts are theirs.
        if not (user.is_admin or user.is_team_lead):
            del self.fields["owner"]

    def clean_address(self) -> str:
        address: str = self.cleaned_data.get("address") or ""
        return address or self.instance.address or Contact.Address.FORMAL

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owner = cleaned.get("owner")
        team = cleaned.get("team")
        if self.user.is_admin and owner and team and owner.team_id not in (None, team.pk):
            self.add_error("owner", _("The owner must be a member of the contact's team."))
        return cleaned


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def text_fingerprint(text: str, noted_on: date | None) -> str:
    """Identifies what a preview was computed for, so a stale one is not saved."""
    payload = f"{noted_on.isoformat() if noted_on else ''}\n{text.strip()}"
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


class ObservationForm(forms.Form):
    contact = forms.ModelChoiceField(
        label=_("Contact"),
        queryset=Contact.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the contact this is about.")},
    )
    noted_on = forms.DateField(
        label=_("Noted on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    text = forms.CharField(
        label=_("What did you notice?"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "placeholder": _(
                    "e.g. Her birthday is March 3rd. Loves hiking, doesn't drink alcohol."
                ),
            }
        ),
    )
    acknowledge_sensitive = forms.BooleanField(
        label=_(
            "I confirm that recording these special-category facts (GDPR Art. 9) is necessary "
            "and that the contact would expect it."
        ),
        required=False,
    )
    preview_of = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, fixed_contact: Contact | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        visible = scope_to_user(Contact.objects.filter(archived=False), user)
        if fixed_contact is not None:
            # An observation stays with its contact when edited, archived or not.
            visible = Contact.objects.filter(pk=fixed_contact.pk)
            if self.is_bound:
                self.data = {key: self.data.get(key) for key in self.data}
                self.data["contact"] = str(fixed_contact.pk)
        _choices(self, "contact").queryset = visible.select_related("organization")
        if not self.is_bound:
            self.initial.setdefault("noted_on", timezone.localdate())

    def clean_noted_on(self) -> date:
        noted_on: date = self.cleaned_data["noted_on"]
        if noted_on > timezone.localdate():
            raise ValidationError(_("An observation cannot be noted in the future."))
        return noted_on

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write down what you noticed."))
        return text

    @property
    def fingerprint(self) -> str:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return text_fingerprint(data.get("text", ""), data.get("noted_on"))


class FactForm(forms.Form):
    """One extracted fact in the preview: kept or dropped, its date correctable."""

    keep = forms.BooleanField(required=False, initial=True, label=_("Keep"))
    kind = forms.ChoiceField(choices=Fact.Kind.choices, widget=forms.HiddenInput)
    month = forms.IntegerField(
        label=_("Month"),
        required=False,
        min_value=1,
        max_value=12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "narrow-number"}),
    )
    day = forms.IntegerField(
        label=_("Day"),
        required=False,
        min_value=1,
        max_value=31,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "narrow-number"}),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1900,
        max_value=2200,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "narrow-number"}),
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    subject = forms.CharField(required=False, widget=forms.HiddenInput)
    event = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    label = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    tag = forms.CharField(required=False, widget=forms.HiddenInput, max_length=50)
    person = forms.ChoiceField(
        label=_("About"),
        required=False,
        choices=[("", _("the contact")), *Fact.Person.choices],
    )
    sensitive = forms.BooleanField(required=False, widget=forms.HiddenInput)
    evidence = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args: Any, interest_tags: frozenset[str] = frozenset(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.interest_tags = interest_tags

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors or not cleaned.get("keep"):
            return cleaned
        draft = FactDraft(
            kind=cleaned["kind"],
            month=cleaned.get("month"),
            day=cleaned.get("day"),
            year=cleaned.get("year"),
            date=cleaned.get("date"),
            subject=cleaned.get("subject") or "",
            event=cleaned.get("event") or "",
            title=cleaned.get("title") or "",
            label=cleaned.get("label") or "",
            tag=cleaned.get("tag") or "",
            person=cleaned.get("person") or "",
            sensitive=bool(cleaned.get("sensitive")),
            evidence=cleaned.get("evidence") or "",
        )
        try:
            cleaned["draft"] = fact_draft_clean(draft, interest_tags=self.interest_tags)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return cleaned

    @property
    def draft(self) -> FactDraft | None:
        """The fact as it would be saved, for display (bound or initial)."""
        if hasattr(self, "cleaned_data") and "draft" in self.cleaned_data:
            draft: FactDraft = self.cleaned_data["draft"]
            return draft
        source = self.initial
        if self.is_bound:
            source = {name: self[name].value() for name in self.fields}
        try:
            return FactDraft(
                kind=str(source.get("kind") or ""),
                month=_int_or_none(source.get("month")),
                day=_int_or_none(source.get("day")),
                year=_int_or_none(source.get("year")),
                date=_date_or_none(source.get("date")),
                subject=str(source.get("subject") or ""),
                event=str(source.get("event") or ""),
                title=str(source.get("title") or ""),
                label=str(source.get("label") or ""),
                tag=str(source.get("tag") or ""),
                person=str(source.get("person") or ""),
                sensitive=str(source.get("sensitive")) in {"True", "true", "on", "1"},
            )
        except (TypeError, ValueError):
            return None


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _date_or_none(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


FactFormSet = forms.formset_factory(FactForm, extra=0, max_num=50, validate_max=True)


def fact_initial(draft: FactDraft) -> dict[str, Any]:
    return {
        "keep": True,
        "kind": draft.kind,
        "month": draft.month,
        "day": draft.day,
        "year": draft.year,
        "date": draft.date,
        "subject": draft.subject,
        "event": draft.event,
        "title": draft.title,
        "label": draft.label,
        "tag": draft.tag,
        "person": draft.person,
        "sensitive": draft.sensitive,
        "evidence": draft.evidence,
    }


class ContactImportForm(forms.Form):
    """Upload a contact file. New contacts go to the team of the owner chosen (team leads
    and admins choose; an account manager's are their own)."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV from Outlook, Google Contacts, HubSpot or Excel, or vCard (.vcf); at most 5 MB."
        ),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner of new contacts"), queryset=User.objects.none(), required=True
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_admin or user.is_team_lead:
            owners = scope_to_user(User.objects.filter(is_active=True, team__isnull=False), user)
            field = cast(forms.ModelChoiceField, self.fields["owner"])
            field.queryset = owners.order_by("first_name", "username")
            field.initial = user.pk if user.team_id else None
        else:
            del self.fields["owner"]

    def clean_file(self) -> Any:
        from .contact_import.files import MAX_FILE_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                _("The file is larger than %(max)s MB.") % {"max": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload

    @property
    def chosen_owner(self) -> User:
        return cast(User, self.cleaned_data.get("owner") or self.user)
