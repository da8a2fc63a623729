"""Writes that belong to the installation rather than to one app."""

from datetime import datetime

from django.utils import timezone

from .models import Heartbeat

WORKER_HEARTBEAT = "worker"


def heartbeat_record(*, name: str = WORKER_HEARTBEAT, at: datetime | None = None) -> Heartbeat:
    heartbeat, _created = Heartbeat.objects.update_or_create(
        name=name, defaults={"last_seen": at or timezone.now()}
    )
    return heartbeat
