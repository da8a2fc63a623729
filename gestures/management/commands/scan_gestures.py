"""manage.py scan_gestures [--today DATE] [--json] : run the daily scan for a day."""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gestures.scan import open_suggestion_records, scan_day


class Command(BaseCommand):
    help = (
        "Run the daily gesture scan for a day (default today): expire what has passed, bring "
        "back snoozed suggestions and store the new ones. Safe to run again."
    )

    # The same-day rerun is mostly start-up: the system checks would import every URL
    # conf, view and API schema, which the scan never uses (`manage.py check` runs them).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", metavar="DATE", help="the day to scan (YYYY-MM-DD)")
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help='print {"created", "expired", "open": [suggestion, ...]} as JSON',
        )

    def handle(self, *args: Any, today: str | None, as_json: bool, **options: Any) -> None:
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today {today!r} is not a date (YYYY-MM-DD)") from error
        report = scan_day(today=day)
        if as_json:
            payload = {
                "created": report.created,
                "expired": report.expired,
                "open": open_suggestion_records(today=day),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Scan of {day.isoformat()}: {report.contacts} contacts looked at, "
            f"{report.created} suggestions created, {report.expired} expired, "
            f"{report.returned} snoozed ones back."
        )
