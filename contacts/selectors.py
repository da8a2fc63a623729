"""Reads for pages about teams, users, contacts and observations."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from .extraction import TagTerms, Taxonomy
from .models import Contact, Fact, Observation, Organization, Tag, Team, User
from .permissions import scope_to_user


def teams_for_overview(*, user: User) -> QuerySet[Team]:
    """The teams `user` may look at, each with its active members prefetched."""
    members = User.objects.filter(is_active=True).order_by("role", "last_name", "username")
    return (
        scope_to_user(Team.objects.all(), user, team_field="id")
        .select_related("lead")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name")
    )


_taxonomy_lock = threading.Lock()
_taxonomy_cache: tuple[tuple[int, object], Taxonomy] | None = None


def taxonomy_current() -> Taxonomy:
    """The compiled interest taxonomy, rebuilt only when an admin changed a tag."""
    global _taxonomy_cache
    signature_row = Tag.objects.aggregate(count=Count("id"), changed=Max("updated_at"))
    signature = (signature_row["count"], signature_row["changed"])
    cached = _taxonomy_cache
    if cached is not None and cached[0] == signature:
        return cached[1]
    with _taxonomy_lock:
        taxonomy = Taxonomy.build(
            TagTerms(
                slug=tag.slug,
                name_en=tag.name_en,
                name_de=tag.name_de,
                synonyms_en=tuple(tag.synonyms_en),
                synonyms_de=tuple(tag.synonyms_de),
            )
            for tag in Tag.objects.order_by("slug")
        )
        _taxonomy_cache = (signature, taxonomy)
    return taxonomy


def tag_names(*, language: str) -> dict[str, str]:
    return {
        tag.slug: tag.name_in(language) for tag in Tag.objects.only("slug", "name_en", "name_de")
    }


@dataclass(frozen=True)
class ContactFilters:
    q: str = ""
    owner: int | None = None
    tier: str = ""
    organization: int | None = None
    interest: str = ""
    archived: bool = False


def contacts_visible(*, user: User) -> QuerySet[Contact]:
    """The contacts `user` may see; an erased person is no longer one of them."""
    return scope_to_user(Contact.objects.filter(erased_at__isnull=True), user)


def contacts_matching(queryset: QuerySet[Contact], q: str) -> QuerySet[Contact]:
    """Every word of `q` must appear in the name, the organization or the e-mail."""
    for word in q.split()[:6]:
        queryset = queryset.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(organization__name__icontains=word)
        )
    return queryset


def contacts_for_list(*, user: User, filters: ContactFilters) -> QuerySet[Contact]:
    """The contact list: one query for the page, whatever the number of rows."""
    queryset = contacts_visible(user=user).filter(archived=filters.archived)
    queryset = contacts_matching(queryset, filters.q)
    if filters.owner:
        queryset = queryset.filter(owner_id=filters.owner)
    if filters.tier:
        queryset = queryset.filter(tier=filters.tier)
    if filters.organization:
        queryset = queryset.filter(organization_id=filters.organization)
    if filters.interest:
        queryset = queryset.filter(
            Exists(
                Fact.objects.filter(
                    contact=OuterRef("pk"), kind=Fact.Kind.INTEREST, tag=filters.interest
                )
            )
        )
    return queryset.select_related("organization", "owner").order_by(
        "last_name", "first_name", "pk"
    )


def contacts_for_picker(*, user: User, q: str, limit: int = 8) -> list[Contact]:
    if not q.strip():
        return []
    queryset = contacts_visible(user=user).filter(archived=False)
    return list(
        contacts_matching(queryset, q)
        .select_related("organization")
        .order_by("last_name", "first_name")[:limit]
    )


def owners_for_filter(*, user: User) -> QuerySet[User]:
    return scope_to_user(User.objects.filter(is_active=True), user).order_by(
        "first_name", "username"
    )


def organizations_for_filter(*, user: User) -> QuerySet[Organization]:
    """Organizations that have at least one contact the user may see."""
    return Organization.objects.filter(
        Exists(contacts_visible(user=user).filter(organization=OuterRef("pk")))
    ).order_by("name")


def organizations_for_choice(*, user: User) -> QuerySet[Organization]:
    """The organizations a user may give a contact: those of their team's contacts, or every
    one for admins and where organizations are shared (RELCRM_SHARED_ORGANIZATIONS).

    Listing every organization would tell an account manager which companies other teams
    work with.
    """
    if user.is_admin or settings.RELCRM_SHARED_ORGANIZATIONS:
        return Organization.objects.order_by("name")
    return Organization.objects.filter(
        Exists(scope_to_user(Contact.objects.all(), user).filter(organization=OuterRef("pk")))
    ).order_by("name")


FACT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dates", (Fact.Kind.BIRTHDAY, Fact.Kind.ANNIVERSARY, Fact.Kind.MILESTONE)),
    ("interests", (Fact.Kind.INTEREST,)),
    ("constraints", (Fact.Kind.CONSTRAINT,)),
    ("life_events", (Fact.Kind.LIFE_EVENT, Fact.Kind.ROLE_CHANGE)),
)


@dataclass(frozen=True)
class ContactProfile:
    contact: Contact
    facts_by_group: dict[str, list[Fact]]
    observations: list[Observation]
    # The latest observation or gesture (Contact.last_touch_on), as the daily scan counts it.
    last_touch: date | None


def contact_profile(*, contact: Contact) -> ContactProfile:
    facts = list(
        Fact.objects.filter(contact=contact)
        .select_related("observation")
        .order_by("kind", "month", "day", "date", "tag", "pk")
    )
    groups: dict[str, list[Fact]] = {name: [] for name, _kinds in FACT_GROUPS}
    for fact in facts:
        for name, kinds in FACT_GROUPS:
            if fact.kind in kinds:
                groups[name].append(fact)
    observations = list(
        contact.observations.select_related("author")
        .prefetch_related("facts")
        .order_by("-noted_on", "-created_at")
    )
    return ContactProfile(contact, groups, observations, contact.last_touch_on)


@dataclass(frozen=True)
class DuplicateCandidates:
    first: Contact
    second: Contact
    reason: str  # "email", "name" or "similar_name"


def duplicates_for_team(*, user: User) -> list[DuplicateCandidates]:
    """Likely duplicate pairs among the active contacts `user` may see, within a team."""
    from .duplicates import Person, duplicate_pairs, email_normalize, name_normalize

    contacts = {
        c.pk: c
        for c in scope_to_user(Contact.objects.filter(archived=False), user).select_related(
            "organization", "owner", "team"
        )
    }
    people = (
        Person(
            id=c.pk,
            team_id=c.team_id,
            name=name_normalize(c.first_name, c.last_name),
            email=email_normalize(c.email),
            organization_id=c.organization_id,
        )
        for c in contacts.values()
    )
    return [
        DuplicateCandidates(contacts[pair.first], contacts[pair.second], pair.reason)
        for pair in duplicate_pairs(people)
    ]
