"""Writes for teams, users, contacts and observations: keyword-only, validated, one place each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from . import signals
from .extraction import Language, extract
from .facts import FactDraft, fact_draft_clean, fact_draft_from_extracted
from .models import Contact, Fact, Observation, Team, User
from .selectors import taxonomy_current


def user_set_language(*, user: User, language: str) -> User:
    user.language = language
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def team_ensure(*, name: str, lead: User | None = None) -> Team:
    team, _created = Team.objects.get_or_create(name=name)
    if lead is not None and team.lead_id != lead.pk:
        team.lead = lead
        team.save(update_fields=["lead"])
    return team


def _check_owner(contact: Contact) -> None:
    owner = contact.owner
    if owner.role != User.Role.ADMIN and owner.team_id != contact.team_id:
        raise ValidationError({"owner": _("The owner must be a member of the contact's team.")})


def contact_create(*, team: Team, owner: User, **fields: Any) -> Contact:
    contact = Contact(team=team, owner=owner, **fields)
    contact.full_clean()
    _check_owner(contact)
    contact.save()
    return contact


def contact_update(*, contact: Contact, **fields: Any) -> Contact:
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    _check_owner(contact)
    contact.save()
    return contact


def contact_set_archived(*, contact: Contact, archived: bool) -> Contact:
    contact.archived = archived
    contact.save(update_fields=["archived", "updated_at"])
    return contact


def observation_extract(
    *, text: str, noted_on: date, language: Language | None = None
) -> tuple[str, list[FactDraft]]:
    """The language and the fact drafts the extractor reads in `text`."""
    result = extract(text, noted_on=noted_on, taxonomy=taxonomy_current(), language=language)
    return result.language, [fact_draft_from_extracted(fact) for fact in result.facts]


def _facts_write(*, observation: Observation, drafts: Iterable[FactDraft]) -> list[Fact]:
    """Store the observation's facts. A fact that is still there after an edit keeps its
    row (and id), so suggestions made from it, or dismissed, stay attached to it."""
    interest_tags = set(taxonomy_current().slugs)
    wanted: dict[tuple[object, ...], FactDraft] = {}
    for draft in drafts:
        clean = fact_draft_clean(draft, interest_tags=interest_tags)
        wanted.setdefault(tuple(getattr(clean, name) for name in Fact.CONTENT_FIELDS), clean)
    kept: list[Fact] = []
    for fact in observation.facts.all():
        content = tuple(getattr(fact, name) for name in Fact.CONTENT_FIELDS)
        if content not in wanted:
            fact.delete()
            continue
        clean = wanted.pop(content)
        if (fact.sensitive, fact.evidence) != (clean.sensitive, clean.evidence[:2000]):
            fact.sensitive, fact.evidence = clean.sensitive, clean.evidence[:2000]
            fact.save(update_fields=["sensitive", "evidence"])
        kept.append(fact)
    created = Fact.objects.bulk_create(
        Fact(
            observation=observation,
            contact_id=observation.contact_id,
            sensitive=clean.sensitive,
            evidence=clean.evidence[:2000],
            **{name: getattr(clean, name) for name in Fact.CONTENT_FIELDS},
        )
        for clean in wanted.values()
    )
    return kept + created


@transaction.atomic
def observation_create(
    *,
    contact: Contact,
    author: User,
    text: str,
    noted_on: date,
    facts: Sequence[FactDraft] | None = None,
    external_id: str | None = None,
    rescan: bool = True,
) -> Observation:
    """Log an observation with its facts: the reviewed ones, or all that are extracted.

    The contact is rescanned once this commits, so what it makes due shows today; bulk
    writers (imports, demo data) pass `rescan=False` and leave it to the daily scan.
    """
    language, extracted = observation_extract(text=text, noted_on=noted_on)
    observation = Observation(
        contact=contact,
        author=author,
        text=text,
        noted_on=noted_on,
        language=language,
        external_id=external_id,
    )
    observation.full_clean()
    observation.save()
    _facts_write(observation=observation, drafts=extracted if facts is None else facts)
    contact_touch(contact_id=observation.contact_id, on=observation.noted_on)
    if rescan:
        _observation_saved(contact_id=observation.contact_id)
    return observation


def contact_touch(*, contact_id: int, on: date) -> bool:
    """Record that someone was in touch with the contact on `on` (an observation, a gesture):
    the last touch only ever moves forward, by a conditional UPDATE, so two writers racing
    cannot move it back. Returns whether it moved."""
    later = Q(last_touch_on__isnull=True) | Q(last_touch_on__lt=on)
    return bool(Contact.objects.filter(later, pk=contact_id).update(last_touch_on=on))


def _observation_saved(*, contact_id: int) -> None:
    """Tell whoever listens (the scan, connected in gestures/apps.py) about the saved
    observation, inside its transaction: what they ask for is recorded with it and runs
    once it commits (relcrm.outbox). Contacts knows nothing of gestures."""
    signals.observation_saved.send(sender=Observation, contact_id=contact_id)


@transaction.atomic
def observation_update(
    *,
    observation: Observation,
    text: str,
    noted_on: date,
    facts: Sequence[FactDraft] | None = None,
    author: User | None = None,
    rescan: bool = True,
) -> Observation:
    """Change an observation; its facts are recomputed (or replaced by the reviewed ones)."""
    language, extracted = observation_extract(text=text, noted_on=noted_on)
    observation.text = text
    observation.noted_on = noted_on
    observation.language = language
    if author is not None:
        observation.author = author
    observation.full_clean()
    observation.save()
    _facts_write(observation=observation, drafts=extracted if facts is None else facts)
    contact_touch(contact_id=observation.contact_id, on=observation.noted_on)
    if rescan:
        _observation_saved(contact_id=observation.contact_id)
    return observation


@transaction.atomic
@transaction.atomic
def observation_delete(*, observation: Observation) -> None:
    """Delete an observation, its facts and its change history (where its text would
    otherwise stay readable); the apps built on contacts remove what they keep of it."""
    pk = observation.pk
    signals.observation_deleting.send(sender=Observation, observation=observation)
    observation.delete()
    Observation.history.filter(id=pk).delete()


def _history_user(obj: Any, by: User | None, reason: str) -> None:
    obj._history_user = by
    obj._change_reason = reason


@transaction.atomic
def contact_merge(*, keep: Contact, other: Contact, by: User) -> Contact:
    """Merge `other` into `keep`: every row that points at `other` (observations, facts,
    suggestions, gestures, their history, anything added later) is moved to `keep`, blank
    fields of `keep` are filled from `other`, and `other` is deleted. The history of both
    records the merge. Refused across teams."""
    if keep.pk == other.pk:
        raise ValidationError(_("A contact cannot be merged with itself."))
    if keep.team_id != other.team_id:
        raise ValidationError(_("Contacts of different teams cannot be merged."))
    list(Contact.objects.select_for_update().filter(pk__in=[keep.pk, other.pk]).order_by("pk"))
    # Apps built on contacts settle what cannot simply move (gestures: suggestion clashes).
    signals.contacts_merging.send(sender=Contact, keep=keep, other=other)
    touches = [c.last_touch_on for c in Contact.objects.filter(pk__in=[keep.pk, other.pk])]
    for relation in Contact._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        field_name = relation.field.name  # type: ignore[union-attr]
        model = relation.related_model
        model._base_manager.filter(**{field_name: other.pk}).update(**{field_name: keep.pk})  # type: ignore[union-attr]
    # Earlier versions of the merged contact belong to the one kept now.
    Contact.history.filter(id=other.pk).update(id=keep.pk)

    external_id = other.external_id
    for name in ("email", "phone", "title", "organization_id"):
        if not getattr(keep, name) and getattr(other, name):
            setattr(keep, name, getattr(other, name))
    keep.last_touch_on = max((day for day in touches if day is not None), default=None)
    keep.do_not_gift = keep.do_not_gift or other.do_not_gift
    keep.compliance_review = keep.compliance_review or other.compliance_review
    reason = f"merged {other.full_name} (#{other.pk})"
    _history_user(other, by, f"merged into {keep.full_name} (#{keep.pk})")
    other.delete()
    if not keep.external_id and external_id:
        keep.external_id = external_id
    _history_user(keep, by, reason)
    keep.full_clean(validate_unique=False)
    keep.save()
    return keep
