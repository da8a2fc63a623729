"""The scan across processes and workers: two scans at once, the beat task's fan-out through
the real broker and worker, and the rescan sent when an observation is saved."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from contacts.services import observation_create
from gestures.dispatch import scan_day_fan_out
from gestures.models import ScanRun, Suggestion
from gestures.scan import scan_day
from gestures.tasks import scan_daily
from tests.conftest import skip_or_fail, wait_until
from tests.factories import ContactFactory, gesture_recorded

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 11, 23)


def people(owner, *, birthdays: int, silent: int, today=DAY):
    """Contacts with a birthday in the coming week (and a call today), and silent ones."""
    for index in range(birthdays):
        contact = ContactFactory.create(owner=owner, tier="ABC"[index % 3])
        gesture_recorded(contact=contact, kind="call", date=today, by=owner)
        day = today + dt.timedelta(days=1 + index % 7)
        observation_create(
            contact=contact,
            author=owner,
            text=f"Her birthday is on {day:%B} {day.day}.",
            noted_on=today,
            rescan=False,
        )
    ContactFactory.create_batch(silent, owner=owner, tier="B")


def suggestion_keys():
    return set(
        Suggestion.objects.values_list(
            "contact_id", "occasion", "source_ref", "event_date", "kind", "gift_item_id", "status"
        )
    )


@pytest.mark.clock_free  # both scans are child processes
@pytest.mark.django_db(transaction=True)
def test_two_scans_of_the_same_day_started_at_once_in_two_processes_store_no_duplicates(
    manager,
):
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (set DATABASE_URL=postgres://…)")
    people(manager, birthdays=60, silent=60)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    command = [sys.executable, "manage.py", "scan_gestures", "--today", DAY.isoformat()]

    scans = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [scan.communicate(timeout=120)[0] for scan in scans]

    assert [scan.returncode for scan in scans] == [0, 0]
    assert Suggestion.objects.count() == 120
    per_contact = Suggestion.objects.values("contact").annotate(n=Count("pk"))
    assert {row["n"] for row in per_contact} == {1}
    created = sorted(int(out.split("contacts looked at, ")[1].split()[0]) for out in outputs)
    assert created == [0, 120]
    assert ScanRun.objects.filter(day=DAY, finished_at__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_fan_out_through_broker_and_worker_stores_what_the_command_stores(manager, live_worker):
    people(manager, birthdays=25, silent=20)

    run = scan_day_fan_out(today=DAY, chunk_size=7)

    assert run is not None and run.chunks_total == 7
    wait_until(lambda: ScanRun.objects.get(pk=run.pk).finished_at, timeout=60)
    finished = ScanRun.objects.get(pk=run.pk)
    assert (finished.chunks_done, finished.created) == (7, 45)
    from_workers = suggestion_keys()

    Suggestion.objects.all().delete()
    report = scan_day(today=DAY)

    assert report.created == 45
    assert suggestion_keys() == from_workers


@pytest.mark.django_db(transaction=True)
def test_a_second_fan_out_of_the_same_day_does_not_start_while_chunks_are_out(manager):
    people(manager, birthdays=3, silent=3)

    first = scan_day_fan_out(today=DAY, chunk_size=2)
    second = scan_day_fan_out(today=DAY, chunk_size=2)

    assert first is not None and first.finished_at is None
    assert second is None
    assert ScanRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_scans_today_on_the_workers(manager, live_worker, ticking_clock):
    people(manager, birthdays=4, silent=2, today=timezone.localdate())

    scan_daily.delay()

    run = wait_until(
        lambda: ScanRun.objects.filter(trigger="beat", finished_at__isnull=False).first(),
        timeout=60,
    )
    assert run.day == timezone.localdate()
    assert Suggestion.objects.count() == run.created == 6


@pytest.mark.django_db(transaction=True)
def test_saving_an_observation_with_a_birthday_tomorrow_suggests_it_at_once(
    manager, live_worker, ticking_clock
):
    today = timezone.localdate()
    contact = ContactFactory.create(owner=manager, tier="B")
    gesture_recorded(contact=contact, kind="call", date=today, by=manager)

    observation_create(
        contact=contact, author=manager, text="Her birthday is tomorrow.", noted_on=today
    )

    suggestion = wait_until(lambda: Suggestion.objects.filter(contact=contact).first())
    assert suggestion.occasion == "birthday"
    assert suggestion.event_date == today + dt.timedelta(days=1)
    assert not ScanRun.objects.exists()
