"""What came of a gesture: recording the answer, asking for it two weeks after the gesture,
and the team lead's monthly figures of it.

A gesture's owner (who made it) is asked on the dashboard and in the weekly digest from
ASK_AFTER_DAYS after the gesture until ASK_UNTIL_DAYS; after that it is no longer asked
for (an old gesture imported from elsewhere must not flood the dashboard), but can still
be answered on the contact's page. Every function here runs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, Team, User
from contacts.permissions import may_change

from .models import Gesture, GestureOutcome, Suggestion
from .reports import month_bounds

Result = GestureOutcome.Result

ASK_AFTER_DAYS = 14
ASK_UNTIL_DAYS = 90
# Items shown in the dashboard's "What came of it?" block, below the suggestions; the rest is
# counted. Three: each is a form of seven answers, and the suggestions are what the page is for.
ASKED_ON_DASHBOARD = 3


class OutcomeRefused(ValidationError):
    """An outcome that cannot be recorded; its messages are for people."""


def may_record_outcome(user: User, gesture: Gesture) -> bool:
    """The gesture's owner, the team lead of its contact's team, admins."""
    return may_change(user, gesture)


@transaction.atomic
def gesture_outcome_record(
    *, gesture: Gesture, by: User, result: str, note: str = ""
) -> GestureOutcome:
    """Record (or correct) what came of `gesture`: who and when are those of this answer."""
    note = note.strip()
    if result not in Result.values:
        raise OutcomeRefused(_("Choose what came of it."), code="result")
    if result == Result.FELT_WRONG and not note:
        raise OutcomeRefused(
            _("Say in a few words why it felt wrong: the team learns from it."), code="note"
        )
    if len(note) > GestureOutcome.NOTE_MAX:
        raise OutcomeRefused(
            _("Keep the note to %(max)s characters at most.") % {"max": GestureOutcome.NOTE_MAX},
            code="note",
        )
    if not may_record_outcome(by, gesture):
        raise OutcomeRefused(_("You cannot record what came of this gesture."), code="permission")
    # One row per gesture: two answers at once end as the later one, never as two rows.
    Gesture.objects.select_for_update().filter(pk=gesture.pk).first()
    now = timezone.now()
    outcome = GestureOutcome.objects.filter(gesture=gesture).first()
    if outcome is None:
        outcome = GestureOutcome(gesture=gesture, created_at=now)
    outcome.result = result
    outcome.note = note
    outcome.recorded_by = by
    outcome.recorded_at = now
    outcome.full_clean(exclude=["gesture"])
    outcome.save()
    return outcome


# -- asking for it ------------------------------------------------------------------------


def _asked(today: dt.date) -> QuerySet[Gesture]:
    return Gesture.objects.filter(
        date__lte=today - dt.timedelta(days=ASK_AFTER_DAYS),
        date__gte=today - dt.timedelta(days=ASK_UNTIL_DAYS),
        outcome__isnull=True,
        contact__archived=False,
    )


@dataclass(frozen=True)
class OutcomeRequests:
    gestures: list[Gesture]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.gestures)


def outcome_requests(
    *, user: User, today: dt.date, limit: int = ASKED_ON_DASHBOARD
) -> OutcomeRequests:
    """The user's gestures that wait for an answer, oldest first (two queries). The outcome
    is joined too, though none has one: it caches the empty answer the template asks for,
    instead of one query per gesture."""
    asked = _asked(today).filter(by=user)
    gestures = list(
        asked.select_related("contact", "gift_item", "suggestion", "outcome").order_by(
            "date", "pk"
        )[:limit]
    )
    total = len(gestures) if len(gestures) < limit else asked.count()
    return OutcomeRequests(gestures=gestures, total=total)


def outcome_requests_by_user(*, today: dt.date) -> dict[int, list[Gesture]]:
    """Every active user's gestures that wait for an answer, by user id (one query)."""
    by_user: dict[int, list[Gesture]] = defaultdict(list)
    for gesture in (
        _asked(today)
        .filter(by__is_active=True)
        .exclude(by__email="")
        .select_related("contact", "gift_item")
        .order_by("by_id", "date", "pk")
    ):
        by_user[gesture.by_id].append(gesture)
    return by_user


# -- the team lead's month ----------------------------------------------------------------

RESULT_ORDER: tuple[str, ...] = tuple(Result.values)


@dataclass(frozen=True)
class OutcomeRow:
    label: str | Promise
    counts: tuple[int, ...]  # in RESULT_ORDER

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def responses(self) -> int:
        return sum(
            n
            for value, n in zip(RESULT_ORDER, self.counts, strict=True)
            if value in GestureOutcome.RESPONSES
        )

    @property
    def response_share(self) -> int | None:
        """Per cent of the recorded outcomes that were a response, rounded; None for none."""
        return round(100 * self.responses / self.total) if self.total else None


@dataclass(frozen=True)
class MonthOutcomes:
    month: dt.date
    results: Sequence[tuple[str, str | Promise]]
    by_occasion: list[OutcomeRow]
    by_kind: list[OutcomeRow]
    by_tier: list[OutcomeRow]
    total: OutcomeRow
    felt_wrong: list[GestureOutcome]


WITHOUT_SUGGESTION = "-"


def _rows(
    counts: dict[str, Counter[str]], labels: Iterable[tuple[str, str | Promise]]
) -> list[OutcomeRow]:
    return [
        OutcomeRow(label=label, counts=tuple(counts[value][r] for r in RESULT_ORDER))
        for value, label in labels
        if value in counts
    ]


def month_outcomes_scope(*, team: Team, month: dt.date) -> QuerySet[GestureOutcome]:
    """The outcomes recorded in `month` for gestures of `team`'s contacts."""
    start, end = month_bounds(month)
    return GestureOutcome.objects.filter(
        gesture__contact__team=team, recorded_at__gte=start, recorded_at__lt=end
    )


def month_outcomes(*, team: Team, month: dt.date) -> MonthOutcomes:
    """What came of the team's gestures, as recorded in `month`: by occasion, kind and
    tier, the share that got a response, and those that felt wrong with why. One query: a
    month's outcomes of one team are few, and the felt-wrong ones are listed in full."""
    outcomes = list(
        month_outcomes_scope(team=team, month=month)
        .select_related(
            "gesture__suggestion",
            "gesture__contact",
            "gesture__gift_item",
            "gesture__by",
            "recorded_by",
        )
        .order_by("recorded_at", "pk")
    )
    by_occasion: dict[str, Counter[str]] = defaultdict(Counter)
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    by_tier: dict[str, Counter[str]] = defaultdict(Counter)
    total: Counter[str] = Counter()
    for outcome in outcomes:
        gesture = outcome.gesture
        occasion = gesture.suggestion.occasion if gesture.suggestion else ""
        by_occasion[occasion or WITHOUT_SUGGESTION][outcome.result] += 1
        by_kind[gesture.kind][outcome.result] += 1
        by_tier[gesture.contact.tier][outcome.result] += 1
        total[outcome.result] += 1
    felt_wrong = [outcome for outcome in outcomes if outcome.result == Result.FELT_WRONG]
    return MonthOutcomes(
        month=month.replace(day=1),
        results=list(Result.choices),
        by_occasion=_rows(
            by_occasion,
            [
                *Suggestion.Occasion.choices,
                (WITHOUT_SUGGESTION, _("Logged without a suggestion")),
            ],
        ),
        by_kind=_rows(by_kind, Gesture.Kind.choices),
        by_tier=_rows(
            by_tier, [(value, _("Tier %(tier)s") % {"tier": value}) for value in Contact.Tier]
        ),
        total=OutcomeRow(label=_("Team"), counts=tuple(total[r] for r in RESULT_ORDER)),
        felt_wrong=felt_wrong,
    )


# Column names are a stable interface for spreadsheets, hence not translated.
OUTCOMES_CSV_HEADER = (
    "recorded_at",
    "recorded_by",
    "gesture_date",
    "contact",
    "organization",
    "tier",
    "occasion",
    "kind",
    "gift",
    "done_by",
    "outcome",
    "response",
    "note",
)


def month_outcome_records(*, team: Team, month: dt.date) -> list[list[str]]:
    """One row per outcome recorded in `month` (OUTCOMES_CSV_HEADER), oldest first; plain
    strings, not yet made safe for a spreadsheet. One query."""
    rows = []
    for outcome in (
        month_outcomes_scope(team=team, month=month)
        .select_related(
            "gesture__contact__organization",
            "gesture__gift_item",
            "gesture__suggestion",
            "gesture__by",
            "recorded_by",
        )
        .order_by("recorded_at", "pk")
    ):
        gesture = outcome.gesture
        contact = gesture.contact
        rows.append(
            [
                timezone.localtime(outcome.recorded_at).isoformat(timespec="minutes"),
                outcome.recorded_by.display_name(),
                gesture.date.isoformat(),
                contact.full_name,
                contact.organization.name if contact.organization else "",
                contact.tier,
                gesture.suggestion.occasion if gesture.suggestion else "",
                gesture.kind,
                gesture.gift_item.name if gesture.gift_item else "",
                gesture.by.display_name(),
                outcome.result,
                "yes" if outcome.got_response else "no",
                outcome.note,
            ]
        )
    return rows
