"""Background work of the gift catalog and the daily scan: thin tasks that take ids and
call a service.

This module is the top of the app's import graph: it imports the services and the scan, and
they send its tasks by name (gestures.dispatch), never by importing it."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import digest, dispatch, scan, services


@shared_task(
    name="gestures.gift_item_make_thumbnails",
    soft_time_limit=60,
    time_limit=90,
    # Only the database being briefly unavailable (or SQLite locked) is worth a retry;
    # a broken image stays broken.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def gift_item_make_thumbnails(item_id: int) -> None:
    services.gift_item_thumbnails_make(item_id=item_id)


# The scan's tasks: a chunk is idempotent (unique key, ignored conflicts), so a retry after
# a lost connection or a worker lost mid-chunk is safe.
@shared_task(
    name="gestures.scan_daily",
    soft_time_limit=600,
    time_limit=660,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def scan_daily() -> None:
    """The 06:00 beat task: today's scan, fanned out over the workers in chunks."""
    dispatch.scan_day_fan_out(today=timezone.localdate())


@shared_task(
    name="gestures.scan_chunk",
    soft_time_limit=240,
    time_limit=300,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def scan_chunk(run_id: int, day: str, index: int | list[int]) -> int:
    today = dt.date.fromisoformat(day)
    if isinstance(index, list):
        # A message sent before chunks had rows carries the contacts themselves.
        return scan.contacts_scan(contact_ids=index, context=scan.ScanContext.load(today))
    return scan.scan_run_chunk(run_id=run_id, today=today, index=index)


@shared_task(name="gestures.scan_watch", soft_time_limit=120, time_limit=150, expires=300)
def scan_watch() -> int:
    """Every minute (and when a worker connects): send lost chunks of a scan again."""
    return dispatch.scan_chunks_watch()


@shared_task(
    name="gestures.rescan_contact",
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def rescan_contact(contact_id: int, day: str) -> int:
    return scan.contact_rescan(contact_id=contact_id, today=dt.date.fromisoformat(day))


# Idempotent per user and week (gestures.digest), so a retry resends only what failed.
@shared_task(
    name="gestures.send_weekly_digests",
    soft_time_limit=900,
    time_limit=960,
    # The database or the mail server being away for a while; OSError covers SMTP errors.
    autoretry_for=(OperationalError, InterfaceError, OSError, digest.DigestsNotSent),
    retry_backoff=60,
    # Below the broker's visibility timeout, so a retry waiting for its time is not redelivered.
    retry_backoff_max=900,
    max_retries=6,
)
def send_weekly_digests() -> int:
    """The Monday 07:00 beat task: this week's digest e-mails."""
    run = digest.digests_send(today=timezone.localdate())
    if run.failed:
        raise digest.DigestsNotSent(run.failed)
    return run.sent
