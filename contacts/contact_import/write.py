"""Writing a checked import plan: organizations, contacts, and the observations and facts
of the notes, birthday and anniversary columns, in one transaction and in bulk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..facts import FactDraft, fact_draft_clean
from ..models import Contact, Fact, Observation, Organization, User
from ..selectors import taxonomy_current
from ..services import observation_extract
from .plan import BATCH, CREATED, REJECTED, UPDATED, ImportPlan, RowPlan, YearlyDate

CHANGE_REASON = "contact import"


class ImportRefused(Exception):
    """The plan has rejected rows: nothing is written."""


def plan_extract(
    plan: ImportPlan, *, noted_on: date, progress: Callable[[int], None] | None = None
) -> None:
    """Read the facts in each note that will be added, as if it had been typed."""
    done = 0
    for row in plan.rows:
        if row.add_notes and row.action in {CREATED, UPDATED} and row.note_facts is None:
            row.note_language, row.note_facts = observation_extract(
                text=row.notes, noted_on=noted_on
            )
        done += 1
        if progress is not None and done % 250 == 0:
            progress(done)
    if progress is not None:
        progress(done)


def _organizations(plan: ImportPlan, by: User | None) -> dict[str, Organization]:
    names = {
        row.organization
        for row in plan.rows
        if row.organization and row.action in {CREATED, UPDATED}
    }
    found: dict[str, Organization] = {}
    wanted = {name.casefold() for name in names}
    if wanted:
        for organization in Organization.objects.order_by("pk"):
            key = organization.name.casefold()
            if key in wanted:
                found.setdefault(key, organization)
    missing: dict[str, Organization] = {}
    for name in sorted(names):
        if name.casefold() not in found and name.casefold() not in missing:
            missing[name.casefold()] = Organization(name=name)
    if missing:
        bulk_create_with_history(
            list(missing.values()),
            Organization,
            batch_size=BATCH,
            default_user=by,
            default_change_reason=CHANGE_REASON,
        )
        found.update(missing)
    return found


def _contact_apply(contact: Contact, row: RowPlan, organizations: dict[str, Organization]) -> None:
    for name, value in row.values.items():
        if value:
            setattr(contact, name, value)
    if row.organization:
        contact.organization = organizations[row.organization.casefold()]
    if row.tier:
        contact.tier = row.tier
    if row.owner_id is not None:
        contact.owner_id = row.owner_id


def _noted_already(row: RowPlan, kind: str) -> bool:
    """The note of the same row names the same birthday or anniversary already."""
    when = row.birthday if kind == Fact.Kind.BIRTHDAY else row.anniversary
    return when is not None and any(
        f.kind == kind and (f.month, f.day) == (when.month, when.day)
        for f in (row.note_facts or [])
        if row.add_notes
    )


def _yearly_text(when: YearlyDate, kind: str, language: str) -> str:
    if language == "de":
        label = "Geburtstag" if kind == Fact.Kind.BIRTHDAY else "Hochzeitstag"
    else:
        label = "Birthday" if kind == Fact.Kind.BIRTHDAY else "Wedding anniversary"
    return f"{label}: {when.as_text(language)}"


@transaction.atomic
def plan_write(plan: ImportPlan, *, by: User | None, noted_on: date) -> None:
    """Write the plan; `by` is recorded in the history and, when set, is the author of
    the observations (else each contact's owner)."""
    if plan.rejected:
        raise ImportRefused(_("%(count)s row(s) rejected") % {"count": len(plan.rejected)})
    organizations = _organizations(plan, by)
    active = [row for row in plan.rows if row.action in {CREATED, UPDATED}]
    new_rows = [row for row in active if row.action == CREATED]
    contacts: dict[int, Contact] = {}
    created: list[Contact] = []
    for row in new_rows:
        contact = Contact(team=plan.team, owner=plan.default_owner)
        _contact_apply(contact, row, organizations)
        contact.full_clean(
            exclude=["owner", "team", "organization"],
            validate_unique=False,
            validate_constraints=False,
        )
        created.append(contact)
    bulk_create_with_history(
        created, Contact, batch_size=BATCH, default_user=by, default_change_reason=CHANGE_REASON
    )
    for row, contact in zip(new_rows, created, strict=True):
        row.contact_id = contact.pk
        contacts[contact.pk] = contact

    changed_rows = [row for row in active if row.action == UPDATED]
    stored = Contact.objects.in_bulk([row.contact_id for row in changed_rows])
    changed: list[Contact] = []
    now = timezone.now()
    for row in changed_rows:
        contact = stored[row.contact_id]
        contacts[contact.pk] = contact
        field_changes = [c for c in row.changes if c not in {"notes", "birthday", "anniversary"}]
        if field_changes:
            _contact_apply(contact, row, organizations)
            contact.updated_at = now
            contact.full_clean(
                exclude=["owner", "team", "organization"],
                validate_unique=False,
                validate_constraints=False,
            )
            changed.append(contact)
    if changed:
        bulk_update_with_history(
            changed,
            Contact,
            [
                "first_name",
                "last_name",
                "email",
                "phone",
                "title",
                "external_id",
                "organization",
                "tier",
                "owner",
                "updated_at",
            ],
            batch_size=BATCH,
            default_user=by,
            default_change_reason=CHANGE_REASON,
        )

    interest_tags = set(taxonomy_current().slugs)
    observations: list[Observation] = []
    fact_sets: list[list[FactDraft]] = []
    for row in active:
        contact = contacts[row.contact_id]  # type: ignore[index]
        author_id = by.pk if by is not None else contact.owner_id
        if row.add_notes:
            if row.note_facts is None:
                row.note_language, row.note_facts = observation_extract(
                    text=row.notes, noted_on=noted_on
                )
            facts, language = row.note_facts, row.note_language
            observations.append(
                Observation(
                    contact=contact,
                    author_id=author_id,
                    text=row.notes,
                    noted_on=noted_on,
                    language=language,
                )
            )
            fact_sets.append(facts)
        for kind, wanted in (
            (Fact.Kind.BIRTHDAY, row.add_birthday),
            (Fact.Kind.ANNIVERSARY, row.add_anniversary),
        ):
            if not wanted or _noted_already(row, kind):
                continue
            when = row.birthday if kind == Fact.Kind.BIRTHDAY else row.anniversary
            if when is None:
                continue
            language = contact.language
            observations.append(
                Observation(
                    contact=contact,
                    author_id=author_id,
                    text=_yearly_text(when, kind, language),
                    noted_on=noted_on,
                    language=language,
                )
            )
            fact_sets.append(
                [
                    FactDraft(
                        kind=kind,
                        month=when.month,
                        day=when.day,
                        year=when.year,
                        subject=Fact.Subject.WEDDING if kind == Fact.Kind.ANNIVERSARY else "",
                        evidence=_yearly_text(when, kind, language),
                    )
                ]
            )
    bulk_create_with_history(
        observations,
        Observation,
        batch_size=BATCH,
        default_user=by,
        default_change_reason=CHANGE_REASON,
    )
    facts_out: list[Fact] = []
    for observation, drafts in zip(observations, fact_sets, strict=True):
        seen: set[tuple[object, ...]] = set()
        for draft in drafts:
            clean = fact_draft_clean(draft, interest_tags=interest_tags)
            content = tuple(getattr(clean, name) for name in Fact.CONTENT_FIELDS)
            if content in seen:
                continue
            seen.add(content)
            facts_out.append(
                Fact(
                    observation=observation,
                    contact_id=observation.contact_id,
                    sensitive=clean.sensitive,
                    evidence=clean.evidence[:2000],
                    **{name: getattr(clean, name) for name in Fact.CONTENT_FIELDS},
                )
            )
    Fact.objects.bulk_create(facts_out, batch_size=BATCH)


def rejected_rows(plan: ImportPlan) -> list[RowPlan]:
    return [row for row in plan.rows if row.action == REJECTED]
