"""docker-compose.yml, the Dockerfile and the Procfile describe the same processes.

No Docker engine runs in CI, so this reads the files: the services exist, use the
commands `make run` uses, and configure only settings that relcrm/settings.py reads.
"""

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return {name: shlex.split(cmd) for name, cmd in (line.split(":", 1) for line in lines if line)}


def command(service):
    cmd = service["command"]
    return cmd if isinstance(cmd, list) else shlex.split(cmd)


def test_compose_has_the_production_services(compose):
    services = compose["services"]

    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name


def test_web_runs_gunicorn_on_the_wsgi_app(compose):
    cmd = command(compose["services"]["web"])

    assert cmd[:2] == ["gunicorn", "relcrm.wsgi"]


def test_worker_and_beat_run_what_the_procfile_runs(compose, procfile):
    assert command(compose["services"]["worker"]) == procfile["worker"]
    assert command(compose["services"]["beat"]) == procfile["beat"]
    assert procfile["web"][:3] == ["python", "manage.py", "runserver"]


def test_app_services_share_media_and_wait_for_healthy_services(compose):
    for name in ("web", "worker", "beat"):
        service = compose["services"][name]
        assert "media:/data/media" in service["volumes"]
        assert service["env_file"] == ".env"
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert service["environment"]["CELERY_BROKER_URL"].startswith("redis://redis:6379")
    assert "media" in compose["volumes"]


def test_the_image_runs_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text()

    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert "MEDIA_ROOT=/data/media" in dockerfile


def variables_read_by_settings():
    source = (ROOT / "relcrm/settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+|_\w+)?\(\s*"([A-Z_]+)"', source)) | set(
        re.findall(r'os\.environ\.get\("([A-Z_]+)"', source)
    )


def test_every_configured_variable_is_one_settings_reads(compose):
    known = variables_read_by_settings() | {"POSTGRES_PASSWORD", "RELCRM_SITE_ADDRESS"}
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
    configured = set(compose["services"]["web"]["environment"])

    assert documented - known == set()
    assert configured - known == set()


def test_the_proxy_serves_media_read_only_and_proxies_the_rest(compose):
    proxy = compose["services"]["proxy"]
    caddyfile = (ROOT / "deploy/Caddyfile").read_text()

    assert "media:/srv/media:ro" in proxy["volumes"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert "handle_path /media/*" in caddyfile
    assert "reverse_proxy web:8000" in caddyfile
