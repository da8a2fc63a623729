"""manage.py import_contacts FILE: contacts from a CSV (Outlook, Google Contacts, HubSpot,
Excel) or vCard file, columns mapped automatically; all or nothing, idempotent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from contacts.contact_import.files import FileUnreadable, table_read
from contacts.contact_import.service import contacts_import
from contacts.models import Team, User


class Command(BaseCommand):
    help = (
        "Import contacts from a CSV or vCard file. Rows are matched on their external id, "
        "else their e-mail; nothing is written when any row is rejected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", choices=["csv", "vcard"], default=None)
        parser.add_argument("--team", help="the team the contacts belong to (default: the owner's)")
        parser.add_argument(
            "--owner", help="username of the owner of rows without one (default: the team lead)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count only")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def _team_and_owner(self, team_name: str | None, username: str | None) -> tuple[Team, User]:
        owner = None
        if username:
            owner = User.objects.filter(username=username, is_active=True).first()
            if owner is None:
                raise CommandError(f"unknown user {username!r}", returncode=1)
        if team_name:
            team = Team.objects.filter(name=team_name).select_related("lead").first()
            if team is None:
                raise CommandError(f"unknown team {team_name!r}", returncode=1)
        elif owner is not None and owner.team is not None:
            team = owner.team
        else:
            raise CommandError("name the team with --team (or an --owner in a team)", returncode=1)
        if owner is None:
            owner = team.lead
            if owner is None:
                raise CommandError(
                    f"team {team.name!r} has no lead; name the owner with --owner", returncode=1
                )
        if not owner.is_admin and owner.team_id != team.pk:
            raise CommandError(f"{owner.username!r} is not in team {team.name!r}", returncode=1)
        return team, owner

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        team, owner = self._team_and_owner(options["team"], options["owner"])
        path = Path(file)
        try:
            raw = path.read_bytes()
            table = table_read(raw, format=options["format"], filename=path.name)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}", returncode=1) from error
        except FileUnreadable as error:
            raise CommandError(f"{file}: {error} Nothing was imported.", returncode=1) from error
        plan = contacts_import(
            table=table,
            mapping=None,
            team=team,
            default_owner=owner,
            by=None,
            noted_on=timezone.localdate(),
            dry_run=options["dry_run"],
        )
        summary = plan.summary()
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            for row in plan.rejected:
                self.stderr.write(f"row {row.row}: {row.reason}")
            for duplicate in plan.duplicates():
                self.stdout.write(f"row {duplicate['row']}: skipped, {duplicate['reason']}")
            verb = "Would import" if options["dry_run"] else "Imported"
            self.stdout.write(
                f"{verb}: {summary['created']} created, {summary['updated']} updated, "
                f"{summary['unchanged']} unchanged, {summary['duplicates']} duplicate(s), "
                f"{len(summary['rejected'])} rejected."
            )
        if plan.rejected and not options["dry_run"]:
            raise CommandError(
                f"{len(plan.rejected)} row(s) rejected; nothing was imported.", returncode=1
            )
