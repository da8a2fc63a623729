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
import json
import logging
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from typing import Any, Literal

from django.db import OperationalError, connection, transaction
from django.db.models import (
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Now
from django.utils import timezone

from contacts.models import Contact, Fact, Observation

from .loaders import (
    catalog_items,
    contact_inputs,
    excluded_draft_variants,
    gift_budget_spent,
    id_array,
    interest_names,
    observation_texts,
    scan_settings,
)
from .models import DraftVariantUse, ScanChunk, ScanRun, Suggestion
from .rules import CatalogItem, ContactInfo, ScanSettings, SuggestionDraft, suggest_for_contact
from .rules.drafts import draft_for
from .rules.guard import budget_left
from .rules.occasions import OCCASIONS, FactsWhere, OccasionRule, PrefilterQueries
from .rules.types import Quote
from .selectors import explanation_text

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
# A whole day in one process (scan_day) takes bigger chunks: a fifth of the round trips and
# commits, and memory still bounded by the chunk, not by the number of contacts.
PROCESS_CHUNK_SIZE = 2_000
# New suggestions after which the scan refreshes the planner's statistics of their table,
# and again each time it has made as many again as at the last refresh (10k, 20k, 40k ...).
ANALYZE_AFTER_ROWS = 10_000
# The columns the per-chunk lookups filter on (the stored suggestions of a chunk's
# contacts, the dismissed ones' draft variants): the only statistics their plans need.
ANALYZE_COLUMNS = ("contact_id", "status", "reason", "event_date")
# A fanned-out run without chunk rows (sent before they existed) no longer keeps the day's
# next scan from starting after this long; a chunk unfinished this long after it was
# made is given up, so the run finishes.
SCAN_RUN_STALE = dt.timedelta(hours=2)
# The watchdog takes a chunk that started this long ago, is not finished and is not being
# worked on (its row is not locked) for lost: its worker died or its task failed.
CHUNK_STARTED_GRACE = dt.timedelta(seconds=2)
# A chunk's delivery waits this long for its row (held briefly by a sender or the
# watchdog); held longer, another delivery is running it.
CHUNK_LOCK_WAIT = dt.timedelta(seconds=3)
# ... and a chunk made this long ago but never sent (its run's process died after the
# commit, or the broker was away) for lost too.
CHUNK_UNSENT_GRACE = dt.timedelta(seconds=30)
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


# How contacts_scan stores the new suggestions: "copy" (PostgreSQL) sends them with one COPY
# into a temporary table and inserts them from there; "bulk_create" is the portable writer
# (SQLite), which also reads every observation's text up front instead of only the quoted
# ones. Both store the same rows (tests/gestures/test_scan_writers.py).
Writer = Literal["copy", "bulk_create"]
# The columns the scan fills, in COPY order; every other column keeps its default.
SUGGESTION_COLUMNS = (
    "contact_id",
    "kind",
    "occasion",
    "source_fact_id",
    "source_ref",
    "event_date",
    "due_date",
    "expires_on",
    "gift_item_id",
    "price_eur",
    "score",
    "needs_approval",
    "explanation",
    "observation_ids",
    "draft",
    "draft_variant",
    "status",
    "reason",
    "reason_text",
    "revision",
    "created_at",
    "updated_at",
)
STAGING_TABLE = "scan_new_suggestion"


def contacts_scan(
    *, contact_ids: Sequence[int], context: ScanContext, writer: Writer | None = None
) -> int:
    """Store today's new suggestions for the contacts; returns how many were created.

    The contacts are locked (in id order, so two scans cannot deadlock) until the new
    suggestions are committed: a second scan of the same contact waits, then sees them.
    `writer` is the default one for the database unless given.
    """
    if writer is None:
        writer = "copy" if connection.vendor == "postgresql" else "bulk_create"
    with transaction.atomic():
        contact_rows = _contacts_lock(contact_ids)
        if not contact_rows:
            return 0
        locked = {pk: team_id for pk, (team_id, _owner) in contact_rows.items()}
        owners = {pk: owner_id for pk, (_team, owner_id) in contact_rows.items()}
        budget = context.settings.monthly_gift_budget_eur
        spent = (
            gift_budget_spent(sorted({o for o in owners.values() if o}), today=context.today)
            if budget is not None
            else {}
        )
        inputs = contact_inputs(list(locked), today=context.today, texts=writer != "copy")
        found: list[tuple[int, ContactInfo, SuggestionDraft]] = []
        for contact_id in locked:
            data = inputs[contact_id]
            owner = owners[contact_id]
            drafts = suggest_for_contact(
                contact=data.contact,
                gestures=data.gestures,
                existing=data.existing,
                catalog=context.catalog,
                settings=context.settings,
                today=context.today,
                interest_names=context.interest_names,
                budget_left_eur=budget_left(
                    budget_eur=budget, spent_eur=spent.get(owner or 0, Decimal(0))
                ),
            )
            for draft in drafts:
                # The month's budget is shared by the account manager's contacts in order.
                if draft.kind == "gift" and draft.price_eur is not None and owner:
                    spent[owner] = spent.get(owner, Decimal(0)) + draft.price_eur
            found.extend((contact_id, data.contact, draft) for draft in drafts)
        if not found:
            return 0
        texts = _note_drafts(found, teams=locked, context=context)
        if writer == "copy":
            return _suggestions_copy(found, _quotes_read(found), texts)
        return _suggestions_bulk_create(found, texts, contact_ids=list(locked))


def _contacts_lock(contact_ids: Sequence[int]) -> dict[int, tuple[int, int | None]]:
    """Lock the contacts that are not archived, in id order; their team and owner by id."""
    if connection.vendor != "postgresql":
        rows = (
            Contact.objects.select_for_update()
            .filter(pk__in=contact_ids, archived=False)
            .order_by("pk")
            .values_list("pk", "team_id", "owner_id")
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, team_id, owner_id FROM contacts_contact "
                "WHERE id = ANY(%s) AND NOT archived ORDER BY id FOR UPDATE",
                [id_array(contact_ids)],
            )
            rows = cursor.fetchall()
    return {pk: (team_id, owner_id) for pk, team_id, owner_id in rows}


def _quotes_read(
    found: Sequence[tuple[int, ContactInfo, SuggestionDraft]],
) -> list[tuple[Quote, ...]]:
    """The quotes of each draft with the text of the observations they quote, read for those
    alone (the rules ran on observations without text). A draft's quotes are its
    observation_ids that the contact has, in that order (ContactInfo.quotes), whichever rule
    made it."""
    texts = observation_texts(pk for _c, _i, draft in found for pk in draft.observation_ids)
    quotes = []
    for _contact_id, contact, draft in found:
        notes = contact.observations
        quotes.append(
            tuple(
                (texts[pk].strip(), notes[pk].noted_on, notes[pk].author_name)
                for pk in draft.observation_ids
                if pk in notes
            )
        )
    return quotes


def _suggestion_values(
    contact_id: int,
    draft: SuggestionDraft,
    quotes: tuple[Quote, ...],
    text: tuple[str, str],
    now: dt.datetime,
) -> tuple[Any, ...]:
    """One new suggestion's values for SUGGESTION_COLUMNS, its explanation quoting `quotes`."""
    return (
        contact_id,
        draft.kind,
        draft.occasion,
        draft.source_fact_id,
        draft.source_fact_id or 0,  # source_ref 0 stands for "no fact" in the unique key
        draft.occurrence_date,
        draft.due_date,
        draft.expires_on,
        draft.gift_item_id,
        draft.price_eur,
        draft.score,
        draft.needs_approval,
        json.dumps(draft.explanation.as_json(quotes=quotes)),
        json.dumps(list(draft.observation_ids)),
        text[1],
        text[0],
        Suggestion.Status.PENDING.value,
        "",
        "",
        0,  # a scan's suggestion is the occurrence's first; a fallback note is revision 1
        now,
        now,
    )


def _suggestions_copy(
    found: Sequence[tuple[int, ContactInfo, SuggestionDraft]],
    quotes: Sequence[tuple[Quote, ...]],
    texts: Sequence[tuple[str, str]],
) -> int:
    """COPY the new suggestions into a temporary table of the same columns, then insert
    them from there; the unique key has the last word should anything else have stored one
    meanwhile. Returns how many were stored: counted by the insert itself, under the locks."""
    table, columns = Suggestion._meta.db_table, ", ".join(SUGGESTION_COLUMNS)
    now = timezone.now()
    with connection.cursor() as cursor:
        # Made once per database session; emptied at every commit and before each use.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING_TABLE} ON COMMIT DELETE ROWS "  # noqa: S608
            f"AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {STAGING_TABLE}")
        with cursor.cursor.copy(f"COPY {STAGING_TABLE} ({columns}) FROM STDIN") as copy:
            for index, (contact_id, _contact, draft) in enumerate(found):
                copy.write_row(
                    _suggestion_values(contact_id, draft, quotes[index], texts[index], now)
                )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {STAGING_TABLE} "  # noqa: S608
            "ON CONFLICT DO NOTHING"
        )
        return cursor.rowcount


def _suggestions_bulk_create(
    found: Sequence[tuple[int, ContactInfo, SuggestionDraft]],
    texts: Sequence[tuple[str, str]],
    *,
    contact_ids: list[int],
) -> int:
    """The portable writer: the same rows through bulk_create, ignoring conflicts, and
    counted afterwards under the locks (nobody else added to them)."""
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
    Suggestion.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return Suggestion.objects.filter(contact_id__in=contact_ids, created_at__gte=started).count()


def _draft_lock(team_ids: Iterable[int]) -> None:
    """Until the transaction ends, this chunk alone picks draft variants for these teams
    (PostgreSQL; SQLite serialises writers anyway). Taken in team order, after the contact
    locks, so two chunks cannot deadlock."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            # unnest keeps the array's order: the locks are taken in team order.
            "SELECT pg_advisory_xact_lock(%s, team) FROM unnest(%s::integer[]) AS team",
            [DRAFT_LOCK_NAMESPACE, sorted(team_ids)],
        )


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
            cursor.execute(f"ANALYZE {Suggestion._meta.db_table} ({', '.join(ANALYZE_COLUMNS)})")


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
    chunk_size: int = PROCESS_CHUNK_SIZE,
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
        analyze_after = ANALYZE_AFTER_ROWS
        for chunk in chunks:
            new = contacts_scan(contact_ids=chunk, context=context)
            created, unanalyzed = created + new, unanalyzed + new
            if unanalyzed >= analyze_after:
                _statistics_refresh()
                unanalyzed, analyze_after = 0, created
            ScanRun.objects.filter(pk=run.pk).update(chunks_done=F("chunks_done") + 1)
        ScanRun.objects.filter(pk=run.pk).update(created=created, finished_at=timezone.now())
    report = ScanReport(
        day=today, contacts=len(contact_ids), created=created, expired=expired, returned=returned
    )
    logger.info("scan of %s: %s", today, report)
    return report


# Called with (run id, day, chunk indexes) inside the run's transaction; it sends them on
# commit and marks them sent (scan_chunks_mark_sent).
ChunkSender = Callable[[int, dt.date, Sequence[int]], None]


def _open_beat_runs(today: dt.date) -> QuerySet[ScanRun]:
    """The day's fanned-out runs that still have chunks out."""
    open_chunks = ScanChunk.objects.filter(
        run=OuterRef("pk"), finished_at__isnull=True, failed_at__isnull=True
    )
    any_chunks = ScanChunk.objects.filter(run=OuterRef("pk"))
    return ScanRun.objects.filter(
        Q(Exists(open_chunks))
        | (~Exists(any_chunks) & Q(started_at__gte=timezone.now() - SCAN_RUN_STALE)),
        day=today,
        trigger=ScanRun.Trigger.BEAT,
        finished_at__isnull=True,
    )


def scan_day_start(
    *, today: dt.date, send_chunks: ChunkSender, chunk_size: int = CHUNK_SIZE
) -> ScanRun | None:
    """Start the day's scan in chunks: housekeeping here, then a ScanChunk row per chunk of
    due contacts, handed to `send_chunks`; each chunk is run by `scan_run_chunk`.

    Returns None (and does nothing) while another scan of the same day holds the lock or
    has chunks still out (the watchdog, `scan_chunks_watch`, sees those through).
    """
    with _planned_for_scan(), transaction.atomic():
        if not _day_lock_try_in_transaction(today):
            logger.info("scan of %s already running; not starting another", today)
            return None
        if _open_beat_runs(today).exists():
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
        # Until its first send, a chunk's sent_at is when it was made (sends is 0).
        ScanChunk.objects.bulk_create(
            ScanChunk(run=run, index=index, contact_ids=chunk, sent_at=Now())
            for index, chunk in enumerate(chunks)
        )
        if chunks:
            send_chunks(run.pk, today, range(len(chunks)))
    return run


def scan_chunks_mark_sent(*, run_id: int, indexes: Sequence[int], sent: bool = True) -> None:
    """Count a send of the chunks before it is made (a chunk's row must not be locked when
    its message arrives), or take it back when the broker refused it (`sent=False`)."""
    # The chunks' times are the database's: every process compares them on one clock.
    chunks = ScanChunk.objects.filter(run_id=run_id, index__in=list(indexes))
    if sent:
        chunks.update(sent_at=Now(), sends=F("sends") + 1)
    else:
        chunks.filter(sends__gt=0).update(sends=F("sends") - 1)


def _lock_wait_limit(limit: dt.timedelta) -> None:
    """Wait at most `limit` for a row lock in this transaction (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(limit.total_seconds() * 1000)}")


def _open_chunk(run_id: int, index: int) -> QuerySet[ScanChunk]:
    return ScanChunk.objects.filter(
        run_id=run_id, index=index, finished_at__isnull=True, failed_at__isnull=True
    )


def _run_finish_if_complete(run_id: int) -> None:
    ScanRun.objects.filter(
        pk=run_id,
        finished_at__isnull=True,
        chunks_total__lte=F("chunks_done") + F("chunks_failed"),
    ).update(finished_at=timezone.now())


def scan_run_chunk(*, run_id: int, today: dt.date, index: int) -> int:
    """One chunk of a fanned-out scan, counted once on its run however often it is
    delivered: its row is locked while it runs, and a finished chunk does nothing."""
    # A chunk another delivery is running (its row stays locked) or has finished is left
    # to it; the start is committed at once, so the watchdog can tell a worker that died.
    try:
        with transaction.atomic():
            _lock_wait_limit(CHUNK_LOCK_WAIT)
            chunk = _open_chunk(run_id, index).select_for_update(of=("self",)).first()
            if chunk is None:
                return 0
            ScanChunk.objects.filter(pk=chunk.pk).update(started_at=Now())
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        logger.info("scan chunk %s/%s is running elsewhere", run_id, index)
        return 0
    with _planned_for_scan(), transaction.atomic():
        chunk = _open_chunk(run_id, index).select_for_update(skip_locked=True, of=("self",)).first()
        if chunk is None:
            return 0
        created = contacts_scan(contact_ids=chunk.contact_ids, context=ScanContext.load(today))
        ScanChunk.objects.filter(pk=chunk.pk).update(finished_at=Now(), created=created)
        ScanRun.objects.filter(pk=run_id).update(
            chunks_done=F("chunks_done") + 1, created=F("created") + created
        )
        _run_finish_if_complete(run_id)
    return created


def _db_now_minus(delta: dt.timedelta) -> ExpressionWrapper:
    return ExpressionWrapper(Now() - Value(delta), output_field=DateTimeField())


@dataclass(frozen=True, slots=True)
class ChunkToSend:
    run_id: int
    day: dt.date
    index: int


def scan_chunks_watch(*, resend_after: dt.timedelta) -> list[ChunkToSend]:
    """The chunks of unfinished runs that are lost, for the caller to send again (and mark
    sent, scan_chunks_mark_sent). Chunks unfinished SCAN_RUN_STALE after they were made are
    given up instead, so the run finishes.

    A chunk is lost when nobody works on it (its row is not locked: a worker that dies
    takes its database session, and so its lock, with it) and it started after its last
    send but did not finish, or its last send is `resend_after` old and it has not started
    since (its message went with a worker), or it was never sent (CHUNK_UNSENT_GRACE).
    """
    started_since_sent = Q(started_at__isnull=False) & (
        Q(sent_at__isnull=True) | Q(started_at__gte=F("sent_at"))
    )
    not_started_since_sent = Q(started_at__isnull=True) | (
        Q(sent_at__isnull=False) & Q(started_at__lt=F("sent_at"))
    )
    never_sent = Q(sends=0, sent_at__lt=_db_now_minus(CHUNK_UNSENT_GRACE))
    is_lost = (
        (started_since_sent & Q(started_at__lt=_db_now_minus(CHUNK_STARTED_GRACE)))
        | (not_started_since_sent & never_sent)
        | (not_started_since_sent & Q(sent_at__lt=_db_now_minus(resend_after)))
    )
    with transaction.atomic():
        chunks = list(
            ScanChunk.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                is_lost,
                run__finished_at__isnull=True,
                finished_at__isnull=True,
                failed_at__isnull=True,
            )
            .annotate(stale=Q(created_at__lt=_db_now_minus(SCAN_RUN_STALE)))
            .select_related("run")
            .order_by("run_id", "index")
        )
        lost = [ChunkToSend(c.run_id, c.run.day, c.index) for c in chunks if not c.stale]
        given_up: dict[int, list[int]] = {}
        for chunk in chunks:
            if chunk.stale:
                given_up.setdefault(chunk.run_id, []).append(chunk.pk)
        for run_id, pks in given_up.items():
            ScanChunk.objects.filter(pk__in=pks).update(failed_at=Now())
            ScanRun.objects.filter(pk=run_id).update(chunks_failed=F("chunks_failed") + len(pks))
            _run_finish_if_complete(run_id)
            logger.error("scan run %s: gave up %s chunks that never finished", run_id, len(pks))
    if lost:
        logger.warning("scan watchdog: sending %s lost chunks again", len(lost))
    return lost


def contact_rescan(*, contact_id: int, today: dt.date) -> int:
    return contacts_scan(contact_ids=[contact_id], context=ScanContext.load(today))


# --- the command's report ---------------------------------------------------------------------


def guard_records(suggestion: Suggestion) -> list[dict[str, Any]]:
    """What the appropriateness guard left out of a suggestion, as plain records: the reason
    (care_period, care_item, disliked, symbolism, budget), the item's sku (or null) and what
    it was about (the disliked tags, the item's symbols, the life event)."""
    explanation = suggestion.stored_explanation()
    if explanation is None:
        return []
    return [
        {
            "reason": note.reason,
            "gift_item": note.sku or None,
            "what": list(note.what) or ([note.event] if note.event else []),
            "until": note.until.isoformat() if note.until is not None else None,
        }
        for note in explanation.guard
    ]


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
            "excluded": guard_records(s),
            "observations": [
                external.get(pk) or f"observation-{pk}"
                for pk in s.observation_ids
                if pk in external
            ],
        }
        for s in rows
    ]
