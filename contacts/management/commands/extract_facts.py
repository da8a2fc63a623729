"""manage.py extract_facts : one observation per line in, one JSON object per line out."""

import json
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from contacts.extraction import extract
from contacts.selectors import taxonomy_current
from relcrm.validation import MAX_TEXT_LENGTH


class Command(BaseCommand):
    help = (
        "Read observations from standard input, one per line, and print the extracted "
        'facts as JSON lines: {"text", "language", "facts"}.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", metavar="DATE", help="the noted_on date (YYYY-MM-DD); default today"
        )
        parser.add_argument("--lang", choices=("en", "de", "auto"), default="auto")

    def handle(self, *args: Any, today: str | None, lang: str, **options: Any) -> None:
        try:
            noted_on = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today {today!r} is not a date (YYYY-MM-DD)") from error
        taxonomy = taxonomy_current()
        language = None if lang == "auto" else lang
        refused = 0
        # Bytes in, so a line that is not UTF-8 is read with U+FFFD in place of what is not
        # and the output is always valid UTF-8, never an echo of the invalid bytes.
        for number, raw in enumerate(sys.stdin.buffer, start=1):
            text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if not text.strip():
                continue
            if len(text) > MAX_TEXT_LENGTH:
                self.stderr.write(
                    f"line {number}: longer than {MAX_TEXT_LENGTH:,} characters, not read"
                )
                refused += 1
                continue
            text = text.replace("\x00", "\ufffd")
            result = extract(text, noted_on=noted_on, taxonomy=taxonomy, language=language)  # type: ignore[arg-type]
            payload = {"text": text, **result.as_json()}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        if refused:
            raise CommandError(f"{refused} line(s) refused")
