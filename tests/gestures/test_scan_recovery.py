"""The scan recovers on its own: a worker node killed mid-scan, a chunk delivered twice, a
worker stopped with SIGTERM, a run whose chunks never reached the broker. Real worker
nodes (`celery -A relcrm worker` processes), real Redis and PostgreSQL."""

import contextlib
import datetime as dt
import time

import psycopg
import pytest
from celery import current_app
from django.db import DatabaseError, transaction
from django.db.models import F, Sum

from contacts.models import Contact
from gestures.dispatch import SCAN_CHUNK, scan_chunks_watch, scan_day_fan_out
from gestures.loaders import scan_settings
from gestures.models import ScanChunk, ScanRun, Suggestion
from gestures.scan import due_contact_ids, scan_day, scan_day_start
from tests.conftest import wait_until
from tests.gestures.test_scan_workers import DAY, people, suggestion_keys
from tests.processes import database_url

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

CHUNK = 8


@contextlib.contextmanager
def contacts_held(contact_ids):
    """Another session holds these contacts' row locks: a chunk with one of them waits,
    mid-chunk, until the block ends."""
    with psycopg.connect(database_url()) as blocker:
        blocker.execute(
            f"SELECT id FROM {Contact._meta.db_table} WHERE id = ANY(%s) FOR UPDATE",  # noqa: S608
            [list(contact_ids)],
        )
        yield
        blocker.rollback()


def chunk_states(run):
    rows = ScanChunk.objects.filter(run=run)
    finished = {c.index for c in rows if c.finished_at}
    running = {c.index for c in rows if c.started_at and not c.finished_at}
    return finished, running


def chunks_unlocked(run, indexes):
    """Whether nobody holds these chunks' rows any more (a dead worker's session ended)."""
    try:
        with transaction.atomic():
            list(
                ScanChunk.objects.select_for_update(nowait=True).filter(run=run, index__in=indexes)
            )
    except DatabaseError:
        return False
    return True


def assert_counts_are_the_table(run):
    run.refresh_from_db()
    assert run.finished_at is not None
    assert (run.chunks_done, run.chunks_failed) == (run.chunks_total, 0)
    assert run.created == Suggestion.objects.count()
    chunks = ScanChunk.objects.filter(run=run)
    assert chunks.filter(finished_at__isnull=True).count() == 0
    assert chunks.aggregate(total=Sum("created"))["total"] == run.created


def assert_same_as_a_reference_scan(run):
    from_workers = suggestion_keys()
    Suggestion.objects.all().delete()
    report = scan_day(today=DAY)
    assert report.created == run.created
    assert suggestion_keys() == from_workers


@pytest.mark.clock_free  # worker nodes are child processes
def test_a_worker_node_killed_mid_scan_is_recovered_by_a_new_node(manager, worker_nodes, settings):
    people(manager, birthdays=50, silent=30)
    due = due_contact_ids(today=DAY, settings=scan_settings())
    assert len(due) == 80  # ten chunks of eight
    first = worker_nodes.start("first", concurrency=2)

    with contacts_held([due[2 * CHUNK], due[5 * CHUNK]]):
        run = scan_day_fan_out(today=DAY, chunk_size=CHUNK)
        assert run is not None and run.chunks_total == 10
        # Both pool processes are mid-chunk (2 and 5); the others are done, reserved by
        # the node or still queued.
        wait_until(lambda: {2, 5} <= chunk_states(run)[1], timeout=60)
        first.kill()
        killed_at = time.monotonic()
    wait_until(lambda: chunks_unlocked(run, [2, 5]), timeout=30)
    assert ScanRun.objects.get(pk=run.pk).finished_at is None

    second = worker_nodes.start("second", concurrency=2, SCAN_CHUNK_RESEND_AFTER_SECONDS="1")
    settings.SCAN_CHUNK_RESEND_AFTER = dt.timedelta(seconds=1)
    watched = [time.monotonic()]

    def finished():
        # The new node ran the watchdog when it connected; beat runs it every minute, here
        # every five seconds, for what a session not yet ended then still held.
        if time.monotonic() - watched[0] > 5:
            watched[0] = time.monotonic()
            scan_chunks_watch()
        return ScanRun.objects.get(pk=run.pk).finished_at

    try:
        wait_until(finished, timeout=180, interval=0.2)
    except BaseException:
        print(list(ScanChunk.objects.filter(run=run).values()), second.output()[-4000:])
        raise
    recovery = time.monotonic() - killed_at
    print(f"\nscan recovered {recovery:.1f} s after the node was killed")

    assert recovery < 180
    assert_counts_are_the_table(run)
    assert_same_as_a_reference_scan(run)


@pytest.mark.clock_free  # worker nodes are child processes
def test_chunks_delivered_twice_are_counted_once(manager, worker_nodes):
    people(manager, birthdays=30, silent=10)
    worker_nodes.start("twice", concurrency=2)

    run = scan_day_fan_out(today=DAY, chunk_size=CHUNK)
    assert run is not None and run.chunks_total == 5
    for index in range(run.chunks_total):  # every chunk a second time, at once
        current_app.send_task(SCAN_CHUNK, args=(run.pk, DAY.isoformat(), index))
    wait_until(lambda: ScanRun.objects.get(pk=run.pk).finished_at, timeout=60)
    time.sleep(1)  # the duplicates run too

    assert_counts_are_the_table(run)
    assert Suggestion.objects.count() == 40
    assert_same_as_a_reference_scan(run)


@pytest.mark.clock_free  # worker nodes are child processes
def test_a_worker_stopped_with_sigterm_finishes_its_chunk(manager, worker_nodes):
    people(manager, birthdays=12, silent=4)
    due = due_contact_ids(today=DAY, settings=scan_settings())
    node = worker_nodes.start("stopping", concurrency=1)

    with contacts_held([due[0]]):
        run = scan_day_fan_out(today=DAY, chunk_size=CHUNK)
        assert run is not None and run.chunks_total == 2
        wait_until(lambda: chunk_states(run) == (set(), {0}), timeout=60)
        node.terminate()
        time.sleep(1)
        assert node.process.poll() is None  # waiting for its task
    assert node.process.wait(timeout=60) == 0

    finished, _running = chunk_states(run)
    assert finished == {0}
    worker_nodes.start("next", concurrency=1)
    wait_until(lambda: ScanRun.objects.get(pk=run.pk).finished_at, timeout=60)
    assert_counts_are_the_table(run)


def test_chunks_the_broker_never_took_are_sent_by_the_watchdog(manager):
    people(manager, birthdays=6, silent=2)
    # The run and its chunks are committed, the process dies before sending any.
    run = scan_day_start(today=DAY, send_chunks=lambda *args: None, chunk_size=4)
    assert run is not None and run.chunks_total == 2
    assert scan_day_fan_out(today=DAY) is None  # the day's run is still out
    assert scan_chunks_watch() == 0  # its sender may still be at it
    ScanChunk.objects.update(sent_at=F("sent_at") - dt.timedelta(minutes=1))

    assert scan_chunks_watch() == 2
    assert scan_chunks_watch() == 0  # just sent: not lost yet
    assert set(ScanChunk.objects.values_list("sends", flat=True)) == {1}
    assert not ScanChunk.objects.filter(sent_at__isnull=True).exists()


def test_a_run_that_cannot_finish_is_given_up_after_two_hours(manager):
    people(manager, birthdays=6, silent=2)
    run = scan_day_start(today=DAY, send_chunks=lambda *args: None, chunk_size=4)
    assert run is not None
    three_hours = dt.timedelta(hours=3)
    ScanChunk.objects.update(
        created_at=F("created_at") - three_hours, sent_at=F("sent_at") - three_hours
    )

    assert scan_chunks_watch() == 0

    run.refresh_from_db()
    assert (run.chunks_failed, run.chunks_done) == (2, 0)
    assert run.finished_at is not None
    assert scan_day_fan_out(today=DAY) is not None  # the day is not blocked
