"""Reads for the staff catalog (filtered items and which of the viewer's contacts they suit)
and for "My gestures" (open suggestions as cards, due groups, navigation counters)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, Fact, Tag, User
from contacts.permissions import scope_to_user
from privacy.retention import facts_past_review

from . import loaders
from .models import Gesture, GiftItem, Occasion, ScanConfiguration, Suggestion
from .rules import (
    ScanSettings,
    annual_gift_limit,
    describe_distance,
    eligible_gifts,
    format_date,
    render_explanation,
)
from .rules.explain import (
    ExplanationParts,
    describe_occasion,
    explanation_parts,
    interest_name,
)


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


# -- My gestures: an account manager's open suggestions ------------------------------------

# What the dashboard lists: everything still to decide or to do. Snoozed ones come back
# (as new) on their day; closed ones are history.
DASHBOARD_STATUSES: tuple[str, ...] = (
    Suggestion.Status.PENDING,
    Suggestion.Status.CONFIRMED,
    Suggestion.Status.AWAITING_APPROVAL,
    Suggestion.Status.APPROVED,
)
# "This week" is the next seven days, today included.
WEEK_DAYS = 7
SWAP_OPTIONS_SHOWN = 6


@dataclass(frozen=True)
class DashboardFilters:
    occasion: str = ""
    kind: str = ""
    who: str = ""  # words each found in the contact's name or organization
    contact: int | None = None
    due_from: date | None = None
    due_to: date | None = None


def contacts_owned(*, user: User) -> QuerySet[Contact]:
    """The contacts `user` looks after themselves (whatever their role), not archived."""
    return scope_to_user(Contact.objects.filter(owner=user, archived=False), user)


def _filters_q(filters: DashboardFilters) -> Q:
    """The dashboard's filters as one condition on suggestions."""
    condition = Q()
    if filters.occasion:
        condition &= Q(occasion=filters.occasion)
    if filters.kind:
        condition &= Q(kind=filters.kind)
    for word in filters.who.split()[:5]:
        condition &= (
            Q(contact__first_name__icontains=word)
            | Q(contact__last_name__icontains=word)
            | Q(contact__organization__name__icontains=word)
        )
    if filters.contact is not None:
        condition &= Q(contact_id=filters.contact)
    if filters.due_from is not None:
        condition &= Q(due_date__gte=filters.due_from)
    if filters.due_to is not None:
        condition &= Q(due_date__lte=filters.due_to)
    return condition


def _mine(user: User) -> Q:
    return Q(status__in=DASHBOARD_STATUSES, contact__owner=user, contact__archived=False)


def dashboard_suggestions(*, user: User, filters: DashboardFilters) -> QuerySet[Suggestion]:
    """Open suggestions of the contacts `user` owns, soonest due first. Page through their
    ids and load the page with `suggestions_for_cards`: sorting narrow rows is faster than
    sorting thousands of joined ones for the twenty shown."""
    suggestions = scope_to_user(
        Suggestion.objects.filter(_mine(user) & _filters_q(filters)),
        user,
        team_field="contact__team",
    )
    return suggestions.order_by("due_date", "-score", "pk")


def suggestions_for_cards(*, ids: Sequence[int]) -> list[Suggestion]:
    """The suggestions with `ids`, in that order, with what a card shows joined in."""
    rows = Suggestion.objects.select_related("contact__organization", "gift_item").in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


# How long a gift the team lead rejected stays on the account manager's page, with the reason.
REJECTED_SHOWN_DAYS = 14
REJECTED_SHOWN_MAX = 10


def recently_rejected(*, user: User, today: date) -> list[Suggestion]:
    """Gifts of `user`'s contacts their team lead rejected lately, newest first, so the
    account manager reads why."""
    since = timezone.make_aware(
        datetime.combine(today - timedelta(days=REJECTED_SHOWN_DAYS), time.min)
    )
    return list(
        scope_to_user(
            Suggestion.objects.filter(
                status=Suggestion.Status.REJECTED,
                contact__owner=user,
                contact__archived=False,
                decided_at__gte=since,
            ),
            user,
            team_field="contact__team",
        )
        .select_related("contact", "gift_item", "decided_by")
        .order_by("-decided_at", "-pk")[:REJECTED_SHOWN_MAX]
    )


def suggestion_for_card(*, user: User, pk: int) -> Suggestion | None:
    """One suggestion as a dashboard card shows it, in any status (an action's answer)."""
    return (
        scope_to_user(Suggestion.objects.all(), user, team_field="contact__team")
        .select_related("contact__organization", "gift_item")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class DueGroups:
    overdue: int
    this_week: int
    later: int


@dataclass(frozen=True)
class NavCounters:
    open: int
    due_this_week: int
    awaiting_approval: int


def _counters(user: User, today: date) -> tuple[Q, dict[str, Count]]:
    """What the navigation badges count: the rows to read and one aggregate per badge.

    Open: the user's dashboard. Due this week: of those, what is theirs to act on within
    seven days (overdue included; what waits for approval is not theirs to act on).
    Awaiting approval: their own gifts in the queue; a team lead's team queue; all for an
    admin.
    """
    mine = _mine(user)
    if user.is_admin:
        queue = Q(status=Suggestion.Status.AWAITING_APPROVAL)
    elif user.is_team_lead:
        queue = Q(status=Suggestion.Status.AWAITING_APPROVAL, contact__team_id=user.team_id)
    else:
        queue = Q(status=Suggestion.Status.AWAITING_APPROVAL, contact__owner=user)
    week_end = today + timedelta(days=WEEK_DAYS - 1)
    due = mine & Q(due_date__lte=week_end) & ~Q(status=Suggestion.Status.AWAITING_APPROVAL)
    return mine | queue, {
        "open": Count("pk", filter=mine),
        "due_this_week": Count("pk", filter=due),
        "awaiting_approval": Count("pk", filter=queue),
    }


def nav_counters(*, user: User, today: date) -> NavCounters:
    """The badges of the navigation, in one query."""
    rows, counts = _counters(user, today)
    result = (
        scope_to_user(Suggestion.objects.filter(rows), user, team_field="contact__team")
        .order_by()
        .aggregate(**counts)
    )
    return NavCounters(**result)


def dashboard_counts(
    *, user: User, filters: DashboardFilters, today: date
) -> tuple[NavCounters, DueGroups]:
    """The navigation badges and the page's due groups (of the filtered rows), together in
    one query: the dashboard page needs both."""
    rows, counts = _counters(user, today)
    shown = _mine(user) & _filters_q(filters)
    week_end = today + timedelta(days=WEEK_DAYS - 1)
    result = (
        scope_to_user(Suggestion.objects.filter(rows), user, team_field="contact__team")
        .order_by()
        .aggregate(
            **counts,
            overdue=Count("pk", filter=shown & Q(due_date__lt=today)),
            this_week=Count("pk", filter=shown & Q(due_date__gte=today, due_date__lte=week_end)),
            later=Count("pk", filter=shown & Q(due_date__gt=week_end)),
        )
    )
    groups = DueGroups(
        overdue=result.pop("overdue"), this_week=result.pop("this_week"), later=result.pop("later")
    )
    return NavCounters(**result), groups


@dataclass(frozen=True)
class Quote:
    text: str
    author: str
    noted_on: date
    date_text: str


@dataclass(frozen=True)
class Allowance:
    year: int
    limit: str
    remaining: str
    # The gift's price is more than what is left (a gift given in the meantime).
    exceeded: bool


@dataclass(frozen=True)
class SwapOption:
    pk: int
    name: str
    price: str
    interests: tuple[str, ...]


@dataclass(frozen=True)
class SuggestionCard:
    suggestion: Suggestion
    contact_name: str
    organization: str
    occasion: str
    event_date: str
    event_distance: str
    due_date: str
    due_distance: str
    group: str  # overdue | this_week | later
    explanation: ExplanationParts
    quotes: tuple[Quote, ...]
    sensitive: bool
    gift_name: str = ""
    image_url: str = ""
    price: str = ""
    allowance: Allowance | None = None
    swap_options: tuple[SwapOption, ...] = ()
    snoozed_until: str = ""
    # Months since the source fact was noted or confirmed, when it is due for review.
    stale_months: int | None = None

    @property
    def pk(self) -> int:
        return self.suggestion.pk

    @property
    def is_open_here(self) -> bool:
        """Still on the dashboard (an action's answer may be a suggestion that left it)."""
        return self.suggestion.status in DASHBOARD_STATUSES

    @property
    def can_confirm(self) -> bool:
        return self.suggestion.can_become(Suggestion.Status.CONFIRMED)

    @property
    def can_dismiss(self) -> bool:
        return self.suggestion.can_become(Suggestion.Status.DISMISSED)

    @property
    def can_snooze(self) -> bool:
        return self.suggestion.can_become(Suggestion.Status.SNOOZED)

    @property
    def can_swap(self) -> bool:
        return self.suggestion.kind == Suggestion.Kind.GIFT and self.suggestion.status in (
            Suggestion.Status.PENDING,
            Suggestion.Status.CONFIRMED,
        )

    @property
    def can_mark_done(self) -> bool:
        suggestion = self.suggestion
        if suggestion.status == Suggestion.Status.PENDING:
            return suggestion.kind != Suggestion.Kind.GIFT
        return suggestion.can_become(Suggestion.Status.DONE)


def explanation_text(
    suggestion: Suggestion, *, language: str, today: date, names: dict[str, tuple[str, str]]
) -> str:
    """The suggestion's whole explanation as text in `language`, counted from `today`; ""
    when the stored one cannot be read."""
    explanation = suggestion.stored_explanation()
    if explanation is None:
        return ""
    return render_explanation(explanation, language=language, today=today, interest_names=names)


def _due_group(due: date, today: date) -> str:
    if due < today:
        return "overdue"
    if due < today + timedelta(days=WEEK_DAYS):
        return "this_week"
    return "later"


def _gift_totals(suggestions: Sequence[Suggestion]) -> dict[tuple[int, int], Decimal]:
    """What each gift recipient on the page got in gifts, per calendar year: one query."""
    wanted = {(s.contact_id, s.event_date.year) for s in suggestions if s.gift_item_id}
    if not wanted:
        return {}
    rows = (
        Gesture.objects.filter(
            kind=Gesture.Kind.GIFT,
            contact_id__in={contact for contact, _year in wanted},
            date__year__in={year for _contact, year in wanted},
        )
        .values("contact_id", "date__year")
        .annotate(total=Sum("value_eur"))
        .order_by()
    )
    return {(row["contact_id"], row["date__year"]): row["total"] or Decimal(0) for row in rows}


def _swap_options(
    suggestions: Sequence[Suggestion], *, today: date, language: str, settings: ScanSettings
) -> dict[int, tuple[SwapOption, ...]]:
    """The other gifts each swappable suggestion may become, by the scan's own rules, in a
    fixed number of queries for the whole page."""
    swappable = [
        s
        for s in suggestions
        if s.kind == Suggestion.Kind.GIFT
        and s.status in (Suggestion.Status.PENDING, Suggestion.Status.CONFIRMED)
    ]
    if not swappable:
        return {}
    catalog = loaders.catalog_items()
    inputs = loaders.contact_inputs(sorted({s.contact_id for s in swappable}), today=today)
    names = loaders.interest_names()
    options: dict[int, tuple[SwapOption, ...]] = {}
    for suggestion in swappable:
        contact_inputs = inputs.get(suggestion.contact_id)
        if contact_inputs is None:
            continue
        ranked = eligible_gifts(
            contact=contact_inputs.contact,
            gestures=contact_inputs.gestures,
            catalog=catalog,
            settings=settings,
            occasion=suggestion.occasion,
            event_date=suggestion.event_date,
            today=today,
        )
        options[suggestion.pk] = tuple(
            SwapOption(
                pk=item.id,
                name=(item.name_de if language == "de" else item.name_en) or item.name_en,
                price=price_display(item.price_eur, language=language),
                interests=tuple(
                    interest_name(slug, language=language, interest_names=names) for slug in matched
                ),
            )
            for item, matched in ranked
            if item.id != suggestion.gift_item_id
        )[:SWAP_OPTIONS_SHOWN]
    return options


def suggestion_cards(
    *, suggestions: Sequence[Suggestion], language: str, today: date
) -> list[SuggestionCard]:
    """Cards for `suggestions` (from dashboard_suggestions or suggestion_for_card) in the
    viewer's language. A fixed number of queries, whatever the number of cards."""
    if not suggestions:
        return []
    configuration = ScanConfiguration.current()
    settings = loaders.scan_settings(configuration)
    names = loaders.interest_names()
    totals = _gift_totals(suggestions)
    swaps = _swap_options(suggestions, today=today, language=language, settings=settings)
    stale = facts_past_review((s.source_fact_id or 0 for s in suggestions), today=today)
    cards = []
    for suggestion in suggestions:
        explanation = suggestion.explanation_data()
        contact = suggestion.contact
        # The card shows the quotes itself, with their dates: the explanation's parts without
        # them (the template picks the parts its header and gift block do not already say).
        parts = explanation_parts(
            replace(explanation, quotes=()), language=language, today=today, interest_names=names
        )
        cards.append(
            SuggestionCard(
                suggestion=suggestion,
                contact_name=contact.full_name,
                organization=contact.organization.name if contact.organization else "",
                occasion=describe_occasion(explanation, language),
                event_date=format_date(suggestion.event_date, language),
                event_distance=describe_distance(
                    suggestion.event_date, today=today, language=language
                ),
                due_date=format_date(suggestion.due_date, language),
                due_distance=describe_distance(suggestion.due_date, today=today, language=language),
                group=_due_group(suggestion.due_date, today),
                explanation=parts,
                quotes=tuple(
                    Quote(
                        text=text,
                        author=author,
                        noted_on=noted_on,
                        date_text=format_date(noted_on, language),
                    )
                    for text, noted_on, author in explanation.quotes
                ),
                sensitive=explanation.sensitive,
                snoozed_until=(
                    format_date(suggestion.snoozed_until, language)
                    if suggestion.snoozed_until
                    else ""
                ),
                stale_months=stale.get(suggestion.source_fact_id or 0),
            )
        )
        item = suggestion.gift_item
        if item is not None and suggestion.kind == Suggestion.Kind.GIFT:
            price = suggestion.price_eur if suggestion.price_eur is not None else item.price_eur
            organization = contact.organization
            limit = annual_gift_limit(
                default_eur=configuration.annual_gift_limit_eur,
                organization_limit_eur=organization.gift_limit_eur if organization else None,
            )
            year = suggestion.event_date.year
            remaining = max(limit - totals.get((contact.pk, year), Decimal(0)), Decimal(0))
            cards[-1] = replace(
                cards[-1],
                gift_name=item.name_in(language),
                image_url=item.image_url_for("list"),
                price=price_display(price, language=language),
                allowance=Allowance(
                    year=year,
                    limit=price_display(limit, language=language),
                    remaining=price_display(remaining, language=language),
                    exceeded=price > remaining,
                ),
                swap_options=swaps.get(suggestion.pk, ()),
            )
    return cards
