"""Rows in, plain data out: what the suggestion rules read, loaded in a few queries per batch.

The rules (gestures.rules) never touch the ORM; these loaders copy exactly what they need
into the immutable records of gestures.rules.types, a batch of contacts at a time, from plain
cursor rows so that no model instances are built for the hundreds of thousands of rows a full
scan reads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from contacts.models import Contact, Fact, Observation, Tag

from .models import Gesture, GestureOutcome, GiftItem, ScanConfiguration, Suggestion
from .rules import (
    CatalogItem,
    ContactInfo,
    FactInfo,
    GestureInfo,
    ObservationInfo,
    OpenSuggestion,
    ScanSettings,
)

# Suggestions older than this matter to the rules only while they are open: the stored
# keys of closed ones are about occurrences long past.
HISTORY_DAYS = 400
# FactInfo's fields besides its id, loaded by name from the Fact columns of the same names.
FACT_INFO_FIELDS = tuple(name for name in FactInfo._fields if name != "id")


@dataclass(frozen=True, slots=True)
class ContactInputs:
    """Everything the rules read about one contact."""

    contact: ContactInfo
    gestures: tuple[GestureInfo, ...]
    existing: tuple[OpenSuggestion, ...]


def scan_settings(configuration: ScanConfiguration | None = None) -> ScanSettings:
    config = configuration or ScanConfiguration.current()
    return ScanSettings(
        horizon_days=config.horizon_days,
        cadence_days=MappingProxyType(config.cadence_days()),
        annual_gift_limit_eur=config.annual_gift_limit_eur,
        approval_threshold_eur=config.approval_threshold_eur,
        gift_spacing_days=config.gift_spacing_days,
        max_open_per_contact=config.max_open_per_contact,
        care_period_days=django_settings.RELCRM_CARE_PERIOD_WEEKS * 7,
        monthly_gift_budget_eur=django_settings.RELCRM_MONTHLY_GIFT_BUDGET_EUR,
    )


CATALOG_COLUMNS = (
    "pk",
    "sku",
    "name",
    "name_de",
    "price_eur",
    "occasions",
    "contains_alcohol",
    "food",
    "dietary",
    "lead_time_days",
    "stock",
    "active",
    "symbols",
    "unsuitable_occasions",
)


def _catalog(item_id: int | None = None) -> list[CatalogItem]:
    """The catalog, or the one item `item_id`."""
    items, through = GiftItem.objects.all(), GiftItem.tags.through.objects.all()
    if item_id is not None:
        items, through = items.filter(pk=item_id), through.filter(giftitem_id=item_id)
    tags: dict[int, set[str]] = defaultdict(set)
    for tagged, slug in through.values_list("giftitem_id", "tag__slug"):
        tags[tagged].add(slug)
    return [
        CatalogItem(
            id=row[0],
            sku=row[1],
            name_en=row[2],
            name_de=row[3] or row[2],
            price_eur=row[4],
            tags=frozenset(tags.get(row[0], ())),
            occasions=frozenset(row[5] or ()),
            contains_alcohol=row[6],
            food=row[7],
            dietary=frozenset(row[8] or ()),
            lead_time_days=row[9],
            stock=row[10],
            active=row[11],
            symbols=frozenset(row[12] or ()),
            unsuitable_for=frozenset(row[13] or ()),
        )
        for row in items.order_by("pk").values_list(*CATALOG_COLUMNS)
    ]


def catalog_items() -> list[CatalogItem]:
    """The whole catalog, inactive items included (the rules say why one is not eligible)."""
    return _catalog()


def catalog_item(item_id: int) -> CatalogItem | None:
    """One catalog item (the gift chosen in a swap), in two queries."""
    return next(iter(_catalog(item_id)), None)


def interest_names() -> dict[str, tuple[str, str]]:
    rows = Tag.objects.values_list("slug", "name_en", "name_de")
    return {slug: (en, de) for slug, en, de in rows}


def _author_name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


# What the scan reads of each table, in the column order of the rows below. On PostgreSQL
# the rows come from these statements, with the ids as one array parameter (`= ANY(%s)`): one
# statement text whatever the batch, and no literal list for psycopg to quote. Elsewhere
# (SQLite) the same columns come through the ORM, whose converters make the same types.
CONTACT_COLUMNS = (
    "pk",
    "first_name",
    "last_name",
    "language",
    "tier",
    "do_not_gift",
    "compliance_review",
    "organization__kind",
    "organization__gift_policy",
    "organization__gift_limit_eur",
    "last_touch_on",
    "customer_since",
    "address",
    "salutation",
)
CONTACTS_SQL = """
    SELECT c.id, c.first_name, c.last_name, c.language, c.tier, c.do_not_gift,
           c.compliance_review, o.kind, o.gift_policy, o.gift_limit_eur, c.last_touch_on,
           c.customer_since, c.address, c.salutation
    FROM contacts_contact c LEFT JOIN contacts_organization o ON o.id = c.organization_id
    WHERE c.id = ANY(%s) AND NOT c.archived
    ORDER BY c.id
"""
OBSERVATION_COLUMNS = (
    "pk",
    "contact_id",
    "noted_on",
    "author__first_name",
    "author__last_name",
    "author__username",
)
OBSERVATIONS_SQL = """
    SELECT o.id, o.contact_id, o.noted_on, u.first_name, u.last_name, u.username
    FROM contacts_observation o LEFT JOIN contacts_user u ON u.id = o.author_id
    WHERE o.contact_id = ANY(%s)
    ORDER BY o.id
"""
# The column names are FactInfo's own fields, not input.
FACTS_SQL = (
    f"SELECT contact_id, id, {', '.join(FACT_INFO_FIELDS)} FROM contacts_fact "  # noqa: S608
    "WHERE contact_id = ANY(%s) ORDER BY id"
)
GESTURE_COLUMNS = ("contact_id", "kind", "date", "gift_item_id", "value_eur", "outcome__result")
GESTURES_SQL = """
    SELECT g.contact_id, g.kind, g.date, g.gift_item_id, g.value_eur, r.result
    FROM gestures_gesture g LEFT JOIN gestures_gestureoutcome r ON r.gesture_id = g.id
    WHERE g.contact_id = ANY(%s)
    ORDER BY g.id
"""
EXISTING_COLUMNS = (
    "contact_id",
    "occasion",
    "source_ref",
    "event_date",
    "kind",
    "status",
    "gift_item_id",
    "created_at",
    "snoozed_until",
)
EXISTING_SQL = """
    SELECT contact_id, occasion, source_ref, event_date, kind, status, gift_item_id,
           created_at, snoozed_until
    FROM gestures_suggestion
    WHERE contact_id = ANY(%s) AND (NOT status = ANY(%s) OR event_date >= %s)
    ORDER BY id
"""


def id_array(ids: Iterable[int]) -> str:
    """`ids` as one PostgreSQL array literal ("{1,2,3}") for an `= ANY(%s)` parameter: the
    server reads it as an array of the column's type, and joining the digits takes a
    fraction of the time psycopg takes to adapt a list of thousands of ints one by one."""
    return "{" + ",".join(map(str, map(int, ids))) + "}"


def _rows(
    statement: str,
    params: Sequence[Any],
    portable: Callable[[], QuerySet[Any]],
    columns: Sequence[str],
) -> Iterable[tuple[Any, ...]]:
    """The rows of `statement` on PostgreSQL, else the same columns of the query `portable`
    makes (made only then: a filter on thousands of ids takes the ORM a while to build)."""
    if connection.vendor != "postgresql":
        return portable().values_list(*columns)
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))
        return cursor.fetchall()


def observation_texts(observation_ids: Iterable[int]) -> dict[int, str]:
    """The text of each observation, for the few an explanation quotes."""
    ids = sorted(set(observation_ids))
    if not ids:
        return {}
    statement = "SELECT id, text FROM contacts_observation WHERE id = ANY(%s)"
    return dict(
        _rows(
            statement,
            [id_array(ids)],
            lambda: Observation.objects.filter(pk__in=ids),
            ("pk", "text"),
        )
    )


def contact_inputs(
    contact_ids: Sequence[int], *, today: dt.date, texts: bool = True
) -> dict[int, ContactInputs]:
    """The rules' view of each contact in `contact_ids` (archived ones left out), in five
    queries whatever the batch size. Without `texts` the observations' text is left empty
    (the rules only quote it; the scan fetches the quoted ones with observation_texts)."""
    wanted = list(contact_ids)
    contacts = list(
        _rows(
            CONTACTS_SQL,
            [id_array(wanted)],
            lambda: Contact.objects.filter(pk__in=wanted, archived=False).order_by("pk"),
            CONTACT_COLUMNS,
        )
    )
    ids = [row[0] for row in contacts]

    quoted = (
        observation_texts(
            Observation.objects.filter(contact_id__in=ids).values_list("pk", flat=True)
        )
        if texts
        else {}
    )
    observations: dict[int, dict[int, ObservationInfo]] = defaultdict(dict)
    # A few account managers write every note: each name is made once.
    authors: dict[tuple[str | None, str | None, str | None], str] = {}
    for obs_id, contact_id, noted_on, first, last, username in _rows(
        OBSERVATIONS_SQL,
        [id_array(ids)],
        lambda: Observation.objects.filter(contact_id__in=ids).order_by("pk"),
        OBSERVATION_COLUMNS,
    ):
        author = authors.get((first, last, username))
        if author is None:
            author = authors[first, last, username] = _author_name(
                first or "", last or "", username or ""
            )
        observations[contact_id][obs_id] = ObservationInfo(
            obs_id, quoted.get(obs_id, ""), noted_on, author
        )

    facts: dict[int, list[FactInfo]] = defaultdict(list)
    for row in _rows(
        FACTS_SQL,
        [id_array(ids)],
        lambda: Fact.objects.filter(contact_id__in=ids).order_by("pk"),
        ("contact_id", "pk", *FACT_INFO_FIELDS),
    ):
        # After the contact's id the row is FactInfo's fields in order: the tuple is made from
        # the slice as it is, without unpacking it into arguments.
        facts[row[0]].append(FactInfo._make(row[1:]))

    gestures: dict[int, list[GestureInfo]] = defaultdict(list)
    felt_wrong: dict[int, set[int]] = defaultdict(set)
    for contact_id, kind, date, gift_item_id, value_eur, outcome in _rows(
        GESTURES_SQL,
        [id_array(ids)],
        lambda: Gesture.objects.filter(contact_id__in=ids).order_by("pk"),
        GESTURE_COLUMNS,
    ):
        gestures[contact_id].append(GestureInfo(kind, date, gift_item_id, value_eur))
        if outcome == GestureOutcome.Result.FELT_WRONG and gift_item_id is not None:
            felt_wrong[contact_id].add(gift_item_id)

    existing: dict[int, list[OpenSuggestion]] = defaultdict(list)
    recent = today - dt.timedelta(days=HISTORY_DAYS)
    closed = sorted(Suggestion.CLOSED)
    for srow in _rows(
        EXISTING_SQL,
        [id_array(ids), closed, recent],
        lambda: (
            Suggestion.objects.filter(contact_id__in=ids)
            .filter(~Q(status__in=closed) | Q(event_date__gte=recent))
            .order_by("pk")
        ),
        EXISTING_COLUMNS,
    ):
        existing[srow[0]].append(
            OpenSuggestion(
                occasion=srow[1],
                # source_ref 0 stands for "no fact" (keep in touch) in the unique key.
                source_fact_id=srow[2] or None,
                occurrence_date=srow[3],
                kind=srow[4],
                status=srow[5],
                gift_item_id=srow[6],
                created_on=timezone.localtime(srow[7]).date(),
                snoozed_until=srow[8],
            )
        )

    inputs: dict[int, ContactInputs] = {}
    nothing_felt_wrong: frozenset[int] = frozenset()
    for (
        contact_id,
        first_name,
        last_name,
        language,
        tier,
        do_not_gift,
        compliance_review,
        org_kind,
        org_policy,
        org_limit,
        last_touch_on,
        customer_since,
        address,
        salutation,
    ) in contacts:
        inputs[contact_id] = ContactInputs(
            contact=ContactInfo(
                id=contact_id,
                first_name=first_name,
                last_name=last_name,
                language=language,
                tier=tier,
                do_not_gift=do_not_gift,
                compliance_review=compliance_review,
                organization_kind=org_kind,
                organization_gift_policy=org_policy,
                organization_gift_limit_eur=Decimal(org_limit) if org_limit is not None else None,
                facts=tuple(facts.get(contact_id, ())),
                observations=MappingProxyType(observations.get(contact_id, {})),
                last_touch=last_touch_on,
                customer_since=customer_since,
                address=address,
                salutation=salutation,
                felt_wrong_item_ids=(
                    frozenset(felt_wrong[contact_id])
                    if contact_id in felt_wrong
                    else nothing_felt_wrong
                ),
            ),
            gestures=tuple(gestures.get(contact_id, ())),
            existing=tuple(existing.get(contact_id, ())),
        )
    return inputs


EXCLUDED_VARIANTS_SQL = """
    SELECT contact_id, draft_variant FROM gestures_suggestion
    WHERE contact_id = ANY(%s) AND status = %s AND reason = %s AND draft_variant <> ''
    UNION ALL
    SELECT g.contact_id, g.draft_variant
    FROM gestures_gesture g JOIN gestures_gestureoutcome r ON r.gesture_id = g.id
    WHERE g.contact_id = ANY(%s) AND r.result = %s AND g.draft_variant <> ''
"""


def excluded_draft_variants(contact_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """The draft variants not to be used again for each contact: those of suggestions
    dismissed as inappropriate, and those of gestures whose outcome felt wrong."""
    ids = list(contact_ids)
    dismissed, inappropriate = Suggestion.Status.DISMISSED, Suggestion.DismissReason.INAPPROPRIATE
    felt_wrong = GestureOutcome.Result.FELT_WRONG

    def portable() -> QuerySet[Any]:
        suggestions = (
            Suggestion.objects.filter(contact_id__in=ids, status=dismissed, reason=inappropriate)
            .exclude(draft_variant="")
            .order_by()
            .values_list("contact_id", "draft_variant")
        )
        gestures = (
            Gesture.objects.filter(contact_id__in=ids, outcome__result=felt_wrong)
            .exclude(draft_variant="")
            .order_by()
            .values_list("contact_id", "draft_variant")
        )
        return suggestions.union(gestures, all=True)

    excluded: dict[int, set[str]] = defaultdict(set)
    array = id_array(ids)
    params = [array, dismissed.value, inappropriate.value, array, felt_wrong.value]
    # The union's columns are the first query's.
    for contact_id, variant in _rows(
        EXCLUDED_VARIANTS_SQL, params, portable, ("contact_id", "draft_variant")
    ):
        excluded[contact_id].add(variant)
    return {contact_id: frozenset(variants) for contact_id, variants in excluded.items()}


def gift_budget_spent(owner_ids: Sequence[int], *, today: dt.date) -> dict[int, Decimal]:
    """What each account manager spent on gifts in `today`'s calendar month, for the monthly
    budget: the gifts they gave this month and the gift suggestions of their contacts still
    open and due this month. Two queries."""
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    spent: dict[int, Decimal] = defaultdict(Decimal)
    given = (
        Gesture.objects.filter(
            kind=Gesture.Kind.GIFT, by_id__in=owner_ids, date__range=(first, last)
        )
        .values("by_id")
        .annotate(total=Sum("value_eur"))
        .order_by()
    )
    for row in given:
        spent[row["by_id"]] += row["total"] or Decimal(0)
    planned = (
        Suggestion.objects.filter(
            kind=Suggestion.Kind.GIFT,
            contact__owner_id__in=owner_ids,
            due_date__range=(first, last),
        )
        .exclude(status__in=Suggestion.CLOSED)
        .values("contact__owner_id")
        .annotate(total=Sum("price_eur"))
        .order_by()
    )
    for row in planned:
        spent[row["contact__owner_id"]] += row["total"] or Decimal(0)
    return dict(spent)
