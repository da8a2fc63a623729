"""Periodic work on personal data: the access log is kept only as long as the retention
settings say."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(
    name="privacy.access_log_prune",
    soft_time_limit=120,
    time_limit=180,
    # Deleting old rows again is harmless: a retry after a lost connection is safe.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def access_log_prune() -> int:
    from .services import access_log_prune as prune

    return prune()
