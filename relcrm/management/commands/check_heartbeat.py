"""Exit 1 when the worker heartbeat is missing or stale: a container healthcheck for beat."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from relcrm.health import heartbeat_status


class Command(BaseCommand):
    help = "Fail when no worker has run the heartbeat task within HEARTBEAT_MAX_AGE_SECONDS."

    def handle(self, *args: Any, **options: Any) -> None:
        status = heartbeat_status(now=timezone.now(), max_age=settings.HEARTBEAT_MAX_AGE)
        if status.problem:
            raise CommandError(status.problem)
        self.stdout.write(f"worker heartbeat {status.as_json()['age_seconds']} s old")
