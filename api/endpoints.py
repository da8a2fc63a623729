"""The API's endpoints, by resource; each asks contacts.permissions like the pages do."""

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from contacts.facts import FactDraft, fact_draft_clean
from contacts.models import Contact, Fact, Observation, Organization, User
from contacts.permissions import get_changeable_or_404, get_visible_or_404, scope_to_user
from contacts.selectors import contacts_matching, contacts_visible, taxonomy_current
from contacts.services import (
    contact_create,
    contact_set_archived,
    contact_update,
    observation_create,
    observation_extract,
)
from gestures import loaders, services
from gestures.dispatch import contact_rescan_on_commit
from gestures.models import Gesture, GiftItem, Suggestion
from gestures.outcomes import gesture_outcome_record
from gestures.reports import gift_year_total, ledger_gifts
from privacy.need_to_know import explanation_text_for, fact_rows_for, hidden_quotes

from . import schemas as s
from .api import ERRORS, Pagination, user_of

router = Router()
ID = s.Id


def _resp(ok: Any, *extra: int, status: int = 200) -> dict[Any, Any]:
    return {status: ok, ERRORS | frozenset(extra): s.Error}


@router.get("/me", response=_resp(s.MeOut), tags=["account"])
def me(request: HttpRequest) -> Any:
    """The token's owner: who the API acts as."""
    user = user_of(request)
    return {name: getattr(user, name) for name in s.MeOut.model_fields}


# -- contacts -------------------------------------------------------------------------------


class ContactFilters(Schema):
    q: s.Text(100) = ""  # type: ignore[valid-type]
    tier: s.Tier | None = None
    owner: s.Id | None = None
    organization: s.Id | None = None
    archived: bool = False


def _contact_out(contact: Contact) -> dict[str, Any]:
    organization = contact.organization
    return {
        **{name: getattr(contact, name) for name in s.ContactOut.model_fields},
        "organization": (
            {"id": organization.pk, "name": organization.name} if organization else None
        ),
    }


@router.get("/contacts", response=_resp(list[s.ContactOut]), tags=["contacts"])
@paginate(Pagination)
def contacts_list(request: HttpRequest, filters: Query[ContactFilters]) -> Any:
    """The contacts of the token owner's team (all teams for an admin); `q` searches name,
    organization and e-mail, every word must match."""
    queryset = contacts_visible(user=user_of(request)).filter(archived=filters.archived)
    queryset = contacts_matching(queryset, filters.q)
    if filters.tier:
        queryset = queryset.filter(tier=filters.tier)
    if filters.owner:
        queryset = queryset.filter(owner_id=filters.owner)
    if filters.organization:
        queryset = queryset.filter(organization_id=filters.organization)
    contacts = queryset.select_related("organization").order_by("last_name", "first_name", "pk")
    return _ContactPage(contacts)


class _ContactPage:
    """A queryset whose page is turned into the output shape after slicing."""

    def __init__(self, queryset: QuerySet[Contact]) -> None:
        self.queryset = queryset

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [_contact_out(contact) for contact in self.queryset[page]]

    def __len__(self) -> int:
        return self.queryset.count()


@router.get("/contacts/{contact_id}", response=_resp(s.ContactOut), tags=["contacts"])
def contact_get(request: HttpRequest, contact_id: ID) -> Any:
    contact = get_visible_or_404(
        Contact.objects.select_related("organization"), user_of(request), pk=contact_id
    )
    return _contact_out(contact)


def _contact_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    fields = dict(data)
    if "organization_id" in fields:
        organization_id = fields.pop("organization_id")
        # Organizations are shared by all teams, as in the contact form.
        fields["organization"] = None if organization_id is None else _organization(organization_id)
    if "owner_id" in fields:
        owner_id = fields.pop("owner_id")
        if owner_id is not None:
            if not (user.is_team_lead or user.is_admin):
                raise ValidationError(
                    {"owner_id": _("Only team leads and admins assign contacts to others.")}
                )
            owner = scope_to_user(User.objects.filter(is_active=True), user).filter(pk=owner_id)
            fields["owner"] = owner.first()
            if fields["owner"] is None:
                raise ValidationError({"owner_id": _("No such user in your team.")})
    return fields


def _organization(organization_id: int) -> Organization:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise ValidationError({"organization_id": _("No such organization.")})
    return organization


@router.post("/contacts", response=_resp(s.ContactOut, status=201), tags=["contacts"])
def contacts_create(request: HttpRequest, payload: s.ContactIn) -> Any:
    user = user_of(request)
    fields = _contact_fields(user, payload.dict())
    owner = fields.pop("owner", user)
    team = owner.team or user.team
    if team is None:
        raise ValidationError({"owner_id": _("Choose the team this contact belongs to.")})
    contact = contact_create(team=team, owner=owner, **fields)
    return Status(201, _contact_out(contact))


@router.patch("/contacts/{contact_id}", response=_resp(s.ContactOut), tags=["contacts"])
def contacts_update(request: HttpRequest, contact_id: ID, payload: s.ContactPatch) -> Any:
    user = user_of(request)
    contact = get_changeable_or_404(Contact.objects.all(), user, pk=contact_id)
    fields = _contact_fields(user, payload.dict(exclude_unset=True))
    fields = {
        name: value for name, value in fields.items() if value is not None or name == "organization"
    }
    contact = contact_update(contact=contact, **fields)
    return _contact_out(contact)


@router.post("/contacts/{contact_id}/archive", response=_resp(s.ContactOut), tags=["contacts"])
def contacts_archive(request: HttpRequest, contact_id: ID, payload: s.ArchiveIn) -> Any:
    """Archive (or, with `archived: false`, restore) a contact."""
    contact = get_changeable_or_404(Contact.objects.all(), user_of(request), pk=contact_id)
    return _contact_out(contact_set_archived(contact=contact, archived=payload.archived))


# -- observations and facts -----------------------------------------------------------------


def _draft_out(draft: FactDraft) -> dict[str, Any]:
    return {
        "kind": draft.kind,
        **{name: getattr(draft, name) for name in s.FactPatch.model_fields},
        "sensitive": draft.sensitive,
        "evidence": draft.evidence,
    }


def _fact_out(fact: Fact) -> dict[str, Any]:
    return {name: getattr(fact, name) for name in s.FactOut.model_fields}


@router.post("/observations", response=_resp(s.ObservationOut, status=201), tags=["observations"])
def observations_create(
    request: HttpRequest, payload: s.ObservationIn, dry_run: bool = False
) -> Any:
    """Log an observation; the answer holds the facts read in it. With `dry_run=true`
    nothing is stored: the answer previews the facts."""
    user = user_of(request)
    contact = get_visible_or_404(
        Contact.objects.filter(archived=False), user, pk=payload.contact_id
    )
    noted_on = payload.noted_on or timezone.localdate()
    if dry_run:
        language, drafts = observation_extract(text=payload.text, noted_on=noted_on)
        return Status(
            201,
            {
                "contact_id": contact.pk,
                "text": payload.text,
                "noted_on": noted_on,
                "language": language,
                "dry_run": True,
                "facts": [_draft_out(draft) for draft in drafts],
            },
        )
    observation = observation_create(
        contact=contact, author=user, text=payload.text, noted_on=noted_on
    )
    return Status(
        201,
        {
            "id": observation.pk,
            "contact_id": contact.pk,
            "text": observation.text,
            "noted_on": observation.noted_on,
            "language": observation.language,
            "dry_run": False,
            "facts": [_fact_out(fact) for fact in observation.facts.order_by("pk")],
        },
    )


class FactFilters(Schema):
    contact: s.Id | None = None
    kind: s.Text(20) = ""  # type: ignore[valid-type]


@router.get("/facts", response=_resp(list[s.FactOut]), tags=["facts"])
@paginate(Pagination)
def facts_list(request: HttpRequest, filters: Query[FactFilters]) -> Any:
    facts = scope_to_user(Fact.objects.all(), user_of(request), team_field="contact__team")
    if filters.contact:
        facts = facts.filter(contact_id=filters.contact)
    if filters.kind:
        facts = facts.filter(kind=filters.kind)
    return _FactPage(facts.order_by("contact_id", "pk"), user_of(request))


class _FactPage:
    """Facts as rows; an Art. 9 fact a colleague has no need to know is masked
    (privacy.need_to_know)."""

    def __init__(self, queryset: QuerySet[Fact], user: User) -> None:
        self.queryset = queryset
        self.user = user

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        rows = list(
            self.queryset[page].values(
                *s.FactOut.model_fields,
                "observation__author_id",
                "contact__owner_id",
                "contact__team_id",
            )
        )
        return fact_rows_for(self.user, rows)

    def __len__(self) -> int:
        return self.queryset.count()


@router.patch("/facts/{fact_id}", response=_resp(s.FactOut), tags=["facts"])
def facts_correct(request: HttpRequest, fact_id: ID, payload: s.FactPatch) -> Any:
    """Correct what was read (a date, a title, a tag); the same checks as the review form.
    Allowed to whoever may change the observation (its author, a team lead)."""
    user = user_of(request)
    fact = get_visible_or_404(
        Fact.objects.select_related("contact", "observation__contact"), user, pk=fact_id
    )
    get_changeable_or_404(
        Observation.objects.select_related("contact"), user, pk=fact.observation_id
    )
    changes = payload.dict(exclude_unset=True)
    draft = FactDraft(
        kind=fact.kind,
        **{name: changes.get(name, getattr(fact, name)) for name in s.FactPatch.model_fields},
        sensitive=fact.sensitive,
        evidence=fact.evidence,
    )
    clean = fact_draft_clean(draft, interest_tags=set(taxonomy_current().slugs))
    for name in Fact.CONTENT_FIELDS:
        setattr(fact, name, getattr(clean, name))
    fact.sensitive = clean.sensitive
    fact.full_clean()
    fact.save()
    contact_rescan_on_commit(contact_id=fact.contact_id)
    return _fact_out(fact)


# -- suggestions ----------------------------------------------------------------------------


class SuggestionFilters(Schema):
    status: s.Text(20) = ""  # type: ignore[valid-type]
    occasion: s.Text(20) = ""  # type: ignore[valid-type]
    kind: s.Text(10) = ""  # type: ignore[valid-type]
    contact: s.Id | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None


OPEN_STATUSES = (
    Suggestion.Status.PENDING,
    Suggestion.Status.CONFIRMED,
    Suggestion.Status.AWAITING_APPROVAL,
    Suggestion.Status.APPROVED,
    Suggestion.Status.SNOOZED,
)


class _SuggestionPage:
    def __init__(self, queryset: QuerySet[Suggestion], user: User) -> None:
        self.queryset = queryset
        self.user = user
        self.language = user.language

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        rows = list(self.queryset[page])
        if not rows:
            return []
        names = loaders.interest_names()
        today = timezone.localdate()
        hidden = hidden_quotes(self.user, rows)
        return [_suggestion_out(row, self.language, today, names, hidden) for row in rows]

    def __len__(self) -> int:
        return self.queryset.count()


def _suggestion_out(
    suggestion: Suggestion,
    language: str,
    today: dt.date,
    names: dict[str, tuple[str, str]],
    hidden: Mapping[int, frozenset[str] | None],
) -> dict[str, Any]:
    return {
        "id": suggestion.pk,
        "contact_id": suggestion.contact_id,
        "contact_name": suggestion.contact.full_name,
        "kind": suggestion.kind,
        "occasion": suggestion.occasion,
        "status": suggestion.status,
        "event_date": suggestion.event_date,
        "due_date": suggestion.due_date,
        "expires_on": suggestion.expires_on,
        "gift_item_id": suggestion.gift_item_id,
        "price_eur": suggestion.price_eur,
        "needs_approval": suggestion.needs_approval,
        "snoozed_until": suggestion.snoozed_until,
        "reason": suggestion.reason,
        "reason_text": suggestion.reason_text,
        "explanation": explanation_text_for(
            suggestion, hidden=hidden, language=language, today=today, names=names
        ),
        "draft": suggestion.draft_or_none,
    }


@router.get("/suggestions", response=_resp(list[s.SuggestionOut]), tags=["suggestions"])
@paginate(Pagination)
def suggestions_list(request: HttpRequest, filters: Query[SuggestionFilters]) -> Any:
    """Suggestions for the team's contacts (open ones unless `status` says otherwise),
    soonest due first, each explained in the token owner's language."""
    user = user_of(request)
    queryset = scope_to_user(
        Suggestion.objects.filter(contact__archived=False), user, team_field="contact__team"
    )
    queryset = (
        queryset.filter(status=filters.status)
        if filters.status
        else queryset.filter(status__in=OPEN_STATUSES)
    )
    if filters.occasion:
        queryset = queryset.filter(occasion=filters.occasion)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.contact:
        queryset = queryset.filter(contact_id=filters.contact)
    if filters.due_from:
        queryset = queryset.filter(due_date__gte=filters.due_from)
    if filters.due_to:
        queryset = queryset.filter(due_date__lte=filters.due_to)
    queryset = queryset.select_related("contact").order_by("due_date", "-score", "pk")
    return _SuggestionPage(queryset, user)


def _changeable_suggestion(request: HttpRequest, suggestion_id: int) -> Suggestion:
    return get_changeable_or_404(
        Suggestion.objects.select_related("contact").filter(contact__archived=False),
        user_of(request),
        pk=suggestion_id,
    )


def _answer(request: HttpRequest, suggestion: Suggestion) -> dict[str, Any]:
    suggestion.refresh_from_db()
    user = user_of(request)
    return _suggestion_out(
        suggestion,
        user.language,
        timezone.localdate(),
        loaders.interest_names(),
        hidden_quotes(user, [suggestion]),
    )


@router.post(
    "/suggestions/{suggestion_id}/confirm",
    response=_resp(s.SuggestionOut, 409),
    tags=["suggestions"],
)
def suggestions_confirm(request: HttpRequest, suggestion_id: ID) -> Any:
    """A note or call becomes to do; a gift that needs approval goes to the team lead."""
    suggestion = _changeable_suggestion(request, suggestion_id)
    services.suggestion_confirm(suggestion=suggestion, by=user_of(request))
    return _answer(request, suggestion)


@router.post(
    "/suggestions/{suggestion_id}/dismiss",
    response=_resp(s.SuggestionOut, 409),
    tags=["suggestions"],
)
def suggestions_dismiss(request: HttpRequest, suggestion_id: ID, payload: s.DismissIn) -> Any:
    suggestion = _changeable_suggestion(request, suggestion_id)
    services.suggestion_dismiss(
        suggestion=suggestion,
        by=user_of(request),
        reason=payload.reason,
        reason_text=payload.reason_text,
    )
    return _answer(request, suggestion)


@router.post(
    "/suggestions/{suggestion_id}/snooze",
    response=_resp(s.SuggestionOut, 409),
    tags=["suggestions"],
)
def suggestions_snooze(request: HttpRequest, suggestion_id: ID, payload: s.SnoozeIn) -> Any:
    suggestion = _changeable_suggestion(request, suggestion_id)
    services.suggestion_snooze(suggestion=suggestion, by=user_of(request), until=payload.until)
    return _answer(request, suggestion)


@router.post(
    "/suggestions/{suggestion_id}/done",
    response=_resp(s.GestureOut, 409, status=201),
    tags=["suggestions"],
)
def suggestions_done(request: HttpRequest, suggestion_id: ID, payload: s.DoneIn) -> Any:
    """Record the gesture that was made; answers the gesture."""
    suggestion = _changeable_suggestion(request, suggestion_id)
    gesture = services.suggestion_mark_done(
        suggestion=suggestion,
        by=user_of(request),
        date=payload.date or timezone.localdate(),
        value_eur=payload.value_eur,
        note=payload.note,
    )
    return Status(201, _gesture_out(gesture))


# -- gestures -------------------------------------------------------------------------------


class GestureFilters(Schema):
    contact: s.Id | None = None
    kind: s.Text(10) = ""  # type: ignore[valid-type]
    date_from: dt.date | None = None
    date_to: dt.date | None = None


# The outcome's columns, read through the gesture's one outcome row.
GESTURE_OUTCOME_FIELDS = {
    "outcome_result": F("outcome__result"),
    "outcome_note": F("outcome__note"),
    "outcome_recorded_by_id": F("outcome__recorded_by"),
    "outcome_recorded_at": F("outcome__recorded_at"),
}
GESTURE_FIELDS = tuple(s.GestureOut.model_fields)


def _gesture_out(gesture: Gesture) -> dict[str, Any]:
    return (
        Gesture.objects.filter(pk=gesture.pk)
        .annotate(**GESTURE_OUTCOME_FIELDS)
        .values(*GESTURE_FIELDS)
        .get()
    )


@router.get("/gestures", response=_resp(list[s.GestureOut]), tags=["gestures"])
@paginate(Pagination)
def gestures_list(request: HttpRequest, filters: Query[GestureFilters]) -> Any:
    gestures = scope_to_user(Gesture.objects.all(), user_of(request), team_field="contact__team")
    if filters.contact:
        gestures = gestures.filter(contact_id=filters.contact)
    if filters.kind:
        gestures = gestures.filter(kind=filters.kind)
    if filters.date_from:
        gestures = gestures.filter(date__gte=filters.date_from)
    if filters.date_to:
        gestures = gestures.filter(date__lte=filters.date_to)
    return (
        gestures.annotate(**GESTURE_OUTCOME_FIELDS).order_by("-date", "-pk").values(*GESTURE_FIELDS)
    )


@router.post("/gestures", response=_resp(s.GestureOut, status=201), tags=["gestures"])
def gestures_log(request: HttpRequest, payload: s.GestureIn) -> Any:
    """A note, call or meeting done without a suggestion."""
    user = user_of(request)
    contact = get_changeable_or_404(
        Contact.objects.filter(archived=False), user, pk=payload.contact_id
    )
    gesture = services.gesture_log(
        contact=contact,
        by=user,
        kind=payload.kind,
        date=payload.date or timezone.localdate(),
        value_eur=payload.value_eur,
        note=payload.note,
    )
    return Status(201, _gesture_out(gesture))


@router.post("/gestures/{gesture_id}/outcome", response=_resp(s.GestureOut), tags=["gestures"])
def gestures_outcome(request: HttpRequest, gesture_id: ID, payload: s.OutcomeIn) -> Any:
    """Record or correct what came of a gesture (its owner, the team lead, admins; anyone
    else gets 404); answers the gesture."""
    user = user_of(request)
    gesture = get_changeable_or_404(
        Gesture.objects.select_related("contact").filter(contact__archived=False),
        user,
        pk=gesture_id,
    )
    gesture_outcome_record(gesture=gesture, by=user, result=payload.result, note=payload.note)
    return _gesture_out(gesture)


# -- catalog and ledger ---------------------------------------------------------------------


class _CatalogPage:
    def __init__(self, queryset: QuerySet[GiftItem], language: str) -> None:
        self.queryset = queryset
        self.language = language

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [
            {
                "id": item.pk,
                "sku": item.sku,
                "name": item.name_in(self.language),
                "description": item.description_in(self.language),
                "price_eur": item.price_eur,
                "occasions": list(item.occasions),
                "interests": [tag.slug for tag in item.tags.all()],
                "contains_alcohol": item.contains_alcohol,
                "food": item.food,
                "dietary": list(item.dietary),
                "lead_time_days": item.lead_time_days,
                "in_stock": item.in_stock,
            }
            for item in self.queryset[page]
        ]

    def __len__(self) -> int:
        return self.queryset.count()


@router.get("/catalog", response=_resp(list[s.GiftItemOut]), tags=["catalog"])
@paginate(Pagination)
def catalog_list(request: HttpRequest) -> Any:
    """The active gift items, by price."""
    items = (
        GiftItem.objects.filter(active=True).prefetch_related("tags").order_by("price_eur", "sku")
    )
    return _CatalogPage(items, user_of(request).language)


class _LedgerPage:
    def __init__(self, queryset: QuerySet[Gesture]) -> None:
        self.queryset = queryset

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        rows = []
        for gift in self.queryset[page]:
            year_total = gift_year_total(gift)
            contact = gift.contact
            rows.append(
                {
                    "gesture_id": gift.pk,
                    "date": gift.date,
                    "contact_id": contact.pk,
                    "recipient": contact.full_name,
                    "organization": contact.organization.name if contact.organization else "",
                    "team": contact.team.name,
                    "gift": gift.gift_item.name if gift.gift_item else "",
                    "value_eur": gift.value_eur,
                    "given_by": gift.by.display_name if gift.by else "",
                    "recipient_year_total_eur": year_total.total_eur,
                    "limit_eur": year_total.limit_eur,
                    "over_limit": year_total.over_limit,
                }
            )
        return rows

    def __len__(self) -> int:
        return self.queryset.count()


Year = Annotated[int, Field(ge=2000, le=2200)]


@router.get("/ledger", response=_resp(list[s.LedgerRowOut], 403), tags=["ledger"])
@paginate(Pagination)
def ledger_list(request: HttpRequest, year: Year | None = None) -> Any:
    """Every gift of a calendar year (default: this one), for team leads and admins."""
    user = user_of(request)
    if not (user.is_team_lead or user.is_admin):
        raise HttpError(403, _("The gift ledger is for team leads and admins."))
    return _LedgerPage(ledger_gifts(user=user, team=None, year=year or timezone.localdate().year))
