"""Rows in, plain data out: what the suggestion rules read, loaded in a few queries per batch.

The rules (gestures.rules) never touch the ORM; these loaders copy exactly what they need
into frozen dataclasses, a batch of contacts at a time, with `values_list` so that no model
instances are built for the hundreds of thousands of rows a full scan reads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from types import MappingProxyType

from django.db.models import Q
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
FACT_INFO_FIELDS = tuple(f.name for f in fields(FactInfo) if f.name != "id")


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


def contact_inputs(contact_ids: Sequence[int], *, today: dt.date) -> dict[int, ContactInputs]:
    """The rules' view of each contact in `contact_ids` (archived ones left out), in five
    queries whatever the batch size."""
    contacts = list(
        Contact.objects.filter(pk__in=contact_ids, archived=False).values_list(
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
    )
    ids = [row[0] for row in contacts]

    observations: dict[int, dict[int, ObservationInfo]] = defaultdict(dict)
    for obs_id, contact_id, text, noted_on, first, last, username in (
        Observation.objects.filter(contact_id__in=ids).order_by()
    ).values_list(
        "pk",
        "contact_id",
        "text",
        "noted_on",
        "author__first_name",
        "author__last_name",
        "author__username",
    ):
        observations[contact_id][obs_id] = ObservationInfo(
            id=obs_id,
            text=text,
            noted_on=noted_on,
            author_name=_author_name(first or "", last or "", username or ""),
        )

    facts: dict[int, list[FactInfo]] = defaultdict(list)
    for row in (
        Fact.objects.filter(contact_id__in=ids)
        .order_by("pk")
        .values("contact_id", "pk", *FACT_INFO_FIELDS)
    ):
        contact_id, fact_id = row.pop("contact_id"), row.pop("pk")
        facts[contact_id].append(FactInfo(id=fact_id, **row))

    gestures: dict[int, list[GestureInfo]] = defaultdict(list)
    felt_wrong: dict[int, set[int]] = defaultdict(set)
    for contact_id, kind, date, gift_item_id, value_eur, outcome in (
        Gesture.objects.filter(contact_id__in=ids).order_by()
    ).values_list("contact_id", "kind", "date", "gift_item_id", "value_eur", "outcome__result"):
        gestures[contact_id].append(
            GestureInfo(kind=kind, date=date, gift_item_id=gift_item_id, value_eur=value_eur)
        )
        if outcome == GestureOutcome.Result.FELT_WRONG and gift_item_id is not None:
            felt_wrong[contact_id].add(gift_item_id)

    existing: dict[int, list[OpenSuggestion]] = defaultdict(list)
    recent = today - dt.timedelta(days=HISTORY_DAYS)
    for srow in (
        Suggestion.objects.filter(contact_id__in=ids)
        .filter(~Q(status__in=Suggestion.CLOSED) | Q(event_date__gte=recent))
        .order_by()
        .values_list(
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
        contact_observations = observations.get(contact_id, {})
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
                observations=MappingProxyType(contact_observations),
                last_touch=last_touch_on,
                customer_since=customer_since,
                address=address,
                salutation=salutation,
                felt_wrong_item_ids=frozenset(felt_wrong.get(contact_id, ())),
            ),
            gestures=tuple(gestures.get(contact_id, ())),
            existing=tuple(existing.get(contact_id, ())),
        )
    return inputs


def excluded_draft_variants(contact_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """The draft variants not to be used again for each contact: those of suggestions
    dismissed as inappropriate, and those of gestures whose outcome felt wrong."""
    excluded: dict[int, set[str]] = defaultdict(set)
    dismissed = (
        Suggestion.objects.filter(
            contact_id__in=contact_ids,
            status=Suggestion.Status.DISMISSED,
            reason=Suggestion.DismissReason.INAPPROPRIATE,
        )
        .exclude(draft_variant="")
        .order_by()
        .values_list("contact_id", "draft_variant")
    )
    felt_wrong = (
        Gesture.objects.filter(
            contact_id__in=contact_ids, outcome__result=GestureOutcome.Result.FELT_WRONG
        )
        .exclude(draft_variant="")
        .order_by()
        .values_list("contact_id", "draft_variant")
    )
    for contact_id, variant in dismissed.union(felt_wrong, all=True):
        excluded[contact_id].add(variant)
    return {contact_id: frozenset(variants) for contact_id, variants in excluded.items()}
