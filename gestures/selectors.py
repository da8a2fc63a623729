"""Reads for the staff catalog: filtered items and which of the viewer's contacts they suit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, Fact, Tag, User
from contacts.permissions import scope_to_user

from .models import GiftItem, Occasion


@dataclass(frozen=True)
class PriceBand:
    label: str | Promise
    above: Decimal | None  # exclusive
    up_to: Decimal | None  # inclusive


PRICE_BANDS: dict[str, PriceBand] = {
    "up_to_25": PriceBand(_("up to 25 €"), None, Decimal("25")),
    "25_to_50": PriceBand(_("25 to 50 €"), Decimal("25"), Decimal("50")),
    "over_50": PriceBand(_("over 50 €"), Decimal("50"), None),
}


# Where the euro sign goes is a convention of the language, not a translation.
_PRICE_PATTERNS = {"de": "{amount}\u00a0€"}


def price_display(amount: Decimal, *, language: str) -> str:
    """`amount` as people of `language` write prices: "€1,250.50", "1.250,50 €"."""
    with translation.override(language):
        number = formats.number_format(amount, 2, use_l10n=True, force_grouping=True)
    return _PRICE_PATTERNS.get(language, "€{amount}").format(amount=number)


@dataclass(frozen=True)
class CatalogFilters:
    interest: str = ""
    occasion: str = ""
    price: str = ""
    dietary: tuple[str, ...] = ()


def json_list_contains(field_name: str, value: str) -> Q:
    # Values are fixed slugs stored as a JSON list; matching the quoted value in the JSON
    # text works the same on SQLite and PostgreSQL ("vegan" does not match "vegetarian").
    return Q(**{f"{field_name}__icontains": f'"{value}"'})


def gift_items_for_catalog(*, filters: CatalogFilters) -> QuerySet[GiftItem]:
    """Active items matching `filters`, tags prefetched: a fixed number of queries."""
    queryset = GiftItem.objects.filter(active=True)
    if filters.interest:
        queryset = queryset.filter(tags__slug=filters.interest)
    if filters.occasion:
        queryset = queryset.filter(
            json_list_contains("occasions", filters.occasion)
            | json_list_contains("occasions", "any")
        )
    band = PRICE_BANDS.get(filters.price)
    if band is not None:
        if band.above is not None:
            queryset = queryset.filter(price_eur__gt=band.above)
        if band.up_to is not None:
            queryset = queryset.filter(price_eur__lte=band.up_to)
    for label in filters.dietary:
        queryset = queryset.filter(json_list_contains("dietary", label))
    return queryset.prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("slug"))
    ).order_by("name", "sku")


def tags_for_filter() -> QuerySet[Tag]:
    return Tag.objects.filter(gift_items__active=True).distinct().order_by("slug")


def contacts_for_gifts(*, user: User) -> QuerySet[Contact]:
    """The contacts whose gifts `user` looks after: their own as an account manager, the
    team's as a team lead, everyone's as an admin; never archived ones."""
    contacts = scope_to_user(Contact.objects.filter(archived=False), user)
    if not (user.is_admin or user.is_team_lead):
        contacts = contacts.filter(owner=user)
    return contacts


@dataclass(frozen=True)
class SuitedContact:
    pk: int
    name: str
    interests: tuple[str, ...]  # the matched interests, in the viewer's language


@dataclass(frozen=True)
class CatalogCard:
    item: GiftItem
    name: str
    description: str
    price: str
    list_image_url: str
    detail_image_url: str
    interests: tuple[str, ...]
    suits: tuple[SuitedContact, ...] = field(default=())

    @property
    def in_stock(self) -> bool:
        return self.item.in_stock


def catalog_cards(*, user: User, items: Sequence[GiftItem], language: str) -> list[CatalogCard]:
    """Cards for `items` (tags prefetched) in `language`, each naming the viewer's contacts
    with an interest among the item's tags. One query, whatever the number of items."""
    slugs = {tag.slug for item in items for tag in item.tags.all()}
    people: dict[str, list[tuple[int, str]]] = defaultdict(list)
    if slugs:
        rows = (
            Fact.objects.filter(
                kind=Fact.Kind.INTEREST, tag__in=slugs, contact__in=contacts_for_gifts(user=user)
            )
            .values_list("tag", "contact_id", "contact__first_name", "contact__last_name")
            .distinct()
            .order_by("contact__last_name", "contact__first_name", "contact_id", "tag")
        )
        for slug, contact_id, first_name, last_name in rows:
            person = (contact_id, f"{first_name} {last_name}".strip())
            if person not in people[slug]:
                people[slug].append(person)
    cards = []
    for item in items:
        tags = list(item.tags.all())
        matched: dict[tuple[int, str], list[str]] = {}
        for tag in tags:
            for person in people.get(tag.slug, []):
                matched.setdefault(person, []).append(tag.name_in(language))
        suits = tuple(
            SuitedContact(pk=pk, name=name, interests=tuple(interests))
            for (pk, name), interests in sorted(matched.items(), key=lambda m: m[0][1])
        )
        cards.append(
            CatalogCard(
                item=item,
                name=item.name_in(language),
                description=item.description_in(language),
                price=price_display(item.price_eur, language=language),
                list_image_url=item.image_url_for("list"),
                detail_image_url=item.image_url_for("detail"),
                interests=tuple(tag.name_in(language) for tag in tags),
                suits=suits,
            )
        )
    return cards


def occasions_for_filter() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Occasion.choices if value != Occasion.ANY]
