"""One call for a whole import: read, map, plan, extract, write (or only plan)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..models import Team, User
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


__all__ = ["contacts_import", "mapping_for", "table_read"]
