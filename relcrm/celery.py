"""The Celery app: configured from Django settings (CELERY_*), tasks found in every app.

Every time a worker connects to the broker (at start and after the broker was away) it
sends itself the tasks of settings.RELCRM_WORKER_CONNECT_TASKS: the outbox sweep and the
scan's watchdog, so what an outage or a dead worker left behind is picked up at once.
"""

import logging
import os
from typing import Any

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcrm.settings")

logger = logging.getLogger(__name__)

app = Celery("relcrm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class SweepOnConnect(bootsteps.StartStopStep):
    """A consumer step: its start runs whenever the consumer (re)connects."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer: Any) -> None:
        from django.conf import settings

        for name in settings.RELCRM_WORKER_CONNECT_TASKS:
            try:
                consumer.app.send_task(name)
            except Exception as error:
                logger.warning("could not send %s on connect (%s)", name, type(error).__name__)


app.steps["consumer"].add(SweepOnConnect)
