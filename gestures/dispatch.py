"""Background work sent once the current transaction commits.

The task module (gestures.tasks) imports the services and the scan it runs, so the services
address its tasks by their registered names here instead of importing it: the import graph
stays without cycles, and nothing is sent for a transaction that rolls back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from celery import current_app, group
from django.db import transaction
from django.utils import timezone

from . import scan
from .models import ScanRun

RESCAN_CONTACT = "gestures.rescan_contact"
SCAN_CHUNK = "gestures.scan_chunk"
MAKE_THUMBNAILS = "gestures.gift_item_make_thumbnails"


def task_send_on_commit(name: str, *args: object) -> None:
    """Send the task `name` with `args` once the current transaction commits (at once
    outside a transaction)."""
    # By name, so a process that never imported gestures.tasks (the web server) sends it too.
    transaction.on_commit(partial(current_app.send_task, name, args=args))


def contact_rescan_on_commit(*, contact_id: int) -> None:
    """Rescan the contact as soon as the current transaction commits, so an observation
    logged, a gesture done or a suggestion dismissed shows its effect today."""
    task_send_on_commit(RESCAN_CONTACT, contact_id, timezone.localdate().isoformat())


def gift_item_thumbnails_schedule(*, item_id: int) -> None:
    """Have a worker make the item's thumbnails once the current transaction commits."""
    task_send_on_commit(MAKE_THUMBNAILS, item_id)


def _chunks_send_on_commit(run_id: int, today: dt.date, chunks: Sequence[list[int]]) -> None:
    signatures = group(
        current_app.signature(SCAN_CHUNK, args=(run_id, today.isoformat(), chunk))
        for chunk in chunks
    )
    transaction.on_commit(signatures.apply_async)


def scan_day_fan_out(*, today: dt.date, chunk_size: int = scan.CHUNK_SIZE) -> ScanRun | None:
    """Start the day's scan on the workers: one chunk task per chunk of due contacts, sent
    as a group once the run is committed (gestures.scan.scan_day_start)."""
    return scan.scan_day_start(
        today=today, chunk_size=chunk_size, send_chunks=_chunks_send_on_commit
    )
