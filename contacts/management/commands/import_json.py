"""manage.py import_json FILE|- : upsert teams, users, organizations, tags, catalog,
contacts and observations from the exchange format; all or nothing."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contacts.importing import ImportFailed, import_data


class Command(BaseCommand):
    help = (
        "Import a JSON file (or - for standard input) in relcrm's exchange format. "
        "Records are upserted by their ids; nothing is written when any record is invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to the JSON file, or - for standard input")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            if file == "-":
                raw, base_dir = sys.stdin.read(), Path.cwd()
            else:
                path = Path(file)
                raw, base_dir = path.read_text(encoding="utf-8"), path.resolve().parent
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {file}: {error}", returncode=1) from error
        try:
            data = json.loads(raw)
        except RecursionError as error:
            raise CommandError(
                f"{file} is nested too deeply to be an exchange file. Nothing was imported.",
                returncode=1,
            ) from error
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{file} is not valid JSON: {error.msg} at line {error.lineno}, "
                f"column {error.colno}. Nothing was imported.",
                returncode=1,
            ) from error
        try:
            counts = import_data(data, base_dir=base_dir)
        except ImportFailed as failure:
            for record_error in failure.errors:
                self.stderr.write(str(record_error))
            raise CommandError(
                f"{len(failure.errors)} invalid record(s); nothing was imported.", returncode=1
            ) from failure
        summary = ", ".join(f"{count} {section}" for section, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Imported {summary or 'nothing'}."))
