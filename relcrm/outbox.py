"""Tasks a write asks for: recorded with the write, sent to the broker after it commits.

`task_send_on_commit` adds an OutboxTask row in the current transaction and, once that
commits, sends it and marks it sent. A send the broker refuses or does not answer in time
(BROKER_*_TIMEOUT_SECONDS) leaves the row pending and never reaches the caller: the write
is committed and its response is the normal one. `outbox_sweep` sends what is pending; beat
runs it every minute and every worker when it connects to the broker (relcrm.celery).

Each row is sent under its row lock (SKIP LOCKED), so the sender after commit and a sweep
never both send it. A task is sent at least once: should marking it sent fail after the
broker took it, the sweep sends it again, so the tasks sent this way are idempotent.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.db.models.functions import Now
from django.utils.functional import Promise

from .celery import app as celery_app
from .models import OutboxTask

logger = logging.getLogger(__name__)

# Sent tasks are kept this long (for the admin and for questions), then deleted.
KEEP_SENT = timedelta(days=7)
SWEEP_BATCH = 500

_state = threading.local()
_pause_lock = threading.Lock()
_paused_until = 0.0


def task_send_on_commit(name: str, *args: object, notice: str | Promise | None = None) -> None:
    """Record the task `name(*args)` in the current transaction and send it once that
    commits (outside a transaction: at once). `notice` is shown to the user of the request
    should the broker not take it now (relcrm.middleware.OutboxNoticeMiddleware)."""
    row = OutboxTask.objects.create(task=name, args=list(args))
    transaction.on_commit(partial(_send_after_commit, row.pk, notice))


def _send_after_commit(pk: int, notice: str | Promise | None) -> None:
    if not outbox_send([pk]) and notice is not None:
        notices: list[str | Promise] = getattr(_state, "notices", [])
        if notice not in notices:
            notices.append(notice)
        _state.notices = notices


def request_notices_reset() -> None:
    _state.notices = []


def request_notices() -> list[str | Promise]:
    """What the tasks of this thread's request that are still pending want the user told."""
    return list(getattr(_state, "notices", []))


def _broker_paused() -> bool:
    return time.monotonic() < _paused_until


def _broker_pause() -> None:
    """After a failed send this process leaves sending to the sweep for a while, so a dead
    or hung broker costs one request the timeout, not every request."""
    global _paused_until
    with _pause_lock:
        _paused_until = time.monotonic() + settings.OUTBOX_PAUSE_AFTER_FAILURE_SECONDS


def broker_pause_reset() -> None:
    global _paused_until
    with _pause_lock:
        _paused_until = 0.0


def outbox_send(pks: Sequence[int], *, sweeping: bool = False) -> int:
    """Send the pending tasks among `pks`, each under its row lock; returns how many were
    sent. Rows another sender holds or that were sent already are left alone."""
    if not sweeping and _broker_paused():
        return 0
    sent = 0
    for pk in pks:
        try:
            with transaction.atomic():
                row = (
                    OutboxTask.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, sent_at__isnull=True)
                    .first()
                )
                if row is None:
                    continue
                try:
                    _publish(row, retry=sweeping)
                except Exception as error:
                    OutboxTask.objects.filter(pk=pk).update(
                        attempts=F("attempts") + 1, last_error=type(error).__name__[:200]
                    )
                    logger.warning(
                        "task %s not sent (%s); the outbox sweep sends it later",
                        row.task,
                        type(error).__name__,
                    )
                    _broker_pause()
                    return sent
                OutboxTask.objects.filter(pk=pk).update(sent_at=Now())
                sent += 1
        except Exception:
            # The database failed us after the write committed: the row stays pending.
            logger.exception("outbox task %s could not be marked", pk)
            return sent
    return sent


def _publish(row: OutboxTask, *, retry: bool) -> None:
    # After a write no retries: the sweep is the retry, and a hung broker must cost the
    # request one timeout. The sweep retries (CELERY_TASK_PUBLISH_RETRY_POLICY), so a
    # pooled connection the broker's restart left stale costs it nothing.
    celery_app.send_task(row.task, args=row.args, retry=retry)


def outbox_sweep(*, older_than: timedelta | None = None) -> int:
    """Send what is still pending, oldest first; returns how many were sent. Rows younger
    than `older_than` are left to their own sender after commit."""
    older_than = settings.OUTBOX_SWEEP_GRACE if older_than is None else older_than
    total = 0
    while True:
        pks = list(
            OutboxTask.objects.filter(
                sent_at__isnull=True,
                created_at__lte=ExpressionWrapper(
                    Now() - Value(older_than), output_field=DateTimeField()
                ),
            )
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if not pks:
            break
        sent = outbox_send(pks, sweeping=True)
        total += sent
        if sent < len(pks):
            break
    if total:
        broker_pause_reset()
        logger.info("outbox sweep sent %s pending tasks", total)
    OutboxTask.objects.filter(
        sent_at__lt=ExpressionWrapper(Now() - Value(KEEP_SENT), output_field=DateTimeField())
    ).delete()
    return total
