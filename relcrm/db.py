"""Bounded database waits for the processes that answer web requests.

A web request must not wait on a lock or a runaway statement for longer than a person
waits for a page: `web_timeouts_apply` (called by relcrm.wsgi, so gunicorn and runserver)
gives the PostgreSQL sessions of this process a statement_timeout and a lock_timeout.
Workers, beat and management commands (migrations, the scan) keep the server's defaults;
a cut-short request is a 503 (relcrm.middleware.DatabaseTimeoutMiddleware).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections


def web_timeouts_apply(
    *, statement_timeout_ms: int | None = None, lock_timeout_ms: int | None = None
) -> bool:
    """Set the timeouts on every PostgreSQL connection this process opens from now on;
    returns whether there was one to set them on."""
    statement = statement_timeout_ms or settings.DATABASE_WEB_STATEMENT_TIMEOUT_MS
    lock = lock_timeout_ms or settings.DATABASE_WEB_LOCK_TIMEOUT_MS
    applied = False
    for alias, database in settings.DATABASES.items():
        if database["ENGINE"] != "django.db.backends.postgresql":
            continue
        options = database.setdefault("OPTIONS", {})
        # libpq's options: for a setting given twice, the last one counts.
        timeouts = f"-c statement_timeout={int(statement)} -c lock_timeout={int(lock)}"
        options["options"] = f"{options.get('options', '')} {timeouts}".strip()
        # A connection opened before this keeps its settings: the next one gets them.
        connections[alias].close()
        applied = True
    return applied
