"""Background work of the gift catalog: thin tasks that take ids and call a service."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


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
