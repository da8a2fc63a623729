"""gunicorn, started with the project's own configuration, never logs a calendar token."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from gestures.calendar import calendar_feed_create

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our server
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@pytest.mark.clock_free  # gunicorn is a child process
@pytest.mark.django_db(transaction=True)
def test_the_access_log_masks_feed_tokens(manager, tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("the server needs a database file it can share: run on PostgreSQL")
    token = calendar_feed_create(user=manager).token
    port = _free_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": _database_url(),
        "RELCRM_VAR_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "relcrm.wsgi",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        assert _get(f"{base}/calendar/{token}.ics") == 200
        assert _get(f"{base}/calendar/{token}.ics?x={token}") == 200
        assert _get(f"{base}/calendar/wrong{token[:20]}.ics") == 404
        assert _get(f"{base}/calendar/{token[:30]}%2Eics") == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert text.count("/calendar/….ics") >= 4, text
    assert token[:20] not in text
