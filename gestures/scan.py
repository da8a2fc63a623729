"""The daily scan: which contacts can have something due, the rules run over them in
chunks, and the day's housekeeping (expiry, snoozes running out).

One service for every caller: `scan_day` runs a whole day in this process (the
`scan_gestures` command, the tests, the benchmark); `scan_day_start` does the same
housekeeping and hands the chunks of due contacts to a sender (gestures.dispatch sends them
to the Celery workers for the 06:00 beat task); `contact_rescan` rescans one contact after a
change so that what a person just logged shows at once. Nothing here knows of Celery.

Idempotent by construction: a suggestion's unique key (contact, occasion, source fact,
occurrence date) is in the database and the rows are inserted ignoring conflicts; the
contacts of a chunk are locked while their suggestions are computed, so two scans of the
same contact take turns and the caps (two open per contact, one gift) hold.
"""

from __future__ import annotations

import datetime as dt
import logging
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from contacts.models import Contact, Fact, Observation

from .loaders import (
    catalog_items,
    contact_inputs,
    excluded_draft_variants,
    interest_names,
    scan_settings,
)
from .models import DraftVariantUse, ScanRun, Suggestion
from .rules import CatalogItem, ContactInfo, ScanSettings, SuggestionDraft, suggest_for_contact
from .rules.drafts import draft_for
from .rules.occasions import OCCASIONS, FactsWhere, OccasionRule, PrefilterQueries
from .selectors import explanation_text

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
# New suggestions after which the scan refreshes the planner's statistics of their table.
ANALYZE_AFTER_ROWS = 10_000
# A fanned-out run whose chunks have not all reported back after this long no longer
# keeps the day's next scan from starting (a worker was lost, say).
SCAN_RUN_STALE = dt.timedelta(hours=2)
# pg_advisory_lock(namespace, day): the namespace keeps the key apart from other locks.
LOCK_NAMESPACE = 0x5CA9
# pg_advisory_xact_lock(namespace, team): one chunk at a time picks a team's draft variants.
DRAFT_LOCK_NAMESPACE = 0x5CAA
OPEN_STATUSES = [status for status in Suggestion.Status if status not in Suggestion.CLOSED]


@dataclass(frozen=True, slots=True)
class ScanReport:
    day: dt.date
    contacts: int
    created: int
    expired: int
    returned: int


# --- which contacts can have something due ------------------------------------------------


def prefilter_queries(*, today: dt.date, settings: ScanSettings) -> PrefilterQueries:
    return PrefilterQueries(
        today=today,
        settings=settings,
        facts=Fact.objects.filter(contact__archived=False),
        contacts=Contact.objects.filter(archived=False),
        observations=Observation.objects.filter(contact__archived=False),
        suggestions=Suggestion.objects.all(),
        open_statuses=OPEN_STATUSES,
    )


def occasion_contact_ids(
    rules: Iterable[OccasionRule], *, today: dt.date, settings: ScanSettings
) -> set[int]:
    """The contacts the occasions' pre-filters select for `today`: the conditions on facts
    in one query (a fact that already made a suggestion left out), the others each their
    own."""
    queries = prefilter_queries(today=today, settings=settings)
    fact_conditions: list[Q] = []
    ids: set[int] = set()
    for rule in rules:
        prefilter = rule.prefilter(queries)
        if isinstance(prefilter, FactsWhere):
            fact_conditions.append(prefilter.condition)
        else:
            for query in prefilter.queries:
                ids.update(query)
    if fact_conditions:
        already_suggested = Suggestion.objects.filter(
            contact_id=OuterRef("contact_id"),
            source_ref=OuterRef("pk"),
            event_date__gte=today - dt.timedelta(days=60),
        )
        facts = queries.facts.filter(reduce(operator.or_, fact_conditions)).exclude(
            Exists(already_suggested)
        )
        ids.update(facts.order_by().values_list("contact_id", flat=True).distinct())
    return ids


def due_contact_ids(*, today: dt.date, settings: ScanSettings) -> list[int]:
    """Every contact the rules could suggest something for today, in id order."""
    return sorted(occasion_contact_ids(OCCASIONS.values(), today=today, settings=settings))


def _chunks(ids: Sequence[int], size: int) -> list[list[int]]:
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


# --- the day's housekeeping -----------------------------------------------------------------


def suggestions_expire(*, today: dt.date) -> int:
    """Pending and snoozed suggestions whose moment has passed expire (nobody decided)."""
    return Suggestion.objects.filter(
        status__in=[Suggestion.Status.PENDING, Suggestion.Status.SNOOZED], expires_on__lt=today
    ).update(status=Suggestion.Status.EXPIRED, updated_at=timezone.now())


def suggestions_unsnooze(*, today: dt.date) -> int:
    """Snoozed suggestions whose date came are back on the list."""
    return Suggestion.objects.filter(
        status=Suggestion.Status.SNOOZED, snoozed_until__lte=today
    ).update(status=Suggestion.Status.PENDING, updated_at=timezone.now())


# --- the rules over a chunk of contacts -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScanContext:
    """What every chunk of one day's scan reads besides its contacts."""

    today: dt.date
    settings: ScanSettings
    catalog: Sequence[CatalogItem]
    interest_names: dict[str, tuple[str, str]]

    @classmethod
    def load(cls, today: dt.date) -> ScanContext:
        return cls(today, scan_settings(), catalog_items(), interest_names())


def contacts_scan(*, contact_ids: Sequence[int], context: ScanContext) -> int:
    """Store today's new suggestions for the contacts; returns how many were created.

    The contacts are locked (in id order, so two scans cannot deadlock) until the new
    suggestions are committed: a second scan of the same contact waits, then sees them.
    """
    with transaction.atomic():
        locked = dict(
            Contact.objects.select_for_update()
            .filter(pk__in=contact_ids, archived=False)
            .order_by("pk")
            .values_list("pk", "team_id")
        )
        if not locked:
            return 0
        inputs = contact_inputs(list(locked), today=context.today)
        found: list[tuple[int, ContactInfo, SuggestionDraft]] = []
        for contact_id in locked:
            data = inputs[contact_id]
            drafts = suggest_for_contact(
                contact=data.contact,
                gestures=data.gestures,
                existing=data.existing,
                catalog=context.catalog,
                settings=context.settings,
                today=context.today,
                interest_names=context.interest_names,
            )
            found.extend((contact_id, data.contact, draft) for draft in drafts)
        if not found:
            return 0
        texts = _note_drafts(found, teams=locked, context=context)
        rows = [
            Suggestion(
                contact_id=contact_id,
                kind=draft.kind,
                occasion=draft.occasion,
                source_fact_id=draft.source_fact_id,
                source_ref=draft.source_fact_id or 0,
                event_date=draft.occurrence_date,
                due_date=draft.due_date,
                expires_on=draft.expires_on,
                gift_item_id=draft.gift_item_id,
                price_eur=draft.price_eur,
                score=draft.score,
                needs_approval=draft.needs_approval,
                explanation=draft.explanation.as_json(),
                observation_ids=list(draft.observation_ids),
                draft=texts[index][1],
                draft_variant=texts[index][0],
            )
            for index, (contact_id, _contact, draft) in enumerate(found)
        ]
        started = timezone.now()
        # The unique key has the last word should anything else have stored one meanwhile;
        # what was really stored is counted under the locks, so nobody else added to it.
        Suggestion.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        return Suggestion.objects.filter(
            contact_id__in=list(locked), created_at__gte=started
        ).count()


def _draft_lock(team_ids: Iterable[int]) -> None:
    """Until the transaction ends, this chunk alone picks draft variants for these teams
    (PostgreSQL; SQLite serialises writers anyway). Taken in team order, after the contact
    locks, so two chunks cannot deadlock."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for team_id in sorted(team_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [DRAFT_LOCK_NAMESPACE, team_id])


def _note_drafts(
    found: Sequence[tuple[int, ContactInfo, SuggestionDraft]],
    *,
    teams: dict[int, int],
    context: ScanContext,
) -> list[tuple[str, str]]:
    """(variant, text) of each new suggestion's draft (empty for a call): the least used
    variant of the contact's team this month, counted in DraftVariantUse."""
    wanted = [(contact_id, draft) for contact_id, _c, draft in found if draft.kind != "call"]
    if not wanted:
        return [("", "")] * len(found)
    month = context.today.replace(day=1)
    team_ids = {teams[contact_id] for contact_id, _draft in wanted}
    _draft_lock(team_ids)
    used: dict[int, dict[str, int]] = {team_id: {} for team_id in team_ids}
    for team_id, variant, uses in DraftVariantUse.objects.filter(
        team_id__in=team_ids, month=month
    ).values_list("team_id", "variant", "uses"):
        used[team_id][variant] = uses
    excluded = excluded_draft_variants([contact_id for contact_id, _draft in wanted])
    changed: set[tuple[int, str]] = set()
    texts: list[tuple[str, str]] = []
    for contact_id, contact, draft in found:
        team_uses = used.get(teams[contact_id], {})
        note = (
            draft_for(
                draft,
                contact=contact,
                month=month,
                used=team_uses,
                excluded=excluded.get(contact_id, frozenset()),
                interest_names=context.interest_names,
                today=context.today,
            )
            if draft.kind != "call"
            else None
        )
        if note is None:
            texts.append(("", ""))
            continue
        team_uses[note.variant] = team_uses.get(note.variant, 0) + 1
        changed.add((teams[contact_id], note.variant))
        texts.append((note.variant, note.text))
    DraftVariantUse.objects.bulk_create(
        [
            DraftVariantUse(
                team_id=team_id, month=month, variant=variant, uses=used[team_id][variant]
            )
            for team_id, variant in sorted(changed)
        ],
        update_conflicts=True,
        unique_fields=["team", "month", "variant"],
        update_fields=["uses"],
    )
    return texts


# --- a whole day ------------------------------------------------------------------------------


@contextmanager
def _planned_for_scan() -> Iterator[None]:
    """PostgreSQL's JIT compiler spends longer compiling the scan's big anti-joins than it
    saves running them (0.5 s for a 0.2 s query at 100,000 contacts): off while scanning."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")


def _statistics_refresh() -> None:
    """After many new suggestions, fresh planner statistics keep the per-chunk lookups on
    their indexes (a first scan can grow the table from nothing to tens of thousands)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Suggestion._meta.db_table}")


@contextmanager
def _day_lock(day: dt.date) -> Iterator[None]:
    """Hold the day's scan lock for the block (PostgreSQL; a no-op on SQLite, which
    serialises writers anyway). A second scan of the same day waits for the first."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, day.toordinal()])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, day.toordinal()])


def _day_lock_try_in_transaction(day: dt.date) -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, day.toordinal()]
        )
        (locked,) = cursor.fetchone() or (False,)
    return bool(locked)


def scan_day(
    *,
    today: dt.date,
    trigger: str = ScanRun.Trigger.COMMAND,
    chunk_size: int = CHUNK_SIZE,
) -> ScanReport:
    """Run the whole scan for `today` in this process and record it as a ScanRun."""
    with _day_lock(today), _planned_for_scan():
        run = ScanRun.objects.create(day=today, trigger=trigger)
        expired = suggestions_expire(today=today)
        returned = suggestions_unsnooze(today=today)
        context = ScanContext.load(today)
        contact_ids = due_contact_ids(today=today, settings=context.settings)
        chunks = _chunks(contact_ids, chunk_size)
        ScanRun.objects.filter(pk=run.pk).update(
            contacts=len(contact_ids), chunks_total=len(chunks), expired=expired, returned=returned
        )
        created = unanalyzed = 0
        for chunk in chunks:
            new = contacts_scan(contact_ids=chunk, context=context)
            created, unanalyzed = created + new, unanalyzed + new
            if unanalyzed >= ANALYZE_AFTER_ROWS:
                _statistics_refresh()
                unanalyzed = 0
            ScanRun.objects.filter(pk=run.pk).update(chunks_done=F("chunks_done") + 1)
        ScanRun.objects.filter(pk=run.pk).update(created=created, finished_at=timezone.now())
    report = ScanReport(
        day=today, contacts=len(contact_ids), created=created, expired=expired, returned=returned
    )
    logger.info("scan of %s: %s", today, report)
    return report


# Called with (run id, day, chunks) inside the run's transaction; it sends them on commit.
ChunkSender = Callable[[int, dt.date, Sequence[list[int]]], None]


def scan_day_start(
    *, today: dt.date, send_chunks: ChunkSender, chunk_size: int = CHUNK_SIZE
) -> ScanRun | None:
    """Start the day's scan in chunks: housekeeping here, then the chunks of due contacts
    handed to `send_chunks`; each chunk is run by `scan_run_chunk`.

    Returns None (and does nothing) while another scan of the same day holds the lock or
    has chunks still out.
    """
    with _planned_for_scan(), transaction.atomic():
        if not _day_lock_try_in_transaction(today):
            logger.info("scan of %s already running; not starting another", today)
            return None
        if ScanRun.objects.filter(
            day=today, finished_at__isnull=True, started_at__gte=timezone.now() - SCAN_RUN_STALE
        ).exists():
            logger.info("scan of %s still has chunks out; not starting another", today)
            return None
        expired = suggestions_expire(today=today)
        returned = suggestions_unsnooze(today=today)
        contact_ids = due_contact_ids(today=today, settings=scan_settings())
        chunks = _chunks(contact_ids, chunk_size)
        run = ScanRun.objects.create(
            day=today,
            trigger=ScanRun.Trigger.BEAT,
            contacts=len(contact_ids),
            chunks_total=len(chunks),
            expired=expired,
            returned=returned,
            finished_at=None if chunks else timezone.now(),
        )
        if chunks:
            send_chunks(run.pk, today, chunks)
    return run


def scan_run_chunk(*, run_id: int, today: dt.date, contact_ids: Sequence[int]) -> int:
    """One chunk of a fanned-out scan; counts itself on its run in the same transaction, so
    a retried chunk is not counted twice."""
    with _planned_for_scan(), transaction.atomic():
        created = contacts_scan(contact_ids=contact_ids, context=ScanContext.load(today))
        ScanRun.objects.filter(pk=run_id, chunks_done__lt=F("chunks_total")).update(
            chunks_done=F("chunks_done") + 1, created=F("created") + created
        )
        ScanRun.objects.filter(
            pk=run_id, finished_at__isnull=True, chunks_done__gte=F("chunks_total")
        ).update(finished_at=timezone.now())
    return created


def contact_rescan(*, contact_id: int, today: dt.date) -> int:
    return contacts_scan(contact_ids=[contact_id], context=ScanContext.load(today))


# --- the command's report ---------------------------------------------------------------------


def open_suggestion_records(*, today: dt.date, language: str = "en") -> list[dict[str, Any]]:
    """Every open suggestion in the shape of `scan_gestures --json` (docs/commands.md)."""
    open_ones = Suggestion.objects.filter(status__in=OPEN_STATUSES)
    return suggestion_records(
        open_ones.order_by("due_date", "contact_id", "pk"), today=today, language=language
    )


def suggestion_records(
    suggestions: QuerySet[Suggestion], *, today: dt.date, language: str = "en"
) -> list[dict[str, Any]]:
    """Suggestions as plain records: ids as the exchange format names them, the explanation
    as text in `language` counted from `today`."""
    rows = list(suggestions.select_related("contact", "gift_item"))
    observation_ids = {pk for s in rows for pk in s.observation_ids}
    external = dict(
        Observation.objects.filter(pk__in=observation_ids).values_list("pk", "external_id")
    )
    names = interest_names()
    return [
        {
            "id": s.pk,
            "contact": s.contact.external_id or f"contact-{s.contact_id}",
            "kind": s.kind,
            "occasion": s.occasion,
            "event_date": s.event_date.isoformat(),
            "due_date": s.due_date.isoformat(),
            "gift_item": s.gift_item.sku if s.gift_item else None,
            "price_eur": f"{s.price_eur:.2f}" if s.price_eur is not None else None,
            "status": s.status,
            "explanation": explanation_text(s, language=language, today=today, names=names),
            "draft": s.draft_or_none,
            "observations": [
                external.get(pk) or f"observation-{pk}"
                for pk in s.observation_ids
                if pk in external
            ],
        }
        for s in rows
    ]
