"""Background work a write asks for, recorded with it and sent once it commits.

The task module (gestures.tasks) imports the services and the scan it runs, so the services
address its tasks by their registered names here instead of importing it: the import graph
stays without cycles, and nothing is sent for a transaction that rolls back. Every task is
recorded in the outbox (relcrm.outbox) in the write's transaction, so a broker that is away
delays it and loses nothing; the scan's chunks have rows of their own (ScanChunk), which
its watchdog sends again until each has finished.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from functools import partial

from celery import group
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relcrm.celery import app as celery_app
from relcrm.outbox import task_send_on_commit

from . import scan
from .models import ScanRun

logger = logging.getLogger(__name__)

RESCAN_CONTACT = "gestures.rescan_contact"
SCAN_CHUNK = "gestures.scan_chunk"
MAKE_THUMBNAILS = "gestures.gift_item_make_thumbnails"

RESCAN_PENDING = _("Suggestions will update shortly.")


def contact_rescan_on_commit(*, contact_id: int) -> None:
    """Rescan the contact as soon as the current transaction commits, so an observation
    logged, a gesture done or a suggestion dismissed shows its effect today."""
    task_send_on_commit(
        RESCAN_CONTACT, contact_id, timezone.localdate().isoformat(), notice=RESCAN_PENDING
    )


def gift_item_thumbnails_schedule(*, item_id: int) -> None:
    """Have a worker make the item's thumbnails once the current transaction commits."""
    task_send_on_commit(MAKE_THUMBNAILS, item_id)


def scan_chunks_send(run_id: int, day: dt.date, indexes: Sequence[int]) -> None:
    """Send the chunks to the workers and mark them sent; should the broker not take them,
    they stay unsent and the watchdog sends them."""
    indexes = list(indexes)
    scan.scan_chunks_mark_sent(run_id=run_id, indexes=indexes)
    try:
        group(
            celery_app.signature(SCAN_CHUNK, args=(run_id, day.isoformat(), index))
            for index in indexes
        ).apply_async()
    except Exception as error:
        logger.warning(
            "scan run %s: chunks not sent (%s); the watchdog sends them",
            run_id,
            type(error).__name__,
        )
        scan.scan_chunks_mark_sent(run_id=run_id, indexes=indexes, sent=False)


def _chunks_send_on_commit(run_id: int, today: dt.date, indexes: Sequence[int]) -> None:
    transaction.on_commit(partial(scan_chunks_send, run_id, today, list(indexes)))


def scan_day_fan_out(*, today: dt.date, chunk_size: int = scan.CHUNK_SIZE) -> ScanRun | None:
    """Start the day's scan on the workers: one chunk task per chunk of due contacts, sent
    as a group once the run is committed (gestures.scan.scan_day_start)."""
    return scan.scan_day_start(
        today=today, chunk_size=chunk_size, send_chunks=_chunks_send_on_commit
    )


def scan_chunks_watch() -> int:
    """Send the lost chunks of unfinished runs again (the watchdog); returns how many."""
    lost = scan.scan_chunks_watch(resend_after=settings.SCAN_CHUNK_RESEND_AFTER)
    for item in lost:
        scan_chunks_send(item.run_id, item.day, [item.index])
    return len(lost)
