"""/healthz: database, broker and worker heartbeat, without login and without secrets."""

import socket
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from relcrm.celery import app as celery_app
from relcrm.services import heartbeat_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port_broker(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"redis://:hunter2@127.0.0.1:{port}/0"
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.setitem(celery_app.conf, "broker_url", url)


def test_it_is_200_when_database_broker_and_worker_are_up(client):
    heartbeat_record()

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert 0 <= body["checks"]["worker_heartbeat"]["age_seconds"] < 60
    assert body["problems"] == []


def test_it_is_503_with_a_reason_when_the_broker_port_is_closed(client, closed_port_broker):
    heartbeat_record()

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["broker"]["ok"] is False
    assert body["problems"] == [body["problems"][0]]
    assert body["problems"][0].startswith("broker unreachable")
    assert "hunter2" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


def test_it_is_503_when_the_worker_heartbeat_is_stale(client, settings):
    heartbeat_record(at=timezone.now() - settings.HEARTBEAT_MAX_AGE - timedelta(seconds=5))

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["checks"]["worker_heartbeat"]["ok"] is False
    assert "worker heartbeat is" in response.json()["problems"][0]


def test_it_is_503_before_any_worker_ran(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["problems"] == ["no worker heartbeat yet"]


def test_it_needs_no_login_and_is_not_cached(client):
    response = client.get(reverse("healthz"))

    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]


def test_check_heartbeat_command_fails_on_a_stale_heartbeat(settings):
    from django.core.management import CommandError, call_command

    heartbeat_record(at=timezone.now() - settings.HEARTBEAT_MAX_AGE - timedelta(seconds=1))
    with pytest.raises(CommandError, match="worker heartbeat is"):
        call_command("check_heartbeat")

    heartbeat_record()
    call_command("check_heartbeat")
