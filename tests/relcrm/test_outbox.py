"""The outbox: a task is recorded with the write, sent after it commits, swept when the
broker was away; and web requests' bounded database waits."""

import copy
import datetime as dt
import os
import subprocess
import sys
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gestures.models import Suggestion
from relcrm.db import web_timeouts_apply
from relcrm.models import OutboxTask
from relcrm.outbox import outbox_sweep, task_send_on_commit
from tests.factories import ContactFactory
from tests.gestures.factories import SuggestionFactory
from tests.processes import ROOT, database_url

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_task_is_recorded_with_the_write_and_marked_sent_after_the_commit(private_broker):
    with transaction.atomic():
        task_send_on_commit("relcrm.heartbeat")
        row = OutboxTask.objects.get()
        assert row.sent_at is None

    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 0


def test_nothing_is_recorded_or_sent_for_a_write_that_rolls_back(private_broker):
    def write_that_fails():
        with transaction.atomic():
            task_send_on_commit("relcrm.heartbeat")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_that_fails()

    assert not OutboxTask.objects.exists()


def test_what_the_broker_refused_is_sent_by_the_sweep_once_it_is_back(private_broker):
    private_broker.stop()
    task_send_on_commit("relcrm.heartbeat")  # outside a transaction: sent at once
    row = OutboxTask.objects.get()
    assert (row.sent_at, row.attempts, row.last_error) == (None, 1, "OperationalError")

    private_broker.start()
    assert outbox_sweep(older_than=dt.timedelta(0)) == 1

    row.refresh_from_db()
    assert row.sent_at is not None
    assert outbox_sweep(older_than=dt.timedelta(0)) == 0


def test_the_sweep_leaves_young_rows_to_their_sender_and_forgets_old_sent_ones(private_broker):
    private_broker.stop()
    task_send_on_commit("relcrm.heartbeat")
    private_broker.start()
    assert outbox_sweep(older_than=dt.timedelta(minutes=1)) == 0

    OutboxTask.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
    assert outbox_sweep(older_than=dt.timedelta(minutes=1)) == 1
    OutboxTask.objects.update(sent_at=F("sent_at") - dt.timedelta(days=8))
    outbox_sweep()
    assert not OutboxTask.objects.exists()


@pytest.fixture
def web_timeouts():
    if connection.vendor != "postgresql":
        pytest.skip("statement and lock timeouts are PostgreSQL's")
    saved = copy.deepcopy(settings.DATABASES["default"].get("OPTIONS", {}))
    web_timeouts_apply(lock_timeout_ms=500)
    yield
    settings.DATABASES["default"]["OPTIONS"] = saved
    connection.settings_dict["OPTIONS"] = saved
    connection.close()


def test_a_web_request_waiting_on_a_lock_is_cut_short_with_a_503(
    client, manager, web_timeouts, ticking_clock
):
    contact = ContactFactory.create(owner=manager)
    suggestion = SuggestionFactory.create(
        contact=contact, event_date=timezone.localdate() + dt.timedelta(20)
    )
    client.force_login(manager)
    with psycopg.connect(database_url()) as other:
        other.execute("SELECT 1 FROM gestures_suggestion WHERE id = %s FOR UPDATE", [suggestion.pk])
        started = time.monotonic()
        response = client.post(
            reverse("suggestion_dismiss", args=[suggestion.pk]), {"reason": "not_relevant"}
        )
        waited = time.monotonic() - started
        other.rollback()

    assert response.status_code == 503
    assert "did not answer in time" in response.content.decode()
    assert waited < 3
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_the_web_entry_point_sets_the_timeouts_and_other_processes_do_not():
    if connection.vendor != "postgresql":
        pytest.skip("statement and lock timeouts are PostgreSQL's")
    show = (
        "from django.db import connection as c; cur = c.cursor(); "
        "cur.execute('SHOW lock_timeout'); print(cur.fetchone()[0])"
    )
    env = {"DATABASE_URL": database_url(), "DEBUG": "true"}
    web = subprocess.run(
        [sys.executable, "-c", f"import relcrm.wsgi; {show}"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    other = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "relcrm.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert web.stdout.strip() == "5s"
    assert other.stdout.strip() == "0"
