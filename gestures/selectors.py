"""Reads for the staff catalog (filtered items and which of the viewer's contacts they suit)
and for "My gestures" (open suggestions as cards, due groups, navigation counters)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Lower, Trim
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, Fact, Tag, Team, User
from contacts.permissions import scope_to_user
from privacy.retention import facts_past_review

from . import loaders
from .models import Gesture, GiftItem, Occasion, ScanConfiguration, Suggestion
from .rules import (
    CatalogItem,
    FactInfo,
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
from .rules.guard import CARE_EVENTS, CarePeriod, guard_lines, item_exclusion
from .rules.occasions import OCCASIONS


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
class LeftOutContact:
    """A contact the item would suit by interest, whom the appropriateness guard keeps it
    from, and why (in the viewer's language)."""

    pk: int
    name: str
    why: str


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
    left_out: tuple[LeftOutContact, ...] = field(default=())

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
    guards = _catalog_guards({pk for persons in people.values() for pk, _name in persons})
    cards = []
    for item in items:
        tags = list(item.tags.all())
        matched: dict[tuple[int, str], list[str]] = {}
        for tag in tags:
            for person in people.get(tag.slug, []):
                matched.setdefault(person, []).append(tag.name_in(language))
        plain = _as_catalog_item(item, tags)
        names = {tag.slug: (tag.name_en, tag.name_de) for tag in tags}
        suited: list[SuitedContact] = []
        left_out: list[LeftOutContact] = []
        for (pk, name), interests in sorted(matched.items(), key=lambda m: m[0][1]):
            dislikes, care = guards.get(pk, (frozenset(), None))
            note = item_exclusion(plain, occasion=None, dislikes=dislikes, care=care)
            if note is None:
                suited.append(SuitedContact(pk=pk, name=name, interests=tuple(interests)))
                continue
            why = guard_lines([note], language=language, interest_names=names, occasion_label=str)[
                0
            ]
            left_out.append(LeftOutContact(pk=pk, name=name, why=why))
        suits = tuple(suited)
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
                left_out=tuple(left_out),
            )
        )
    return cards


def _as_catalog_item(item: GiftItem, tags: Sequence[Tag]) -> CatalogItem:
    """What the guard reads of a catalog item (its tags as given, prefetched)."""
    return CatalogItem(
        id=item.pk,
        sku=item.sku,
        name_en=item.name,
        name_de=item.name_de or item.name,
        price_eur=item.price_eur,
        tags=frozenset(tag.slug for tag in tags),
        occasions=frozenset(item.occasions or ()),
        contains_alcohol=item.contains_alcohol,
        food=item.food,
        dietary=frozenset(item.dietary or ()),
        lead_time_days=item.lead_time_days,
        stock=item.stock,
        active=item.active,
        symbols=frozenset(item.symbols or ()),
        unsuitable_for=frozenset(item.unsuitable_occasions or ()),
    )


def _catalog_guards(
    contact_ids: set[int],
) -> dict[int, tuple[frozenset[str], CarePeriod | None]]:
    """For the catalog's "suits" lists: each contact's recorded dislikes and the period of
    care they are in today, if any. One query for all the contacts."""
    if not contact_ids:
        return {}
    today = timezone.localdate()
    care_days = loaders.scan_settings().care_period_days
    dislikes: dict[int, set[str]] = defaultdict(set)
    periods: dict[int, CarePeriod] = {}
    rows = (
        Fact.objects.filter(contact_id__in=contact_ids)
        .filter(
            Q(kind=Fact.Kind.DISLIKE, person="")
            | Q(kind=Fact.Kind.LIFE_EVENT, event__in=sorted(CARE_EVENTS))
        )
        .order_by("pk")
        .values_list(
            "pk",
            "contact_id",
            "observation_id",
            "kind",
            "tag",
            "event",
            "date",
            "person",
            "sensitive",
            "observation__noted_on",
        )
    )
    for pk, contact_id, observation_id, kind, tag, event, day, person, sensitive, noted in rows:
        if kind == Fact.Kind.DISLIKE:
            dislikes[contact_id].add(tag)
            continue
        fact = FactInfo(
            id=pk,
            observation_id=observation_id,
            kind=kind,
            event=event,
            date=day,
            person=person,
            sensitive=sensitive,
        )
        period = CarePeriod.starting(fact, since=day or noted, care_period_days=care_days)
        if period.covers(today) and (
            contact_id not in periods or period.since > periods[contact_id].since
        ):
            periods[contact_id] = period
    return {
        pk: (frozenset(dislikes.get(pk, ())), periods.get(pk))
        for pk in set(dislikes) | set(periods)
    }


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


KEEP_IN_TOUCH = "keep_in_touch"


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _todays_call(user: User, today: date) -> int | None:
    """Calls without an occasion come one a day: of the new ones, only the best ranked is
    on the dashboard, and none once the account manager decided one today; the rest wait
    for the next days (each still expires on its own date). Looked up on its own, once:
    inlined as a subquery into every count of the page it made each count's plan and SQL
    several times longer."""
    decided_today = Suggestion.objects.filter(
        occasion=KEEP_IN_TOUCH,
        contact__owner=user,
        decided_by=user,
        decided_at__gte=_start_of(today),
    )
    return (
        Suggestion.objects.filter(
            ~Exists(decided_today),
            occasion=KEEP_IN_TOUCH,
            status=Suggestion.Status.PENDING,
            contact__owner=user,
            contact__archived=False,
        )
        .order_by("-score", "due_date", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def dashboard_rows(*, user: User, today: date) -> Q:
    """The suggestions on `user`'s dashboard on `today`, as a condition (one query, for
    today's call). The page takes it once for both its cards and its counts."""
    waiting_call = Q(occasion=KEEP_IN_TOUCH, status=Suggestion.Status.PENDING)
    call = _todays_call(user, today)
    return Q(status__in=DASHBOARD_STATUSES, contact__owner=user, contact__archived=False) & (
        ~waiting_call if call is None else ~waiting_call | Q(pk=call)
    )


def dashboard_suggestions(
    *, user: User, filters: DashboardFilters, mine: Q
) -> QuerySet[Suggestion]:
    """Open suggestions of the contacts `user` owns (`mine`, from dashboard_rows), soonest
    due first. Page through their ids and load the page with `suggestions_for_cards`:
    sorting narrow rows is faster than sorting thousands of joined ones for the twenty
    shown."""
    suggestions = scope_to_user(
        Suggestion.objects.filter(mine & _filters_q(filters)),
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
        .select_related("contact", "gift_item", "decided_by", "replaced_by")
        .order_by("-decided_at", "-pk")[:REJECTED_SHOWN_MAX]
    )


# What "Recently closed" lists: the last decisions that took a suggestion off the list.
RECENTLY_CLOSED_STATUSES: tuple[str, ...] = (
    Suggestion.Status.DISMISSED,
    Suggestion.Status.SNOOZED,
    Suggestion.Status.DONE,
)
RECENTLY_CLOSED_DAYS = 7
RECENTLY_CLOSED_MAX = 5


@dataclass(frozen=True)
class ClosedSuggestion:
    suggestion: Suggestion
    contact_name: str
    occasion: str
    decided_on: str
    snoozed_until: str
    can_undo: bool


def recently_closed(*, user: User, now: datetime, language: str) -> list[ClosedSuggestion]:
    """The suggestions of `user`'s contacts dismissed, snoozed or done lately, newest first;
    their own decisions of the last minutes can still be undone from here."""
    rows = (
        scope_to_user(
            Suggestion.objects.filter(
                status__in=RECENTLY_CLOSED_STATUSES,
                contact__owner=user,
                contact__archived=False,
                decided_at__gte=now - timedelta(days=RECENTLY_CLOSED_DAYS),
            ),
            user,
            team_field="contact__team",
        )
        .select_related("contact")
        .order_by("-decided_at", "-pk")[:RECENTLY_CLOSED_MAX]
    )
    return [
        ClosedSuggestion(
            suggestion=suggestion,
            contact_name=suggestion.contact.full_name,
            occasion=describe_occasion(suggestion.explanation_data(), language),
            decided_on=format_date(timezone.localdate(suggestion.decided_at), language)
            if suggestion.decided_at
            else "",
            snoozed_until=format_date(suggestion.snoozed_until, language)
            if suggestion.snoozed_until
            else "",
            can_undo=suggestion.undoable_by(user, now=now),
        )
        for suggestion in rows
    ]


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


def _counters(user: User, today: date, mine: Q) -> tuple[Q, dict[str, Count]]:
    """What the navigation badges count: the rows to read and one aggregate per badge.

    Open: the user's dashboard. Due this week: of those, what is theirs to act on within
    seven days (overdue included; what waits for approval is not theirs to act on).
    Awaiting approval: their own gifts in the queue; a team lead's team queue; all for an
    admin.
    """
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
    rows, counts = _counters(user, today, dashboard_rows(user=user, today=today))
    result = (
        scope_to_user(Suggestion.objects.filter(rows), user, team_field="contact__team")
        .order_by()
        .aggregate(**counts)
    )
    return NavCounters(**result)


def dashboard_counts(
    *, user: User, filters: DashboardFilters, today: date, mine: Q
) -> tuple[NavCounters, DueGroups]:
    """The navigation badges and the page's due groups (of the filtered rows of `mine`, from
    dashboard_rows), together in one query: the dashboard page needs both."""
    rows, counts = _counters(user, today, mine)
    shown = mine & _filters_q(filters)
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
    # The viewer's own decision of the last minutes, which they may take back.
    can_undo: bool = False
    # Attention balance: what other team members do or did lately for the same person.
    attention: tuple[AttentionEntry, ...] = ()

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
    *,
    suggestions: Sequence[Suggestion],
    language: str,
    today: date,
    viewer: User | None = None,
    now: datetime | None = None,
) -> list[SuggestionCard]:
    """Cards for `suggestions` (from dashboard_suggestions or suggestion_for_card) in the
    viewer's language. A fixed number of queries, whatever the number of cards."""
    if not suggestions:
        return []
    now = now or timezone.now()
    configuration = ScanConfiguration.current()
    settings = loaders.scan_settings(configuration)
    names = loaders.interest_names()
    totals = _gift_totals(suggestions)
    swaps = _swap_options(suggestions, today=today, language=language, settings=settings)
    stale = facts_past_review((s.source_fact_id or 0 for s in suggestions), today=today)
    attention = attention_for_cards(suggestions, today=today, language=language)
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
                can_undo=viewer is not None and suggestion.undoable_by(viewer, now=now),
                attention=attention.get(suggestion.pk, ()),
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


# -- Attention balance: two account managers of a team at the same person ---------------------

# What counts as "recent" for attention balance: gestures done and decisions taken in the
# last two weeks; open suggestions count whatever their date.
ATTENTION_DAYS = 14


@dataclass(frozen=True)
class AttentionEntry:
    """What a colleague did or plans for the person: who, what, when (as text), for a card
    or the team lead's overview."""

    contact_id: int
    user_id: int
    user_name: str
    on: date
    text: str


def _attention_text(*, who: str, what: str, on: date, planned: bool, language: str) -> str:
    when = format_date(on, language)
    if planned:
        return str(_("%(who)s: %(what)s, due %(date)s") % {"who": who, "what": what, "date": when})
    return str(_("%(who)s: %(what)s on %(date)s") % {"who": who, "what": what, "date": when})


# What the team overview needs of each contact: first name, last name, e-mail address.
_AttentionPerson = tuple[str, str, str]


def _attention_rows(
    where: Q, *, today: date, language: str
) -> tuple[dict[int, list[AttentionEntry]], dict[int, _AttentionPerson]]:
    """The attention of the contacts `where` selects (a Q on the contact's fields, prefixed
    `contact__`): open suggestions (their owner's, who acts on them) and the gestures done in
    the last ATTENTION_DAYS days (whoever did them), with each contact's name and e-mail
    address. Two queries, whatever the number of contacts."""
    since = today - timedelta(days=ATTENTION_DAYS)
    entries: dict[int, list[AttentionEntry]] = defaultdict(list)
    people: dict[int, _AttentionPerson] = {}
    kinds = dict(Suggestion.Kind.choices)
    labels = dict(Occasion.choices)
    person = ("contact__first_name", "contact__last_name", "contact__email")
    for contact_id, kind, occasion, due, owner_id, first, last, username, *who in (
        Suggestion.objects.filter(
            where, status__in=DASHBOARD_STATUSES, contact__owner__isnull=False
        )
        .order_by("due_date", "pk")
        .values_list(
            "contact_id",
            "kind",
            "occasion",
            "due_date",
            "contact__owner_id",
            "contact__owner__first_name",
            "contact__owner__last_name",
            "contact__owner__username",
            *person,
        )
    ):
        people[contact_id] = (who[0], who[1], who[2])
        name = f"{first or ''} {last or ''}".strip() or (username or "")
        rule = OCCASIONS.get(occasion)
        occasion_label = labels.get(occasion) or (str(rule.label) if rule else occasion)
        entries[contact_id].append(
            AttentionEntry(
                contact_id=contact_id,
                user_id=owner_id,
                user_name=name,
                on=due,
                text=_attention_text(
                    who=name,
                    what=f"{kinds.get(kind, kind)} · {occasion_label}",
                    on=due,
                    planned=True,
                    language=language,
                ),
            )
        )
    gesture_kinds = dict(Gesture.Kind.choices)
    for contact_id, kind, day, by_id, first, last, username, *who in (
        Gesture.objects.filter(where, date__gte=since, by__isnull=False)
        .order_by("date", "pk")
        .values_list(
            "contact_id",
            "kind",
            "date",
            "by_id",
            "by__first_name",
            "by__last_name",
            "by__username",
            *person,
        )
    ):
        people[contact_id] = (who[0], who[1], who[2])
        name = f"{first or ''} {last or ''}".strip() or (username or "")
        entries[contact_id].append(
            AttentionEntry(
                contact_id=contact_id,
                user_id=by_id,
                user_name=name,
                on=day,
                text=_attention_text(
                    who=name,
                    what=str(gesture_kinds.get(kind, kind)),
                    on=day,
                    planned=False,
                    language=language,
                ),
            )
        )
    return entries, people


def _same_people(contacts: Sequence[Contact]) -> dict[int, set[int]]:
    """For each contact, the contacts of its team that are the same person: itself, and any
    with the same e-mail address (two account managers who each keep a record of them)."""
    emails = {(c.team_id, c.email.strip().lower()) for c in contacts if c.email.strip()}
    same: dict[int, set[int]] = {c.pk: {c.pk} for c in contacts}
    if not emails:
        return same
    rows = (
        Contact.objects.filter(team_id__in={team for team, _email in emails}, archived=False)
        .annotate(email_key=Lower(Trim("email")))
        .filter(email_key__in={email for _team, email in emails})
        .values_list("pk", "team_id", "email_key")
    )
    by_email: dict[tuple[int, str], set[int]] = defaultdict(set)
    for pk, team_id, email in rows:
        by_email[(team_id, email)].add(pk)
    for contact in contacts:
        key = (contact.team_id, contact.email.strip().lower())
        same[contact.pk] |= by_email.get(key, set())
    return same


def attention_for_cards(
    suggestions: Sequence[Suggestion], *, today: date, language: str
) -> dict[int, tuple[AttentionEntry, ...]]:
    """For each suggestion, what other team members did or plan lately for the same person
    (attention balance): shown on the card when someone besides its contact's owner is at
    it. Three queries for the whole page."""
    contacts = list({s.contact_id: s.contact for s in suggestions}.values())
    same = _same_people(contacts)
    everyone = {pk for pks in same.values() for pk in pks}
    rows, _people = _attention_rows(Q(contact_id__in=everyone), today=today, language=language)
    found: dict[int, tuple[AttentionEntry, ...]] = {}
    for suggestion in suggestions:
        owner = suggestion.contact.owner_id
        others = tuple(
            entry
            for pk in sorted(same.get(suggestion.contact_id, {suggestion.contact_id}))
            for entry in rows.get(pk, [])
            if entry.user_id != owner
        )
        if others:
            found[suggestion.pk] = others
    return found


@dataclass(frozen=True)
class AttentionCase:
    """A person two or more of the team are at, for the team lead."""

    contact_id: int
    contact_name: str
    entries: tuple[AttentionEntry, ...]


def team_attention(*, team: Team, today: date, language: str) -> list[AttentionCase]:
    """The team's contacts that more than one member is at lately (open suggestions and
    gestures of the last ATTENTION_DAYS days), for the team overview. Two contacts with one
    e-mail address are one person. Two queries, whatever the size of the team."""
    rows, people = _attention_rows(
        Q(contact__team=team, contact__archived=False), today=today, language=language
    )
    by_email: dict[str, set[int]] = defaultdict(set)
    for pk, (_first, _last, email) in people.items():
        if email.strip():
            by_email[email.strip().lower()].add(pk)
    same = {
        pk: by_email[email.strip().lower()] if email.strip() else {pk}
        for pk, (_first, _last, email) in people.items()
    }
    contacts = sorted(
        people, key=lambda pk: (people[pk][1].casefold(), people[pk][0].casefold(), pk)
    )
    cases: list[AttentionCase] = []
    seen: set[frozenset[int]] = set()
    for contact in contacts:
        group = frozenset(same.get(contact, {contact}))
        if group in seen:
            continue
        entries = tuple(entry for pk in sorted(group) for entry in rows.get(pk, []))
        if len({entry.user_id for entry in entries}) >= 2:
            seen.add(group)
            first, last, _email = people[contact]
            cases.append(AttentionCase(contact, f"{first} {last}".strip(), entries))
    return cases
