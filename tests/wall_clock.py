"""A shifted wall clock for a whole test session, to catch tests that depend on the real date.

`pytest --wall-clock=2026-12-31T23:30` (or `RELCRM_TEST_WALL_CLOCK=…`) runs every test as if
the session had started at that instant, in the project's time zone unless the value has
an offset, with the clock ticking on from there. Tests that pin their own clock with
time-machine still see the instant they pin. CI runs the suite on the real clock and again
at the instants where date bugs hide (see `.ci/run`).

The shift covers everything that reads the clock through Python in the test process: the
app, Django, Celery, the live server and the in-process worker. It does not reach the
PostgreSQL or Redis servers, child processes, or the browser's JavaScript; relcrm reads
"now" only in Python, and tests that start child processes give them the date explicitly.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine

ENVIRONMENT_VARIABLE = "RELCRM_TEST_WALL_CLOCK"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--wall-clock",
        metavar="INSTANT",
        default=os.environ.get(ENVIRONMENT_VARIABLE, ""),
        help=(
            "start the session's clock at INSTANT (ISO 8601, e.g. 2028-02-29T00:30 in "
            f"TIME_ZONE, or with an offset) and let it tick; default ${ENVIRONMENT_VARIABLE}"
        ),
    )


def wall_clock_instant(value: str, *, zone: str) -> dt.datetime:
    """The aware instant `value` names; a value without an offset is wall time in `zone`."""
    try:
        instant = dt.datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise pytest.UsageError(
            f"--wall-clock: {value!r} is not an ISO 8601 date and time ({error})"
        ) from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=ZoneInfo(zone))
    return instant


_traveller: time_machine.travel | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _traveller
    value = config.getoption("--wall-clock")
    if not value:
        return
    from django.conf import settings

    instant = wall_clock_instant(value, zone=settings.TIME_ZONE)
    _traveller = time_machine.travel(instant, tick=True)
    _traveller.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def pytest_report_header(config: pytest.Config) -> str | None:
    value = config.getoption("--wall-clock")
    if not value:
        return None
    return f"wall clock shifted: the session started at {value} ({dt.datetime.now().astimezone()})"
