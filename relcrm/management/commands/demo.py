"""Load the demo data: the team, its people, their contacts and the gift catalog."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from contacts.demo import DEMO_PASSWORD, DEMO_USERS, demo_contacts_load, demo_people_load
from gestures.demo import demo_activity_load, demo_catalog_load


class Command(BaseCommand):
    help = "Load demo users (password 'demo'); idempotent. Refused with DEBUG off unless --force."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (creates accounts with a known password!).",
        )

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: it creates accounts with the "
                "password 'demo'. Use --force if you really mean it."
            )
        users = demo_people_load()
        today = timezone.localdate()
        demo_contacts_load(users=users, today=today)
        demo_catalog_load()
        demo_activity_load(users=users, today=today)
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000 as:")
        )
        for spec in DEMO_USERS:
            user = users[spec.username]
            self.stdout.write(f"  {spec.username:<6} / {DEMO_PASSWORD}   {user.get_role_display()}")
