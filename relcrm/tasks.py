"""Installation-level tasks."""

from celery import shared_task

from .services import heartbeat_record


@shared_task(name="relcrm.heartbeat", soft_time_limit=20, time_limit=30, expires=120)
def heartbeat() -> None:
    """Record that a worker is alive and consuming; /healthz reads the age of this."""
    heartbeat_record()


@shared_task(name="relcrm.outbox_sweep", soft_time_limit=120, time_limit=150, expires=300)
def outbox_sweep() -> int:
    """Send the tasks writes asked for that the broker did not take at the time."""
    from .outbox import outbox_sweep as sweep

    return sweep()
