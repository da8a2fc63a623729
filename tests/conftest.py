"""Test-wide setup: isolated files and Celery queue, fixed users, strict mode.

The settings are the development ones (`make test` sets DEBUG=true). RELCRM_TESTS_STRICT=1
(set by .ci/run) turns every "service or browser missing" skip into a failure, so CI
cannot go green by skipping what it was meant to test.
"""

import datetime as dt
import os
import tempfile
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from relcrm.celery import app as celery_app
from tests.factories import TeamFactory, UserFactory

STRICT = os.environ.get("RELCRM_TESTS_STRICT", "") in {"1", "true", "yes"}
# A Monday morning, for tests that need time to pass (workers, a browser) but fixed dates.
TICKING_FROM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def pytest_configure(config):
    # Uploaded files and filesystem-broker messages go to a throwaway folder, and a queue
    # of our own keeps a running `make run` worker (or a parallel CI run on the same Redis)
    # away from the tasks the tests send.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A test signs in once and then pins the clock to its own day, which may lie weeks after
    # the wall clock (CI runs on shifted clocks too): Django would find the 12-hour session
    # expired against the pinned clock. Session expiry is Django's, not relcrm's, to test; browser
    # tests sign in on their ticking clock and keep the configured age (tests/e2e/conftest.py).
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 365 * 20
    scratch = Path(tempfile.mkdtemp(prefix="relcrm-test-"))
    settings.MEDIA_ROOT = scratch / "media"
    celery_app.conf.task_default_queue = f"relcrm-test-{uuid.uuid4().hex[:12]}"
    if celery_app.conf.broker_url.startswith("filesystem://"):
        queue, control = scratch / "celery", scratch / "celery-control"
        queue.mkdir()
        control.mkdir()
        celery_app.conf.broker_transport_options = {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "control_folder": str(control),
            "store_processed": False,
        }


def skip_or_fail(reason: str) -> None:
    """Skip locally when a service or browser is missing; fail in strict mode (CI)."""
    if STRICT:
        pytest.fail(f"{reason} (RELCRM_TESTS_STRICT is set, so this is a failure)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def seed_taxonomy(request):
    """The seed interest taxonomy, as the data migration leaves it.

    A transactional test flushes the database afterwards, migration data included; tests
    that come after it still find the tags a real installation has.
    """
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if not marker and not {"db", "transactional_db", "live_server"} & names:
        return
    transactional = bool({"transactional_db", "live_server"} & names) or bool(
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")

    from contacts.models import Tag
    from contacts.taxonomy_seed import seed_tags_create_missing

    seed_tags_create_missing(Tag)


@pytest.fixture
def team(db):
    return TeamFactory(name="Key Accounts")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Public Sector")


@pytest.fixture
def lead(team):
    user = UserFactory(username="lena", role="team_lead", team=team)
    team.lead = user
    team.save()
    return user


@pytest.fixture
def manager(team):
    return UserFactory(username="anna", role="account_manager", team=team)


@pytest.fixture
def colleague(team):
    return UserFactory(username="ben", role="account_manager", team=team)


@pytest.fixture
def outsider(other_team):
    return UserFactory(username="otto", role="account_manager", team=other_team)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role="admin", team=None, is_staff=True, is_superuser=True)


@pytest.fixture
def ticking_clock():
    """The clock set to TICKING_FROM and running on from there.

    For tests whose worker threads, live server or browser need real time to pass, but
    whose "today" must not depend on the day (or the hour) the suite runs.
    """
    with time_machine.travel(TICKING_FROM, tick=True) as traveller:
        yield traveller


@pytest.fixture
def live_worker(transactional_db):
    """A real Celery worker consuming from the configured broker (Redis in CI)."""
    from celery.contrib.testing.worker import start_worker

    # Tasks earlier tests sent without a worker (on commit) belong to their data, not to
    # this test's: they must not run against it.
    celery_app.control.purge()
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ) as worker:
        yield worker


@pytest.fixture
def private_redis():
    """A redis-server of this test's own, which it may stop, start again or freeze."""
    from tests.processes import PrivateRedis

    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def private_broker(private_redis, monkeypatch):
    """The test process (and the worker nodes it starts) use the private redis-server as
    the broker."""
    from relcrm.outbox import broker_pause_reset

    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", private_redis.url)
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = private_redis.url
    _broker_connections_forget()
    broker_pause_reset()
    yield private_redis
    monkeypatch.undo()
    celery_app.conf.broker_url = previous
    _broker_connections_forget()
    broker_pause_reset()


def _broker_connections_forget():
    """Drop the app's pooled broker connections and producers (as Celery does after a
    fork), so the next send connects to the broker configured now. The pools stay open:
    kombu keeps one per broker and hands it out again."""
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def worker_nodes(transactional_db):
    """Start real worker nodes (`celery -A relcrm worker` processes) on the test database;
    whatever is left running is stopped at the end."""
    from django.db import connection

    from tests.processes import WorkerNodes

    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (set DATABASE_URL=postgres://…)")
    if not celery_app.conf.broker_url.startswith("redis://"):
        skip_or_fail("needs Redis (set CELERY_BROKER_URL=redis://…)")
    celery_app.control.purge()
    nodes = WorkerNodes()
    yield nodes
    nodes.stop_all()


def wait_until(condition, *, timeout=20.0, interval=0.1):
    """Poll `condition` until it is truthy; fail with a message when it never is."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")
