"""Background work of contacts: thin tasks that take ids and call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="contacts.contact_import_run", soft_time_limit=900, time_limit=960)
def contact_import_run(import_id: int) -> None:
    from .contact_import.service import contact_import_run as run

    run(import_id=import_id)
