"""Health of the installation: database, broker and worker heartbeat.

Used by /healthz and by `manage.py check_heartbeat` (the container healthcheck). Reasons
name the failing part and the error class only: a message may carry addresses or
credentials.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, connection

from .celery import app as celery_app
from .models import Heartbeat
from .services import WORKER_HEARTBEAT


def database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"database unreachable ({type(error).__name__})"
    return None


def broker_problem(*, timeout: float) -> str | None:
    """Whether the broker answers within `timeout` seconds, connecting included: a broker
    that refuses, or accepts and then says nothing (a hung server, a dropped network), is
    reported within that time."""
    half = timeout / 2
    options = {"socket_connect_timeout": half, "socket_timeout": half, "retry_on_timeout": False}
    try:
        with celery_app.connection_for_write(transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=half)
            client = getattr(conn.default_channel, "client", None)
            if client is not None:  # Redis: a round trip, not only a connected socket
                client.ping()
    except Exception as error:
        return f"broker unreachable ({type(error).__name__})"
    return None


@dataclass(frozen=True)
class HeartbeatStatus:
    last_seen: datetime | None
    age: timedelta | None
    problem: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.problem is None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "age_seconds": int(self.age.total_seconds()) if self.age is not None else None,
        }


def heartbeat_status(*, now: datetime, max_age: timedelta) -> HeartbeatStatus:
    last_seen = (
        Heartbeat.objects.filter(name=WORKER_HEARTBEAT).values_list("last_seen", flat=True).first()
    )
    if last_seen is None:
        return HeartbeatStatus(None, None, "no worker heartbeat yet")
    age = now - last_seen
    if age > max_age:
        return HeartbeatStatus(
            last_seen, age, f"worker heartbeat is {int(age.total_seconds())} s old"
        )
    return HeartbeatStatus(last_seen, age, None)
