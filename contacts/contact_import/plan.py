"""What an import would do, row by row, before anything is written: each row is checked,
matched against stored contacts (external id, else e-mail) and against the rest of the
file, and gets an action. The queries go in batches, one per batch and kind of match."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ..duplicates import email_normalize, name_normalize, names_similar
from ..facts import FactDraft
from ..models import Contact, Fact, Observation, Team, User
from .files import Table

BATCH = 1000

CREATED, UPDATED, UNCHANGED, DUPLICATE, REJECTED = (
    "created",
    "updated",
    "unchanged",
    "duplicate",
    "rejected",
)

# The contact's own fields a file may set, with their longest allowed value.
CONTACT_FIELDS: dict[str, int] = {
    "first_name": 100,
    "last_name": 100,
    "email": 254,
    "phone": 50,
    "title": 150,
    "external_id": 100,
}


class RowRejected(Exception):
    pass


_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class YearlyDate:
    month: int
    day: int
    year: int | None

    def as_text(self, language: str) -> str:
        """Written the way the fact extractor reads it back, so editing the observation
        keeps the fact."""
        if language == "de":
            return f"{self.day:02d}.{self.month:02d}." + (f"{self.year}" if self.year else "")
        month = _MONTHS_EN[self.month - 1]
        return f"{self.day} {month}" + (f" {self.year}" if self.year else "")


@dataclass
class RowPlan:
    row: int
    values: dict[str, str] = field(default_factory=dict)
    organization: str = ""
    tier: str = ""
    owner_id: int | None = None
    birthday: YearlyDate | None = None
    anniversary: YearlyDate | None = None
    notes: str = ""
    action: str = CREATED
    reason: str = ""
    contact_id: int | None = None
    changes: list[str] = field(default_factory=list)
    # What is added besides the contact's fields.
    add_notes: bool = False
    add_birthday: bool = False
    add_anniversary: bool = False
    note_facts: list[FactDraft] | None = None
    note_language: str = "en"

    @property
    def name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


@dataclass
class ImportPlan:
    team: Team
    default_owner: User
    rows: list[RowPlan]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def rejected(self) -> list[RowPlan]:
        return [row for row in self.rows if row.action == REJECTED]

    def summary(self) -> dict[str, Any]:
        """The `import_contacts --json` shape."""
        return {
            "created": self.count(CREATED),
            "updated": self.count(UPDATED),
            "unchanged": self.count(UNCHANGED),
            "duplicates": self.count(DUPLICATE),
            "rejected": [{"row": row.row, "reason": row.reason} for row in self.rejected],
        }

    def duplicates(self) -> list[dict[str, Any]]:
        return [
            {"row": row.row, "reason": row.reason} for row in self.rows if row.action == DUPLICATE
        ]


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")  # vCard 4.0 and Google: --MM-DD
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2,4})?$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Outlook writes an empty birthday as 0.0.00 (German) or 0/0/00 (English).
_EMPTY_DATE = re.compile(r"^0+[./]0+[./]0+$")


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    if year < 100:  # Outlook's two-digit years
        year += 1900 if year > 30 else 2000
    return year


def yearly_date_parse(text: str) -> YearlyDate | None:
    """A birthday as the sources write it: ISO (Google, HubSpot, vCard), 14.03.1980
    (German Outlook and Excel), 3/14/1980 (English Outlook), --03-14 (no year)."""
    text = text.strip()
    if not text or _EMPTY_DATE.match(text):
        return None
    month = day = None
    year: int | None = None
    if m := _ISO.match(text) or _COMPACT.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _NO_YEAR.match(text):
        month, day = int(m[1]), int(m[2])
    elif m := _DOTTED.match(text):
        day, month, year = int(m[1]), int(m[2]), _year(m[3])
    elif m := _SLASHED.match(text):
        month, day, year = int(m[1]), int(m[2]), _year(m[3])
    else:
        raise RowRejected(_("invalid date %(value)s") % {"value": _quoted(text)})
    try:
        date(year or 2000, month, day)
    except ValueError as error:
        raise RowRejected(_("invalid date %(value)s") % {"value": _quoted(text)}) from error
    if year is not None and not 1900 <= year <= 2200:
        raise RowRejected(_("invalid date %(value)s") % {"value": _quoted(text)})
    return YearlyDate(month=month, day=day, year=year)


def _quoted(value: str) -> str:
    return "'" + (value if len(value) <= 60 else value[:57] + "…") + "'"


class _Owners:
    """The team's members, found by username, e-mail or full name."""

    def __init__(self, team: Team) -> None:
        self.by_key: dict[str, User] = {}
        members = User.objects.filter(is_active=True).filter(team=team)
        for user in members.order_by("pk"):
            for key in (user.username, user.email, user.get_full_name()):
                if key:
                    self.by_key.setdefault(key.casefold(), user)

    def find(self, text: str) -> User:
        user = self.by_key.get(text.strip().casefold())
        if user is None:
            raise RowRejected(_("unknown owner %(value)s") % {"value": _quoted(text)})
        return user


def _row_read(
    number: int, cells: Sequence[str], mapping: dict[str, str], owners: _Owners
) -> RowPlan:
    raw = {field: cells[int(index)] for index, field in mapping.items() if int(index) < len(cells)}
    plan = RowPlan(row=number)
    try:
        first, last = raw.get("first_name", ""), raw.get("last_name", "")
        if not (first or last) and raw.get("full_name"):
            first, _sep, last = raw["full_name"].rpartition(" ")
            if not first:
                first, last = last, ""
        if not (first or last):
            raise RowRejected(_("a contact needs a first or a last name"))
        plan.values["first_name"], plan.values["last_name"] = first, last
        for name in ("email", "phone", "title", "external_id"):
            if raw.get(name):
                plan.values[name] = raw[name]
        if "email" in plan.values:
            plan.values["email"] = plan.values["email"].strip()
            try:
                validate_email(plan.values["email"])
            except ValidationError as error:
                raise RowRejected(
                    _("invalid e-mail %(value)s") % {"value": _quoted(plan.values["email"])}
                ) from error
        for name, limit in CONTACT_FIELDS.items():
            if len(plan.values.get(name, "")) > limit:
                raise RowRejected(
                    _("%(field)s is longer than %(max)s characters")
                    % {"field": name.replace("_", " "), "max": limit}
                )
        plan.organization = raw.get("organization", "")
        if len(plan.organization) > 200:
            raise RowRejected(_("the organization is longer than 200 characters"))
        if raw.get("tier"):
            plan.tier = raw["tier"].strip().upper()
            if plan.tier not in Contact.Tier.values:
                raise RowRejected(
                    _("tier must be A, B or C, not %(value)s") % {"value": _quoted(raw["tier"])}
                )
        if raw.get("owner"):
            plan.owner_id = owners.find(raw["owner"]).pk
        if raw.get("birthday"):
            try:
                plan.birthday = yearly_date_parse(raw["birthday"])
            except RowRejected as error:
                raise RowRejected(_("birthday: %(reason)s") % {"reason": error}) from error
        if raw.get("anniversary"):
            try:
                plan.anniversary = yearly_date_parse(raw["anniversary"])
            except RowRejected as error:
                raise RowRejected(_("anniversary: %(reason)s") % {"reason": error}) from error
        plan.notes = raw.get("notes", "").replace("\r\n", "\n").strip()
        if len(plan.notes) > 10_000:
            raise RowRejected(_("the notes are longer than 10,000 characters"))
    except RowRejected as error:
        plan.action, plan.reason = REJECTED, str(error)
    return plan


def _batches(rows: Sequence[RowPlan]) -> Iterator[Sequence[RowPlan]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


_COMPARED = ("first_name", "last_name", "email", "phone", "title", "external_id")


def import_plan(
    table: Table,
    mapping: dict[str, str],
    *,
    team: Team,
    default_owner: User,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Check and match every row; nothing is written."""
    owners = _Owners(team)
    rows = [_row_read(number, cells, mapping, owners) for number, cells in table.rows]
    plan = ImportPlan(team=team, default_owner=default_owner, rows=rows)
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    seen_names: dict[tuple[str, str], int] = {}
    done = 0
    for batch in _batches(rows):
        _match_batch(batch, team, seen_ids, seen_emails, seen_names)
        done += len(batch)
        if progress is not None:
            progress(done)
    plan_mark_new_rows(plan)
    return plan


def _match_batch(
    batch: Sequence[RowPlan],
    team: Team,
    seen_ids: dict[str, int],
    seen_emails: dict[str, int],
    seen_names: dict[tuple[str, str], int],
) -> None:
    live = [row for row in batch if row.action != REJECTED]
    ids = {row.values["external_id"] for row in live if row.values.get("external_id")}
    emails = {email_normalize(row.values["email"]) for row in live if row.values.get("email")}
    columns = ("pk", "team_id", "owner_id", "tier", "organization__name", *_COMPARED)
    by_id = {
        c["external_id"]: c for c in Contact.objects.filter(external_id__in=ids).values(*columns)
    }
    by_email: dict[str, dict[str, Any]] = {}
    for found in (
        Contact.objects.filter(team=team)
        .annotate(email_key=Lower("email"))
        .filter(email_key__in=emails)
        .order_by("pk")
        .values("email_key", *columns)
    ):
        by_email.setdefault(found["email_key"], found)

    for row in live:
        external_id = row.values.get("external_id", "")
        email = email_normalize(row.values.get("email", ""))
        if external_id and external_id in seen_ids:
            row.action, row.reason = (
                DUPLICATE,
                _("same external id as row %(row)s") % {"row": seen_ids[external_id]},
            )
            continue
        if email and email in seen_emails:
            row.action, row.reason = (
                DUPLICATE,
                _("same e-mail as row %(row)s") % {"row": seen_emails[email]},
            )
            continue
        stored: dict[str, Any] | None = by_id.get(external_id) if external_id else None
        if stored is not None and stored["team_id"] != team.pk:
            row.action = REJECTED
            row.reason = _("external id %(value)s belongs to a contact of another team") % {
                "value": _quoted(external_id)
            }
            continue
        if stored is None and email:
            stored = by_email.get(email)
            if stored is not None and stored["external_id"] and external_id:
                stored = None  # another person with an id of their own and the same address
        if external_id:
            seen_ids[external_id] = row.row
        if email:
            seen_emails[email] = row.row
        if stored is not None:
            row.contact_id = stored["pk"]
            row.changes = _changes(row, stored)
            row.action = UPDATED if row.changes else UNCHANGED
            continue
        key = (
            name_normalize(row.values["first_name"], row.values["last_name"]),
            row.organization.casefold(),
        )
        if row.organization and key in seen_names:
            row.action, row.reason = (
                DUPLICATE,
                _("same name and organization as row %(row)s") % {"row": seen_names[key]},
            )
            continue
        if row.organization:
            seen_names[key] = row.row
        row.action = CREATED

    _mark_stored_duplicates([row for row in live if row.action == CREATED], team)
    _mark_additions([row for row in live if row.action in {UPDATED, UNCHANGED}])


def _changes(row: RowPlan, stored: dict[str, Any]) -> list[str]:
    changes = [
        name
        for name in _COMPARED
        if row.values.get(name) and row.values[name] != (stored[name] or "")
    ]
    if (
        row.organization
        and row.organization.casefold() != (stored["organization__name"] or "").casefold()
    ):
        changes.append("organization")
    if row.tier and row.tier != stored["tier"]:
        changes.append("tier")
    if row.owner_id is not None and row.owner_id != stored["owner_id"]:
        changes.append("owner")
    return changes


def _mark_stored_duplicates(rows: list[RowPlan], team: Team) -> None:
    """New rows whose name is (nearly) that of a stored contact of the same organization
    are likely the same person: they are not created, so a second file with other
    columns does not double the team's contacts."""
    organizations = {row.organization.casefold() for row in rows if row.organization}
    if not organizations:
        return
    stored_by_org: dict[str, list[tuple[str, str]]] = {}
    for contact in (
        Contact.objects.filter(team=team)
        .annotate(org_key=Lower("organization__name"))
        .filter(org_key__in=organizations)
        .values("org_key", "first_name", "last_name")
    ):
        stored_by_org.setdefault(contact["org_key"], []).append(
            (
                name_normalize(contact["first_name"], contact["last_name"]),
                f"{contact['first_name']} {contact['last_name']}".strip(),
            )
        )
    for row in rows:
        candidates = stored_by_org.get(row.organization.casefold(), [])
        name = name_normalize(row.values["first_name"], row.values["last_name"])
        for stored_name, display in candidates:
            if names_similar(name, stored_name):
                row.action = DUPLICATE
                row.reason = _("likely the same person as %(name)s (%(organization)s)") % {
                    "name": display,
                    "organization": row.organization,
                }
                break


def _mark_additions(rows: list[RowPlan]) -> None:
    """A matched row still adds its notes, birthday or anniversary if they are not stored:
    the same text again, or a birthday already known, adds nothing."""
    ids = [row.contact_id for row in rows]
    texts = {
        (o["contact_id"], o["text"])
        for o in Observation.objects.filter(contact_id__in=ids).values("contact_id", "text")
    }
    yearly = {
        (f["contact_id"], f["kind"], f["month"], f["day"])
        for f in Fact.objects.filter(
            contact_id__in=ids, kind__in=[Fact.Kind.BIRTHDAY, Fact.Kind.ANNIVERSARY]
        ).values("contact_id", "kind", "month", "day")
    }
    for row in rows:
        row.add_notes = bool(row.notes) and (row.contact_id, row.notes) not in texts
        row.add_birthday = (
            row.birthday is not None
            and (row.contact_id, Fact.Kind.BIRTHDAY, row.birthday.month, row.birthday.day)
            not in yearly
        )
        row.add_anniversary = (
            row.anniversary is not None
            and (row.contact_id, Fact.Kind.ANNIVERSARY, row.anniversary.month, row.anniversary.day)
            not in yearly
        )
        if row.add_notes:
            row.changes.append("notes")
        if row.add_birthday:
            row.changes.append("birthday")
        if row.add_anniversary:
            row.changes.append("anniversary")
        if row.changes:
            row.action = UPDATED


def plan_mark_new_rows(plan: ImportPlan) -> None:
    for row in plan.rows:
        if row.action == CREATED:
            row.add_notes = bool(row.notes)
            row.add_birthday = row.birthday is not None
            row.add_anniversary = row.anniversary is not None
