"""Retention review: which observations are due for someone to look at again, and how
old the note behind a suggestion is.

An observation is due `observation_review_months` after it was noted or last confirmed
(RetentionSettings), one with a special-category (Art. 9) fact already after
`sensitive_review_months`. Being due hides nothing and changes nothing the scan reads: a
protective constraint (an allergy, no alcohol, no gifts) keeps protecting until a person
deletes its observation.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from contacts.models import Fact, Observation, User

from .models import ObservationReview, RetentionSettings


def months_earlier(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months before (the month's last day if it is
    shorter: 31 March less one month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from `earlier` to `later` (0 when later is not later)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class ReviewCutoffs:
    """Observations last confirmed on or before these days are due."""

    observation: dt.date
    sensitive: dt.date

    @classmethod
    def on(cls, today: dt.date, settings: RetentionSettings) -> ReviewCutoffs:
        return cls(
            observation=months_earlier(today, settings.observation_review_months),
            sensitive=months_earlier(today, settings.sensitive_review_months),
        )


def _last_review() -> Subquery:
    return Subquery(
        ObservationReview.objects.filter(observation=OuterRef("pk"))
        .order_by("-reviewed_on")
        .values("reviewed_on")[:1]
    )


def observations_with_review_state(queryset: QuerySet[Observation]) -> QuerySet[Observation]:
    """`confirmed_on` (noted, or confirmed at a review since) and `has_sensitive` (an Art. 9
    fact) on each observation."""
    return queryset.annotate(
        confirmed_on=Greatest("noted_on", Coalesce(_last_review(), "noted_on")),
        has_sensitive=Exists(Fact.objects.filter(observation=OuterRef("pk"), sensitive=True)),
    )


def review_scope(user: User) -> QuerySet[Observation]:
    """Whose observations `user` reviews: an account manager those of the contacts they
    own, a team lead the team's, an admin everyone's."""
    queryset = Observation.objects.filter(contact__erased_at__isnull=True)
    if user.is_admin:
        return queryset
    if user.team_id is None:
        return queryset.none()
    if user.is_team_lead:
        return queryset.filter(contact__team_id=user.team_id)
    return queryset.filter(contact__owner=user, contact__team_id=user.team_id)


def observations_due(
    queryset: QuerySet[Observation], *, today: dt.date, settings: RetentionSettings | None = None
) -> QuerySet[Observation]:
    """The observations of `queryset` due for review on `today`, oldest first."""
    cutoffs = ReviewCutoffs.on(today, settings or RetentionSettings.current())
    return (
        observations_with_review_state(queryset)
        .filter(
            Q(has_sensitive=True, confirmed_on__lte=cutoffs.sensitive)
            | Q(confirmed_on__lte=cutoffs.observation)
        )
        .order_by("confirmed_on", "pk")
    )


@dataclass(frozen=True)
class ReviewRow:
    """An observation on the Review page: how long since it was confirmed, whether it
    holds an Art. 9 fact, and the protective constraints it records."""

    observation: Observation
    months: int
    sensitive: bool
    protective: tuple[Fact, ...]


# Constraints that keep a person safe or respected: the Review page warns before one goes.
PROTECTIVE_CONSTRAINTS = frozenset(
    {"nut_allergy", "no_alcohol", "halal", "kosher", "no_gifts", "gluten_free", "lactose_free"}
)


def review_rows(observations: Iterable[Observation], *, today: dt.date) -> list[ReviewRow]:
    """Rows for observations from `observations_due` (their facts prefetched)."""
    rows = []
    for observation in observations:
        confirmed_on: dt.date = observation.confirmed_on  # type: ignore[attr-defined]
        rows.append(
            ReviewRow(
                observation=observation,
                months=months_between(confirmed_on, today),
                sensitive=bool(observation.has_sensitive),  # type: ignore[attr-defined]
                protective=tuple(
                    fact
                    for fact in observation.facts.all()
                    if fact.kind == Fact.Kind.CONSTRAINT and fact.tag in PROTECTIVE_CONSTRAINTS
                ),
            )
        )
    return rows


def review_due_count(*, user: User, today: dt.date) -> int:
    return observations_due(review_scope(user), today=today).count()


def facts_past_review(
    fact_ids: Iterable[int], *, today: dt.date, settings: RetentionSettings | None = None
) -> dict[int, int]:
    """Of the facts `fact_ids`, those whose observation is due for review, with the months
    since it was noted or last confirmed: one query."""
    wanted = {pk for pk in fact_ids if pk}
    if not wanted:
        return {}
    cutoffs = ReviewCutoffs.on(today, settings or RetentionSettings.current())
    rows = (
        observations_with_review_state(Observation.objects.filter(facts__pk__in=wanted))
        .values_list("facts__pk", "confirmed_on", "has_sensitive")  # type: ignore[misc]
        .order_by()
    )
    past: dict[int, int] = {}
    for fact_id, confirmed_on, has_sensitive in rows:
        if fact_id not in wanted:
            continue
        cutoff = cutoffs.sensitive if has_sensitive else cutoffs.observation
        if confirmed_on <= cutoff:
            past[fact_id] = months_between(confirmed_on, today)
    return past


def review_due_counts_by_owner(*, owner_ids: Iterable[int], today: dt.date) -> dict[int, int]:
    """How many observations of the contacts each owner has are due for review: one
    query (the weekly digest says so)."""
    ids = set(owner_ids)
    if not ids:
        return {}
    due = observations_due(
        Observation.objects.filter(contact__owner_id__in=ids, contact__erased_at__isnull=True),
        today=today,
    )
    rows = due.order_by().values("contact__owner_id").annotate(due=Count("pk"))
    return {row["contact__owner_id"]: row["due"] for row in rows}
