"""Install relcrm.schedule.SCHEDULES into django-celery-beat's tables (idempotent)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from relcrm.schedule import SCHEDULES, Daily, Every, PeriodicSchedule

# Periodic tasks for these task names belong to relcrm; others (added by hand in the admin)
# are left alone.
OWN_TASK_PREFIXES = ("relcrm.", "contacts.", "gestures.")


def _schedule_fields(entry: PeriodicSchedule) -> dict[str, Any]:
    if isinstance(entry.when, Every):
        interval, _ = IntervalSchedule.objects.get_or_create(
            every=int(entry.when.interval.total_seconds()), period=IntervalSchedule.SECONDS
        )
        return {"interval": interval, "crontab": None}
    if not isinstance(entry.when, Daily):
        raise TypeError(f"{entry.name}: unknown kind of schedule {entry.when!r}")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=str(entry.when.minute),
        hour=str(entry.when.hour),
        day_of_week=entry.when.day_of_week,
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    return {"interval": None, "crontab": crontab}


class Command(BaseCommand):
    help = "Install or update relcrm's periodic tasks for celery beat; disable retired ones."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for entry in SCHEDULES:
            task, created = PeriodicTask.objects.update_or_create(
                name=entry.name,
                defaults={
                    "task": entry.task,
                    "description": entry.description,
                    "expire_seconds": entry.expires_seconds,
                    "enabled": True,
                    **_schedule_fields(entry),
                },
            )
            self.stdout.write(f"{'installed' if created else 'updated'}: {task.name}")
        declared = {entry.name for entry in SCHEDULES}
        for task in PeriodicTask.objects.filter(enabled=True).exclude(name__in=declared):
            if task.task.startswith(OWN_TASK_PREFIXES):
                task.enabled = False
                task.save(update_fields=["enabled"])
                self.stdout.write(f"disabled: {task.name}")
