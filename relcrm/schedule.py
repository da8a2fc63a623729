"""Every periodic task of relcrm, declared once; `manage.py sync_schedules` installs them.

Times are wall-clock times in settings.TIME_ZONE (Europe/Berlin by default), so a 06:00
job stays at 06:00 across daylight-saving changes.
"""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Every:
    interval: timedelta


@dataclass(frozen=True)
class Daily:
    hour: int
    minute: int = 0
    day_of_week: str = "*"


@dataclass(frozen=True)
class PeriodicSchedule:
    name: str
    task: str
    when: Every | Daily
    description: str
    # A message beat sent but no worker took within this many seconds is dropped;
    # the next run will come.
    expires_seconds: int | None = None


SCHEDULES: tuple[PeriodicSchedule, ...] = (
    PeriodicSchedule(
        name="worker heartbeat",
        task="relcrm.heartbeat",
        when=Every(timedelta(minutes=1)),
        description="Records that a worker is consuming tasks; /healthz reports its age.",
        expires_seconds=50,
    ),
    PeriodicSchedule(
        name="outbox sweep",
        task="relcrm.outbox_sweep",
        when=Every(timedelta(minutes=1)),
        description="Sends the tasks writes asked for that the broker did not take then.",
        expires_seconds=50,
    ),
    PeriodicSchedule(
        name="scan watchdog",
        task="gestures.scan_watch",
        when=Every(timedelta(minutes=1)),
        description="Re-sends the chunks of a scan whose worker died or whose message was lost.",
        expires_seconds=50,
    ),
    PeriodicSchedule(
        name="daily gesture scan",
        task="gestures.scan_daily",
        when=Daily(hour=6),
        description="Turns observations into today's gesture suggestions, in chunks.",
        # A scan beat could not hand over within the morning waits for tomorrow's.
        expires_seconds=6 * 3600,
    ),
    PeriodicSchedule(
        name="weekly digest",
        task="gestures.send_weekly_digests",
        # Monday (cron's 1), after the 06:00 scan has made the day's suggestions.
        when=Daily(hour=7, day_of_week="1"),
        description="E-mails each user the open gestures due this week, once per week.",
        # Idempotent per user and week: a late run still sends this week's digest once.
        expires_seconds=12 * 3600,
    ),
    PeriodicSchedule(
        name="access log pruning",
        task="privacy.access_log_prune",
        when=Daily(hour=3, minute=30),
        description="Deletes access log entries older than the retention settings allow.",
        # Pruning is idempotent: a missed night is caught up by the next.
        expires_seconds=12 * 3600,
    ),
)
