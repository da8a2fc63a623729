"""manage.py on a database it cannot use: a plain message and a non-zero exit, not a
traceback. And the settings mypy's Django plugin imports load without any environment."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

# Every test here works in child processes, which a shifted wall clock does not reach, and
# passes them the day explicitly where one matters.
pytestmark = pytest.mark.clock_free

ROOT = Path(__file__).resolve().parents[2]

COMMANDS = {
    "extract_facts": (["extract_facts", "--today", "2026-11-23"], "Her birthday is March 3rd.\n"),
    "scan_gestures": (["scan_gestures", "--today", "2026-11-23", "--json"], ""),
    "export_json": (["export_json"], ""),
    "import_json": (["import_json", "-"], '{"organizations": [{"id": "o1", "name": "Acme"}]}'),
    "demo": (["demo"], ""),
    "sync_schedules": (["sync_schedules"], ""),
    "check_heartbeat": (["check_heartbeat"], ""),
}


def manage(args, *, database_url, tmp_path, stdin=""):
    environment = {
        "PATH": os.environ["PATH"],
        "DEBUG": "true",
        "DATABASE_URL": database_url,
        "RELCRM_VAR_DIR": str(tmp_path / "var"),
        "ENV_FILE": str(tmp_path / "no.env"),
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_command_on_a_database_never_migrated_says_to_migrate_first(name, tmp_path):
    args, stdin = COMMANDS[name]

    result = manage(
        args, database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path=tmp_path, stdin=stdin
    )

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "The database is not migrated" in result.stderr
    assert "Run `python manage.py migrate` first." in result.stderr


def test_a_command_after_an_update_with_new_migrations_says_to_migrate_first(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    # As a database left by an older release: some apps migrated, relcrm's own not yet.
    for app in ("contenttypes", "auth"):
        migrated = manage(["migrate", app], database_url=database_url, tmp_path=tmp_path)
        assert migrated.returncode == 0, migrated.stderr

    result = manage(COMMANDS["scan_gestures"][0], database_url=database_url, tmp_path=tmp_path)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Run `python manage.py migrate` first." in result.stderr


def test_a_command_whose_database_server_is_down_says_so(tmp_path):
    # Port 9 (discard) has no PostgreSQL behind it.
    result = manage(
        ["export_json"], database_url="postgres://relcrm@127.0.0.1:9/relcrm", tmp_path=tmp_path
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "relcrm cannot use its database" in result.stderr
    assert "Check DATABASE_URL" in result.stderr


def test_a_migrated_database_runs_the_command(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'ready.sqlite3'}"
    migrated = manage(["migrate"], database_url=database_url, tmp_path=tmp_path)
    assert migrated.returncode == 0, migrated.stderr

    args, stdin = COMMANDS["extract_facts"]
    result = manage(args, database_url=database_url, tmp_path=tmp_path, stdin=stdin)

    assert result.returncode == 0, result.stderr
    assert '"kind": "birthday"' in result.stdout


def test_the_type_checkers_settings_load_without_any_environment(tmp_path):
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    module = pyproject["tool"]["django-stubs"]["django_settings_module"]

    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "ENV_FILE": str(tmp_path / "no.env")},
        cwd=ROOT,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr


def test_mypy_runs_without_debug_in_the_environment():
    """The real thing, as `mypy .` on a newcomer's shell; it takes a while, so CI runs it."""
    mypy = Path(sys.executable).with_name("mypy")
    if not mypy.exists():
        skip_or_fail("mypy is not installed in this environment")
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}

    result = subprocess.run(
        [str(mypy), "relcrm/settings.py", "relcrm/command_line.py"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
