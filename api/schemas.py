"""The API's request and response shapes (pydantic, through django-ninja)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints


def _storable(value: str) -> str:
    # PostgreSQL cannot store NUL, and a lone surrogate cannot be encoded as UTF-8: refuse
    # both up front (422) instead of failing at the database.
    if "\x00" in value:
        raise ValueError(_("Text cannot contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(_("Text must be valid Unicode (no lone surrogates).")) from error
    return value


def Text(max_length: int) -> type[str]:
    return Annotated[  # type: ignore[return-value]
        str, StringConstraints(max_length=max_length), AfterValidator(_storable)
    ]


Name = Annotated[str, StringConstraints(max_length=100), AfterValidator(_storable)]
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]


class Error(Schema):
    detail: str = Field(description="What went wrong, in the token owner's language.")
    errors: list[dict[str, object]] = Field(
        default_factory=list, description="Per-field problems of a 422, where there are any."
    )


class OrganizationRef(Schema):
    id: int
    name: str


class ContactOut(Schema):
    id: int
    external_id: str | None
    first_name: str
    last_name: str
    organization: OrganizationRef | None
    title: str
    email: str
    phone: str
    language: str
    address: str = Field(description="How note drafts address the person: formal or informal.")
    salutation: str
    tier: str
    owner_id: int
    team_id: int
    do_not_gift: bool
    compliance_review: bool
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime


Tier = Literal["A", "B", "C"]
Language = Literal["en", "de"]
Address = Literal["formal", "informal"]


class ContactIn(Schema):
    first_name: Name = ""
    last_name: Name = ""
    organization_id: Id | None = None
    title: Text(150) = ""  # type: ignore[valid-type]
    email: Text(254) = ""  # type: ignore[valid-type]
    phone: Text(50) = ""  # type: ignore[valid-type]
    language: Language = "de"
    address: Address = Field(
        "formal", description="formal: Sie, title and surname; informal: du, first name."
    )
    salutation: Text(40) = ""  # type: ignore[valid-type]
    tier: Tier = "B"
    owner_id: Id | None = Field(
        None, description="Team leads and admins only; by default the token's owner."
    )
    do_not_gift: bool = False
    compliance_review: bool = False


class ContactPatch(Schema):
    first_name: Name | None = None
    last_name: Name | None = None
    organization_id: Id | None = None
    title: Text(150) | None = None  # type: ignore[valid-type]
    email: Text(254) | None = None  # type: ignore[valid-type]
    phone: Text(50) | None = None  # type: ignore[valid-type]
    language: Language | None = None
    address: Address | None = None
    salutation: Text(40) | None = None  # type: ignore[valid-type]
    tier: Tier | None = None
    owner_id: Id | None = Field(None, description="Team leads and admins only.")
    do_not_gift: bool | None = None
    compliance_review: bool | None = None


class ArchiveIn(Schema):
    archived: bool = True


class FactOut(Schema):
    id: int | None = Field(None, description="Absent in a dry run (nothing is stored).")
    observation_id: int | None = None
    contact_id: int | None = None
    kind: str
    month: int | None = None
    day: int | None = None
    year: int | None = None
    date: dt.date | None = None
    subject: str = ""
    event: str = ""
    title: str = ""
    label: str = ""
    tag: str = ""
    sensitive: bool = False
    evidence: str = ""


class FactPatch(Schema):
    month: Annotated[int, Field(ge=1, le=12)] | None = None
    day: Annotated[int, Field(ge=1, le=31)] | None = None
    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    date: dt.date | None = None
    subject: Text(20) | None = None  # type: ignore[valid-type]
    event: Text(20) | None = None  # type: ignore[valid-type]
    title: Text(200) | None = None  # type: ignore[valid-type]
    label: Text(200) | None = None  # type: ignore[valid-type]
    tag: Text(50) | None = None  # type: ignore[valid-type]


class ObservationIn(Schema):
    contact_id: Id
    text: Annotated[
        str, StringConstraints(min_length=1, max_length=10_000), AfterValidator(_storable)
    ]
    noted_on: dt.date | None = Field(None, description="Default: today.")


class ObservationOut(Schema):
    id: int | None = Field(None, description="Absent in a dry run (nothing is stored).")
    contact_id: int
    text: str
    noted_on: dt.date
    language: str
    dry_run: bool
    facts: list[FactOut]


class SuggestionOut(Schema):
    id: int
    contact_id: int
    contact_name: str
    kind: str
    occasion: str
    status: str
    event_date: dt.date
    due_date: dt.date
    expires_on: dt.date
    gift_item_id: int | None
    price_eur: Decimal | None
    needs_approval: bool
    snoozed_until: dt.date | None
    reason: str
    reason_text: str
    explanation: str = Field(description="In the token owner's language.")
    draft: str | None = Field(
        description="The note's or gift card's draft in the contact's language; null for a call."
    )


class DismissIn(Schema):
    reason: Literal[
        "not_relevant", "wrong_timing", "too_expensive", "inappropriate", "already_done", "other"
    ]
    reason_text: Text(500) = ""  # type: ignore[valid-type]


class SnoozeIn(Schema):
    until: dt.date


class DoneIn(Schema):
    date: dt.date | None = Field(None, description="Default: today.")
    value_eur: Annotated[Decimal, Field(ge=0, le=999_999, decimal_places=2)] | None = None
    note: Text(2000) = ""  # type: ignore[valid-type]


class GestureOut(Schema):
    id: int
    contact_id: int
    kind: str
    date: dt.date
    gift_item_id: int | None
    value_eur: Decimal | None
    note: str
    by_id: int | None
    suggestion_id: int | None
    outcome_result: (
        Literal["thanked", "replied", "met", "referral", "new_order", "nothing_yet", "felt_wrong"]
        | None
    ) = Field(None, description="What came of it, once recorded.")
    outcome_note: str | None = None
    outcome_recorded_by_id: int | None = None
    outcome_recorded_at: dt.datetime | None = None


class OutcomeIn(Schema):
    result: Literal[
        "thanked", "replied", "met", "referral", "new_order", "nothing_yet", "felt_wrong"
    ]
    note: Text(500) = Field("", description="Required for felt_wrong.")  # type: ignore[valid-type]


class GestureIn(Schema):
    contact_id: Id
    kind: Literal["note", "call", "meeting"]
    date: dt.date | None = Field(None, description="Default: today.")
    value_eur: Annotated[Decimal, Field(ge=0, le=999_999, decimal_places=2)] | None = None
    note: Text(2000) = ""  # type: ignore[valid-type]


class GiftItemOut(Schema):
    id: int
    sku: str
    name: str = Field(description="In the token owner's language.")
    description: str
    price_eur: Decimal
    occasions: list[str]
    interests: list[str]
    contains_alcohol: bool
    food: bool
    dietary: list[str]
    lead_time_days: int
    in_stock: bool


class LedgerRowOut(Schema):
    gesture_id: int
    date: dt.date
    contact_id: int
    recipient: str
    organization: str
    team: str
    gift: str
    value_eur: Decimal | None
    given_by: str
    recipient_year_total_eur: Decimal
    limit_eur: Decimal
    over_limit: bool


class MeOut(Schema):
    id: int
    username: str
    role: str
    team_id: int | None
    language: str
