"""Celery: a real round trip through the configured broker, and the one schedule registry."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from relcrm.celery import app as celery_app
from relcrm.models import Heartbeat
from relcrm.schedule import SCHEDULES, Every
from relcrm.tasks import heartbeat
from tests.conftest import wait_until


def test_a_task_sent_through_the_broker_is_run_by_a_real_worker(live_worker):
    assert not Heartbeat.objects.exists()

    heartbeat.delay()

    beat = wait_until(lambda: Heartbeat.objects.filter(name="worker").first())
    assert beat.last_seen is not None


def test_tasks_are_acknowledged_late_with_time_limits_and_json():
    conf = celery_app.conf

    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_time_limit > conf.task_soft_time_limit > 0
    assert conf.timezone == "Europe/Berlin"


@pytest.mark.django_db
def test_sync_schedules_installs_the_heartbeat_every_minute_once():
    call_command("sync_schedules")
    call_command("sync_schedules")

    task = PeriodicTask.objects.get(task="relcrm.heartbeat")
    assert task.enabled
    assert task.interval.every == 60
    assert PeriodicTask.objects.filter(task="relcrm.heartbeat").count() == 1
    assert any(
        entry.task == "relcrm.heartbeat" and entry.when == Every(timedelta(minutes=1))
        for entry in SCHEDULES
    )


@pytest.mark.django_db
def test_sync_schedules_disables_retired_relcrm_tasks_but_not_foreign_ones():
    call_command("sync_schedules")
    interval = PeriodicTask.objects.get(task="relcrm.heartbeat").interval
    PeriodicTask.objects.create(name="old scan", task="gestures.old_scan", interval=interval)
    PeriodicTask.objects.create(name="by hand", task="other.thing", interval=interval)

    call_command("sync_schedules")

    assert not PeriodicTask.objects.get(name="old scan").enabled
    assert PeriodicTask.objects.get(name="by hand").enabled


def test_every_scheduled_task_is_registered():
    celery_app.loader.import_default_modules()

    for entry in SCHEDULES:
        assert entry.task in celery_app.tasks, entry.task


def test_the_visibility_timeout_is_longer_than_any_task_and_any_retry_wait(settings):
    """A message is handed out again after the visibility timeout: a task still running,
    or one waiting for its retry countdown, must not be delivered twice."""
    celery_app.loader.import_default_modules()
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    if "visibility_timeout" not in options:
        return  # the filesystem broker has none
    own = [t for name, t in celery_app.tasks.items() if not name.startswith("celery.")]
    longest = max(t.time_limit or celery_app.conf.task_time_limit for t in own)
    longest_wait = max(getattr(t, "retry_backoff_max", 0) or 0 for t in own)
    assert options["visibility_timeout"] > longest
    assert options["visibility_timeout"] > longest_wait
    assert options["socket_timeout"] and options["socket_connect_timeout"]


def test_the_outbox_sweep_and_the_scan_watchdog_run_every_minute():
    tasks = {entry.task: entry.when for entry in SCHEDULES}
    assert tasks["relcrm.outbox_sweep"] == Every(timedelta(minutes=1))
    assert tasks["gestures.scan_watch"] == Every(timedelta(minutes=1))
