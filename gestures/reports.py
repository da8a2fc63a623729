"""Reads for the team lead's pages: the team overview (upcoming gestures, the approval queue,
the month's figures, contacts out of touch) and the gift ledger.

Kept apart from selectors.py (the account manager's pages). Every function runs a fixed
number of queries, however many rows there are: grouping, limits per member and totals are
done by the database (conditional aggregation, window functions, subqueries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any, Generic, TypeVar

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, Team, User
from contacts.permissions import scope_to_user

from .loaders import interest_names
from .models import Gesture, ScanConfiguration, Suggestion, SuggestionTransition
from .rules import annual_gift_limit
from .selectors import WEEK_DAYS, explanation_text, price_display

Status = Suggestion.Status

# What a team lead still has to look at: every status but the closed ones.
OPEN_STATUSES: tuple[str, ...] = (
    Status.PENDING,
    Status.CONFIRMED,
    Status.AWAITING_APPROVAL,
    Status.APPROVED,
    Status.SNOOZED,
)
UPCOMING_DAYS = 30
# Rows shown per member in the overview's lists; the rest is counted ("and 12 more").
ROWS_PER_MEMBER = 10
# The account manager's "yes": a gift that needs approval goes to awaiting_approval instead.
CONFIRMING_STATUSES: tuple[str, ...] = (Status.CONFIRMED, Status.AWAITING_APPROVAL)
ZERO = Decimal("0.00")

T = TypeVar("T")


def teams_for_lead_pages(*, user: User) -> QuerySet[Team]:
    """The teams whose overview and ledger `user` may open: all for admins, else their own."""
    return scope_to_user(Team.objects.select_related("lead"), user, team_field="id").order_by(
        "name"
    )


@dataclass(frozen=True)
class MemberGroup(Generic[T]):
    """One member's first rows of a list, and how many there are in all."""

    member: User
    rows: list[T]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _members_of(team: Team, *, also: Iterable[int] = ()) -> dict[int, User]:
    """The team's active members and any other users named in `also` (owners of team
    contacts who have left or moved), ordered by name. One query."""
    users = User.objects.filter(Q(team=team, is_active=True) | Q(pk__in=list(also))).order_by(
        "last_name", "first_name", "username"
    )
    return {user.pk: user for user in users}


def _grouped(rows: Sequence[Any], owner_of: Any, total_of: Any) -> list[MemberGroup[Any]]:
    """Rows ordered by owner name, grouped by owner; owners come with the rows."""
    groups = []
    for _owner_id, owner_rows in groupby(rows, key=lambda row: owner_of(row).pk):
        members = list(owner_rows)
        first = members[0]
        groups.append(MemberGroup(member=owner_of(first), rows=members, total=total_of(first)))
    return groups


# -- upcoming gestures ------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingRow:
    suggestion: Suggestion
    gift_name: str
    overdue: bool
    day: dt.date  # the due date, or when a snoozed one comes back


def _upcoming_rows(
    suggestions: Iterable[Suggestion], *, today: dt.date, language: str
) -> list[UpcomingRow]:
    rows = []
    for suggestion in suggestions:
        day = (
            suggestion.snoozed_until
            if suggestion.status == Status.SNOOZED and suggestion.snoozed_until
            else suggestion.due_date
        )
        item = suggestion.gift_item
        rows.append(
            UpcomingRow(
                suggestion=suggestion,
                gift_name=item.name_in(language) if item is not None else "",
                overdue=day < today,
                day=day,
            )
        )
    return rows


def due_until(*, today: dt.date, days: int) -> dt.date:
    """The last day of a window of `days`: a week is today and the six days after it (as on
    the dashboard); the month of the overview runs UPCOMING_DAYS days past today."""
    if days == WEEK_DAYS:
        return today + dt.timedelta(days=WEEK_DAYS - 1)
    return today + dt.timedelta(days=days)


def team_due(*, team: Team, until: dt.date, member_id: int | None = None) -> QuerySet[Suggestion]:
    """The team's open suggestions due by `until` (overdue ones included), and snoozed ones
    that come back by then; of one member's contacts if `member_id`. Ordered by owner, then
    due date; what a row shows is joined in."""
    suggestions = Suggestion.objects.filter(contact__team=team, contact__archived=False).filter(
        (Q(status__in=OPEN_STATUSES) & ~Q(status=Status.SNOOZED) & Q(due_date__lte=until))
        | Q(status=Status.SNOOZED, snoozed_until__lte=until)
    )
    if member_id is not None:
        suggestions = suggestions.filter(contact__owner_id=member_id)
    return suggestions.select_related(
        "contact__organization", "contact__owner", "gift_item"
    ).order_by(
        "contact__owner__last_name",
        "contact__owner__first_name",
        "contact__owner_id",
        "due_date",
        "pk",
    )


def team_due_rows(
    suggestions: Iterable[Suggestion], *, today: dt.date, language: str
) -> list[UpcomingRow]:
    """Rows for a page of `team_due`."""
    return _upcoming_rows(suggestions, today=today, language=language)


def upcoming_by_member(
    *,
    team: Team,
    today: dt.date,
    language: str,
    days: int = UPCOMING_DAYS,
    per_member: int = ROWS_PER_MEMBER,
) -> list[MemberGroup[UpcomingRow]]:
    """`team_due` by owner: each owner's first `per_member` by due date and their count.
    One query."""
    owner = F("contact__owner")
    suggestions = (
        team_due(team=team, until=due_until(today=today, days=days))
        .annotate(
            position=Window(RowNumber(), partition_by=[owner], order_by=[F("due_date"), F("pk")]),
            owner_total=Window(Count("pk"), partition_by=[owner]),
        )
        .filter(position__lte=per_member)
    )
    return _grouped(
        _upcoming_rows(suggestions, today=today, language=language),
        owner_of=lambda row: row.suggestion.contact.owner,
        total_of=lambda row: row.suggestion.owner_total,
    )


# -- the approval queue -----------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalRow:
    suggestion: Suggestion
    gift_name: str
    price: str
    confirmed_by: User | None
    explanation: str

    @property
    def awaiting(self) -> bool:
        return self.suggestion.status == Status.AWAITING_APPROVAL


def approval_rows(
    suggestions: QuerySet[Suggestion], *, language: str, today: dt.date
) -> list[ApprovalRow]:
    """Rows of the approval queue for `suggestions`, with who confirmed each (the latest
    decision that sent it to approval). Three queries."""
    confirmations = SuggestionTransition.objects.filter(
        suggestion=OuterRef("pk"), to_status=Status.AWAITING_APPROVAL
    ).order_by("-at", "-pk")
    rows = list(
        suggestions.select_related("contact__organization", "contact__owner", "gift_item")
        .annotate(confirmed_by_id=Subquery(confirmations.values("by")[:1]))
        .order_by("due_date", "pk")
    )
    people = User.objects.in_bulk({row.confirmed_by_id for row in rows if row.confirmed_by_id})
    names = interest_names() if rows else {}
    result = []
    for suggestion in rows:
        item = suggestion.gift_item
        price = suggestion.price_eur
        if price is None and item is not None:
            price = item.price_eur
        result.append(
            ApprovalRow(
                suggestion=suggestion,
                gift_name=item.name_in(language) if item is not None else "",
                price=price_display(price, language=language) if price is not None else "",
                confirmed_by=people.get(suggestion.confirmed_by_id),
                explanation=explanation_text(
                    suggestion, language=language, today=today, names=names
                ),
            )
        )
    return result


def approval_queue(*, team: Team, language: str, today: dt.date) -> list[ApprovalRow]:
    """The team's suggestions waiting for the lead's approval, soonest due first."""
    return approval_rows(
        Suggestion.objects.filter(contact__team=team, status=Status.AWAITING_APPROVAL),
        language=language,
        today=today,
    )


def approvals_waiting(*, user: User) -> int:
    """How many gifts wait for `user`'s decision: their team's as a lead, all as an admin,
    none as an account manager (they decide nothing here). One query."""
    if not (user.is_team_lead or user.is_admin):
        return 0
    return scope_to_user(
        Suggestion.objects.filter(status=Status.AWAITING_APPROVAL),
        user,
        team_field="contact__team",
    ).count()


# -- the month overview -----------------------------------------------------------------


@dataclass(frozen=True)
class MemberMonth:
    member: User | None  # None: the team's total
    created: int = 0
    confirmed: int = 0
    dismissed: int = 0
    done: int = 0
    dismissed_by_reason: tuple[int, ...] = ()  # in the order of Suggestion.DismissReason


@dataclass(frozen=True)
class MonthOverview:
    month: dt.date  # its first day
    members: list[MemberMonth]
    total: MemberMonth
    reasons: Sequence[tuple[str, str | Promise]]

    @property
    def previous_month(self) -> dt.date:
        return (self.month - dt.timedelta(days=1)).replace(day=1)

    @property
    def next_month(self) -> dt.date:
        return (self.month + dt.timedelta(days=32)).replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of the month and of the next one, in the installation's time zone."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=zone),
        dt.datetime.combine(following, dt.time.min, tzinfo=zone),
    )


def month_overview(*, team: Team, month: dt.date) -> MonthOverview:
    """Per member (the owner of the contact) the suggestions created in `month` and the
    decisions taken on them in it: confirmed, dismissed (by reason), done. A suggestion
    counts once per kind of decision. Three queries."""
    start, end = month_bounds(month)
    reasons = list(Suggestion.DismissReason.choices)
    known = [value for value, _label in reasons]

    created = dict(
        Suggestion.objects.filter(contact__team=team, created_at__gte=start, created_at__lt=end)
        .values("contact__owner")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("contact__owner", "n")
    )

    def decided(condition: Q) -> Count:
        return Count("suggestion", distinct=True, filter=condition)

    dismissed = Q(to_status=Status.DISMISSED)
    by_reason = {
        f"reason_{value}": decided(
            dismissed
            & (Q(reason=value) | ~Q(reason__in=known) if value == "other" else Q(reason=value))
        )
        for value in known
    }
    decisions = {
        row["suggestion__contact__owner"]: row
        for row in SuggestionTransition.objects.filter(
            suggestion__contact__team=team, at__gte=start, at__lt=end
        )
        .values("suggestion__contact__owner")
        .annotate(
            confirmed=decided(Q(to_status__in=CONFIRMING_STATUSES)),
            dismissed=decided(dismissed),
            done=decided(Q(to_status=Status.DONE)),
            **by_reason,
        )
        .order_by()
    }
    members = _members_of(team, also=set(created) | set(decisions))
    rows = []
    for user_id, user in members.items():
        row = decisions.get(user_id, {})
        rows.append(
            MemberMonth(
                member=user,
                created=created.get(user_id, 0),
                confirmed=row.get("confirmed", 0),
                dismissed=row.get("dismissed", 0),
                done=row.get("done", 0),
                dismissed_by_reason=tuple(row.get(f"reason_{value}", 0) for value in known),
            )
        )
    total = MemberMonth(
        member=None,
        created=sum(r.created for r in rows),
        confirmed=sum(r.confirmed for r in rows),
        dismissed=sum(r.dismissed for r in rows),
        done=sum(r.done for r in rows),
        dismissed_by_reason=tuple(
            sum(r.dismissed_by_reason[i] for r in rows) for i in range(len(known))
        ),
    )
    return MonthOverview(month=month.replace(day=1), members=rows, total=total, reasons=reasons)


@dataclass(frozen=True)
class ChartBar:
    series: str  # created|confirmed|dismissed|done (a CSS class)
    label: str
    value: int
    x: int
    y: int
    width: int
    height: int
    text_x: int
    text_y: int


@dataclass(frozen=True)
class ChartGroup:
    label: str
    label_x: int
    label_y: int
    bars: list[ChartBar]


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    groups: list[ChartGroup]
    series: list[tuple[str, str]] = field(default_factory=list)  # (css class, label)


def month_chart(overview: MonthOverview) -> BarChart:
    """The month's figures as horizontal bars, four per member: geometry for an SVG drawn by
    the template (no JavaScript)."""
    series: list[tuple[str, str]] = [
        ("created", str(_("Created"))),
        ("confirmed", str(_("Confirmed"))),
        ("dismissed", str(_("Dismissed"))),
        ("done", str(_("Done"))),
    ]
    label_width, plot_width, bar, gap, value_room = 110, 250, 12, 14, 30
    peak = max(
        (getattr(row, name) for row in overview.members for name, _label in series), default=0
    )
    groups = []
    y = gap // 2
    for row in overview.members:
        assert row.member is not None  # noqa: S101 (members rows always have one)
        bars = []
        for index, (name, label) in enumerate(series):
            value = getattr(row, name)
            length = round(plot_width * value / peak) if peak else 0
            bar_y = y + index * bar
            bars.append(
                ChartBar(
                    series=name,
                    label=label,
                    value=value,
                    x=label_width,
                    y=bar_y,
                    width=length,
                    height=bar - 2,
                    text_x=label_width + length + 4,
                    text_y=bar_y + bar - 3,
                )
            )
        groups.append(
            ChartGroup(
                label=row.member.display_name(),
                label_x=label_width - 8,
                label_y=y + 2 * bar + 4,
                bars=bars,
            )
        )
        y += 4 * bar + gap
    return BarChart(
        width=label_width + plot_width + value_room,
        height=max(y, gap),
        label_width=label_width,
        groups=groups,
        series=series,
    )


# -- contacts out of touch --------------------------------------------------------------


@dataclass(frozen=True)
class OutOfTouchRow:
    contact: Contact
    last_touch: dt.date | None
    days_since: int | None
    cadence_days: int


def team_out_of_touch(
    *, team: Team, today: dt.date, member_id: int | None = None
) -> QuerySet[Contact]:
    """The team's active contacts with no gesture and no observation for longer than their
    tier's cadence (or never), of one member if `member_id`: by owner, longest silent
    first, by the contacts' stored last touch (annotated `last_touch`)."""
    cadences = ScanConfiguration.current().cadence_days()
    contacts = (
        Contact.objects.filter(team=team, archived=False)
        .annotate(
            last_touch=F("last_touch_on"),
            touch_due_before=Case(
                *(
                    When(tier=tier, then=Value(today - dt.timedelta(days=days)))
                    for tier, days in cadences.items()
                ),
                output_field=DateField(),
            ),
            cadence=Case(
                *(When(tier=tier, then=Value(days)) for tier, days in cadences.items()),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(last_touch__isnull=True) | Q(last_touch__lt=F("touch_due_before")))
        .select_related("organization", "owner")
    )
    if member_id is not None:
        contacts = contacts.filter(owner_id=member_id)
    return contacts.order_by(
        "owner__last_name",
        "owner__first_name",
        "owner_id",
        F("last_touch").asc(nulls_first=True),
        "last_name",
        "pk",
    )


def out_of_touch_rows(contacts: Iterable[Contact], *, today: dt.date) -> list[OutOfTouchRow]:
    """Rows for (a page of) `team_out_of_touch`."""
    return [
        OutOfTouchRow(
            contact=contact,
            last_touch=contact.last_touch,  # type: ignore[attr-defined]
            days_since=(
                (today - contact.last_touch).days  # type: ignore[attr-defined]
                if contact.last_touch  # type: ignore[attr-defined]
                else None
            ),
            cadence_days=contact.cadence,  # type: ignore[attr-defined]
        )
        for contact in contacts
    ]


def contacts_out_of_touch(
    *, team: Team, today: dt.date, per_member: int = ROWS_PER_MEMBER
) -> list[MemberGroup[OutOfTouchRow]]:
    """`team_out_of_touch` per owner: each owner's first `per_member` and their count.
    Two queries (the settings and the list)."""
    owner = F("owner")
    contacts = (
        team_out_of_touch(team=team, today=today)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[owner],
                order_by=[F("last_touch").asc(nulls_first=True), F("last_name"), F("pk")],
            ),
            owner_total=Window(Count("pk"), partition_by=[owner]),
        )
        .filter(position__lte=per_member)
    )
    return _grouped(
        out_of_touch_rows(contacts, today=today),
        owner_of=lambda row: row.contact.owner,
        total_of=lambda row: row.contact.owner_total,
    )


# -- the gift ledger --------------------------------------------------------------------


def _ledger_scope(*, user: User, team: Team | None, year: int) -> QuerySet[Gesture]:
    gifts = scope_to_user(
        Gesture.objects.filter(kind=Gesture.Kind.GIFT, date__year=year),
        user,
        team_field="contact__team",
    )
    if team is not None:
        gifts = gifts.filter(contact__team=team)
    return gifts


def ledger_gifts(*, user: User, team: Team | None, year: int) -> QuerySet[Gesture]:
    """Every gift of `year` that `user` may see (of `team` if given), newest first, each with
    its recipient's total of the year (`recipient_total`), their total up to and including
    this gift (`running_total`, in the order given) and the default limit."""
    config = ScanConfiguration.current()
    value = Coalesce(
        "value_eur", Value(ZERO), output_field=DecimalField(max_digits=10, decimal_places=2)
    )
    return (
        _ledger_scope(user=user, team=team, year=year)
        .select_related("contact__organization", "contact__team", "gift_item", "by")
        .annotate(
            recipient_total=Window(Sum(value), partition_by=[F("contact")]),
            running_total=Window(
                Sum(value),
                partition_by=[F("contact")],
                order_by=[F("date").asc(), F("pk").asc()],
            ),
            default_limit_eur=Value(
                config.annual_gift_limit_eur,
                output_field=DecimalField(max_digits=8, decimal_places=2),
            ),
        )
        .order_by("-date", "-pk")
    )


@dataclass(frozen=True)
class GiftYearTotal:
    """A gift of `ledger_gifts` against its recipient's year: the total of the year, the
    total once this gift was given, and the limit."""

    total_eur: Decimal
    running_eur: Decimal
    limit_eur: Decimal

    @property
    def over_limit(self) -> bool:
        """This gift took (or kept) the recipient past the limit; the gifts before the one
        that crossed it were within it."""
        return self.running_eur > self.limit_eur


def gift_year_total(gesture: Gesture) -> GiftYearTotal:
    total = getattr(gesture, "recipient_total", None) or ZERO
    running = getattr(gesture, "running_total", None) or ZERO
    default = getattr(gesture, "default_limit_eur", None)
    if default is None:
        return GiftYearTotal(total_eur=total, running_eur=running, limit_eur=ZERO)
    organization = gesture.contact.organization
    limit = annual_gift_limit(
        default_eur=default,
        organization_limit_eur=organization.gift_limit_eur if organization else None,
    )
    return GiftYearTotal(total_eur=total, running_eur=running, limit_eur=limit)


@dataclass(frozen=True)
class RecipientTotal:
    contact_id: int
    name: str
    organization: str
    gifts: int
    total_eur: Decimal
    limit_eur: Decimal

    @property
    def over_limit(self) -> bool:
        return self.total_eur > self.limit_eur

    @property
    def remaining_eur(self) -> Decimal:
        return max(self.limit_eur - self.total_eur, ZERO)

    @property
    def overrun_eur(self) -> Decimal:
        return max(self.total_eur - self.limit_eur, ZERO)


def ledger_recipients(*, user: User, team: Team | None, year: int) -> list[RecipientTotal]:
    """Per recipient the number and value of the year's gifts against their limit; those over
    the limit first, then by total. Two queries (the settings and the totals)."""
    config = ScanConfiguration.current()
    rows = (
        _ledger_scope(user=user, team=team, year=year)
        .values(
            "contact",
            "contact__first_name",
            "contact__last_name",
            "contact__organization__name",
            "contact__organization__gift_limit_eur",
        )
        .annotate(gifts=Count("pk"), total=Coalesce(Sum("value_eur"), Value(ZERO)))
        .order_by()
    )
    totals = [
        RecipientTotal(
            contact_id=row["contact"],
            name=f"{row['contact__first_name']} {row['contact__last_name']}".strip(),
            organization=row["contact__organization__name"] or "",
            gifts=row["gifts"],
            total_eur=row["total"],
            limit_eur=annual_gift_limit(
                default_eur=config.annual_gift_limit_eur,
                organization_limit_eur=row["contact__organization__gift_limit_eur"],
            ),
        )
        for row in rows
    ]
    totals.sort(key=lambda r: (not r.over_limit, -r.total_eur, r.name, r.contact_id))
    return totals


def ledger_years(
    *, user: User, team: Team | None, today: dt.date, chosen: int | None = None
) -> list[int]:
    """The years with gifts that `user` may see, the current one and the one chosen (a year
    without gifts is still the one the picker shows), newest first."""
    gifts = scope_to_user(
        Gesture.objects.filter(kind=Gesture.Kind.GIFT), user, team_field="contact__team"
    )
    if team is not None:
        gifts = gifts.filter(contact__team=team)
    years = {day.year for day in gifts.dates("date", "year")} | {today.year}
    if chosen is not None:
        years.add(chosen)
    return sorted(years, reverse=True)
