"""Plain-data builders for the rule tests: contacts with noted facts, catalog items, stored
suggestions. No database; every date is given by the test."""

import datetime as dt
import itertools
from decimal import Decimal
from types import MappingProxyType

from gestures.rules import (
    CatalogItem,
    ContactInfo,
    FactInfo,
    GestureInfo,
    ObservationInfo,
    OpenSuggestion,
    ScanSettings,
    SuggestionDraft,
    suggest_for_contact,
)

TODAY = dt.date(2027, 3, 1)
AUTHOR = "Anna Becker"
INTEREST_NAMES = MappingProxyType(
    {
        "hiking": ("Hiking", "Wandern"),
        "coffee": ("Coffee", "Kaffee"),
        "wine": ("Wine", "Wein"),
        "chocolate": ("Chocolate", "Schokolade"),
        "reading": ("Reading", "Lesen"),
        "golf": ("Golf", "Golf"),
        "tea": ("Tea", "Tee"),
    }
)

_ids = itertools.count(1)


def noted(
    kind: str,
    *,
    text: str = "",
    noted_on: dt.date = dt.date(2026, 10, 1),
    author: str = AUTHOR,
    fact_id: int | None = None,
    **fields,
) -> tuple[FactInfo, ObservationInfo]:
    """A fact with the observation it was read from."""
    observation = ObservationInfo(
        id=next(_ids), text=text or f"A note about {kind}.", noted_on=noted_on, author_name=author
    )
    fact = FactInfo(
        id=fact_id if fact_id is not None else next(_ids),
        observation_id=observation.id,
        kind=kind,
        **fields,
    )
    return fact, observation


def make_contact(
    *noted_facts: tuple[FactInfo, ObservationInfo],
    tier: str = "A",
    language: str = "en",
    do_not_gift: bool = False,
    compliance_review: bool = False,
    organization_kind: str | None = "company",
    organization_gift_policy: str | None = "allowed",
    organization_gift_limit_eur: Decimal | None = None,
    last_touch: dt.date | None = TODAY,
) -> ContactInfo:
    return ContactInfo(
        id=1,
        first_name="Maria",
        last_name="Schmidt",
        language=language,
        tier=tier,
        do_not_gift=do_not_gift,
        compliance_review=compliance_review,
        organization_kind=organization_kind,
        organization_gift_policy=organization_gift_policy,
        organization_gift_limit_eur=organization_gift_limit_eur,
        facts=tuple(fact for fact, _ in noted_facts),
        observations={observation.id: observation for _, observation in noted_facts},
        last_touch=last_touch,
    )


def item(
    sku: str = "BOOK-1",
    *,
    item_id: int | None = None,
    tags: tuple[str, ...] = ("hiking",),
    occasions: tuple[str, ...] = ("any",),
    price: str = "20.00",
    lead_time_days: int = 3,
    stock: int | None = None,
    active: bool = True,
    contains_alcohol: bool = False,
    food: bool = False,
    dietary: tuple[str, ...] = (),
) -> CatalogItem:
    return CatalogItem(
        id=item_id if item_id is not None else next(_ids),
        sku=sku,
        name_en=f"{sku} (en)",
        name_de=f"{sku} (de)",
        price_eur=Decimal(price),
        tags=frozenset(tags),
        occasions=frozenset(occasions),
        contains_alcohol=contains_alcohol,
        food=food,
        dietary=frozenset(dietary),
        lead_time_days=lead_time_days,
        stock=stock,
        active=active,
    )


def gift_given(on: dt.date, *, value: str | None = "20.00", item_id: int | None = None):
    return GestureInfo(
        kind="gift", date=on, gift_item_id=item_id, value_eur=Decimal(value) if value else None
    )


def stored(
    occasion: str,
    source_fact_id: int | None,
    occurrence_date: dt.date,
    *,
    status: str = "pending",
    kind: str = "note",
    gift_item_id: int | None = None,
    created_on: dt.date = TODAY,
) -> OpenSuggestion:
    return OpenSuggestion(
        occasion=occasion,
        source_fact_id=source_fact_id,
        occurrence_date=occurrence_date,
        kind=kind,
        status=status,
        gift_item_id=gift_item_id,
        created_on=created_on,
        snoozed_until=None,
    )


def stored_like(draft: SuggestionDraft, *, status: str) -> OpenSuggestion:
    """The draft as the scan service would have stored it, now in `status`."""
    return stored(
        draft.occasion,
        draft.source_fact_id,
        draft.occurrence_date,
        status=status,
        kind=draft.kind,
        gift_item_id=draft.gift_item_id,
    )


def suggest(
    contact: ContactInfo,
    *,
    today: dt.date = TODAY,
    gestures=(),
    existing=(),
    catalog=(),
    settings: ScanSettings | None = None,
) -> list[SuggestionDraft]:
    return suggest_for_contact(
        contact=contact,
        gestures=list(gestures),
        existing=list(existing),
        catalog=list(catalog),
        settings=settings or ScanSettings(),
        today=today,
        interest_names=INTEREST_NAMES,
    )


def hiker(*noted_facts, **contact_fields) -> ContactInfo:
    """A contact who loves hiking, plus the given facts."""
    return make_contact(
        noted("interest", tag="hiking", text="Loves hiking."), *noted_facts, **contact_fields
    )
