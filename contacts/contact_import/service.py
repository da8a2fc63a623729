"""One call for a whole import: read, map, plan, extract, write (or only plan)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from relcrm.outbox import task_send_on_commit

from ..models import ContactImport, Team, User
from .columns import mapping_clean, mapping_propose
from .files import Table, table_read
from .plan import ImportPlan, import_plan
from .vcard import VCARD_MAPPING
from .write import plan_extract, plan_write


def mapping_for(table: Table) -> dict[str, str]:
    """The proposed mapping: a vCard's columns are relcrm's own."""
    if table.format == "vcard":
        return dict(VCARD_MAPPING)
    return mapping_propose(table.headers)


def contacts_import(
    *,
    table: Table,
    mapping: dict[str, str] | None,
    team: Team,
    default_owner: User,
    by: User | None,
    noted_on: date,
    dry_run: bool,
    progress: Callable[[str, int], None] | None = None,
) -> ImportPlan:
    """Plan the import and, unless `dry_run`, write it; raises ImportRefused (nothing
    written) when a row is rejected."""
    mapping = mapping_clean(
        mapping if mapping is not None else mapping_for(table), column_count=len(table.headers)
    )
    plan = import_plan(
        table,
        mapping,
        team=team,
        default_owner=default_owner,
        progress=(lambda n: progress("checking", n)) if progress else None,
    )
    if dry_run or plan.rejected:
        return plan
    plan_extract(
        plan,
        noted_on=noted_on,
        progress=(lambda n: progress("reading", n)) if progress else None,
    )
    if progress is not None:
        progress("writing", len(plan.rows))
    plan_write(plan, by=by, noted_on=noted_on)
    return plan


logger = logging.getLogger(__name__)


def contact_import_run(*, import_id: int) -> None:
    """The background run of an upload: claimed once (a redelivered task does nothing),
    progress written as it goes, the contacts written in one transaction at the end."""
    from django.db.models import F

    from .files import FileUnreadable

    claimed = ContactImport.objects.filter(pk=import_id, status=ContactImport.Status.QUEUED).update(
        status=ContactImport.Status.RUNNING, phase="checking", processed_rows=0
    )
    if claimed != 1:
        return
    job = ContactImport.objects.select_related("team", "default_owner", "created_by").get(
        pk=import_id
    )

    def progress(phase: str, done: int) -> None:
        ContactImport.objects.filter(pk=import_id).update(phase=phase, processed_rows=done)

    def finish(status: str, **fields: object) -> None:
        ContactImport.objects.filter(pk=import_id).update(
            status=status, finished_at=timezone.now(), processed_rows=F("total_rows"), **fields
        )

    try:
        table = table_read(bytes(job.content), format=job.format)
        plan = contacts_import(
            table=table,
            mapping=job.mapping,
            team=job.team,
            default_owner=job.default_owner,
            by=job.created_by,
            noted_on=timezone.localdate(),
            dry_run=False,
            progress=progress,
        )
    except FileUnreadable as error:
        finish(ContactImport.Status.FAILED, error=str(error))
        return
    except Exception:
        logger.exception("contact import %s failed", import_id)
        finish(
            ContactImport.Status.FAILED,
            error=_("The import stopped on an unexpected error; nothing was imported."),
        )
        return
    result = {**plan.summary(), "duplicate_rows": plan.duplicates()}
    if plan.rejected:
        finish(ContactImport.Status.FAILED, result=result, error=_("Rows were rejected."))
    else:
        finish(ContactImport.Status.DONE, result=result, phase="writing")


def contact_import_start(*, job: ContactImport) -> None:
    """Queue the background run once this transaction commits (through the outbox, so a
    broker that is away delays it and loses nothing)."""
    job.status = ContactImport.Status.QUEUED
    job.phase = ""
    job.processed_rows = 0
    job.save(update_fields=["status", "phase", "processed_rows", "mapping"])
    task_send_on_commit("contacts.contact_import_run", job.pk)
