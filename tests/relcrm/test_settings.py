"""Settings come from the environment, with working defaults, and fail loudly."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "BROKER": settings.CELERY_BROKER_URL,
    "BROKER_OPTIONS": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "TIME_ZONE": settings.TIME_ZONE,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "LANGUAGES": [code for code, _ in settings.LANGUAGES],
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def load_settings(tmp_path, **env):
    """Import the settings in a fresh interpreter with exactly `env` (plus PATH)."""
    clean = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "relcrm.settings",
        "ENV_FILE": str(tmp_path / "no.env"),
        "RELCRM_VAR_DIR": str(tmp_path / "var"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_debug_defaults_run_on_sqlite_and_the_filesystem_broker(tmp_path):
    result = load_settings(tmp_path, DEBUG="true")

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is True
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(tmp_path / "var" / "relcrm.sqlite3")
    assert values["BROKER"] == "filesystem://"
    assert values["BROKER_OPTIONS"]["data_folder_in"] == str(tmp_path / "var/celery/queue")
    assert (tmp_path / "var/celery/queue").is_dir()
    assert (tmp_path / "var/celery/processed").is_dir()
    assert values["TIME_ZONE"] == "Europe/Berlin"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["LANGUAGES"] == ["en", "de"]
    assert values["SESSION_COOKIE_SECURE"] is False


def test_without_debug_and_secret_key_it_refuses_to_start(tmp_path):
    result = load_settings(tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_production_environment_is_hardened(tmp_path):
    result = load_settings(
        tmp_path,
        DEBUG="false",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="crm.example.com",
        DATABASE_URL="postgres://relcrm:secret@db:5432/relcrm",
        CELERY_BROKER_URL="redis://redis:6379/0",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["BROKER"] == "redis://redis:6379/0"
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS is empty"),
        ({"DEBUG": "true", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL='LOUD' is not one of"),
    ],
)
def test_bad_values_fail_with_a_message_naming_the_setting(tmp_path, env, message):
    result = load_settings(tmp_path, **env)

    assert result.returncode != 0
    assert message in result.stderr
