"""Personal API tokens: the page, the command, hashing, last use, revoking, the rate limit."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from api.models import ApiToken
from api.services import api_token_create

pytestmark = pytest.mark.django_db


def test_the_page_creates_a_token_shown_once_and_stored_hashed(client, manager):
    client.force_login(manager)
    page = client.get(reverse("api_tokens"))
    assert page.status_code == 200
    assert reverse("api_tokens").encode() in page.content  # linked from the navigation
    created = client.post(reverse("api_token_create"), {"name": "Reporting script"})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=manager)
    raw = created.context["new_raw"]
    assert raw.encode() in created.content
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest() and raw not in token.digest
    assert raw.encode() not in client.get(reverse("api_tokens")).content
    listed = client.get("/api/v1/contacts", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert listed.status_code == 200


def test_a_token_needs_a_name(client, manager):
    client.force_login(manager)
    refused = client.post(reverse("api_token_create"), {"name": "  "})
    assert "Give the token a name" in refused.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_stops_the_token_at_once(client, manager):
    token, raw = api_token_create(user=manager, name="CI")
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/contacts", **header).status_code == 200
    client.force_login(manager)
    revoked = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert revoked.status_code == 302
    client.logout()
    answer = client.get("/api/v1/contacts", **header)
    assert answer.status_code == 401 and answer.json()["detail"]


def test_nobody_else_revokes_my_token(client, manager, colleague):
    token, _raw = api_token_create(user=manager, name="mine")
    client.force_login(colleague)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_last_use_is_recorded(client, manager):
    token, raw = api_token_create(user=manager, name="script")
    assert token.last_used_at is None
    with time_machine.travel(dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC), tick=False):
        client.get("/api/v1/catalog", HTTP_AUTHORIZATION=f"Bearer {raw}")
    token.refresh_from_db()
    assert token.last_used_at == dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC)


def test_an_inactive_user_token_is_refused(client, manager):
    _token, raw = api_token_create(user=manager, name="script")
    manager.is_active = False
    manager.save()
    assert client.get("/api/v1/catalog", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_the_command_prints_a_working_token(client, manager, capsys):
    call_command("api_token", "anna")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("rcrm_")
    assert client.get("/api/v1/contacts", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_the_rate_limit_is_per_token(client, manager, colleague, settings):
    settings.RELCRM_API_RATE_LIMIT = "3/m"
    _token, raw = api_token_create(user=manager, name="busy")
    _other, other_raw = api_token_create(user=colleague, name="calm")
    answers = [
        client.get("/api/v1/catalog", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    limited = client.get("/api/v1/catalog", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert limited.json()["detail"].startswith("Too many requests")
    assert (
        client.get("/api/v1/catalog", HTTP_AUTHORIZATION=f"Bearer {other_raw}").status_code == 200
    )


def test_the_schema_and_docs_are_served_from_the_app(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/v1/suggestions/{suggestion_id}/dismiss" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    # No inline script: only the JSON settings block, which a browser does not execute.
    scripts = [part.split(">", 1)[0] for part in html.split("<script")[1:]]
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)


def test_without_a_token_every_endpoint_answers_401_in_json(client):
    from django.urls import get_resolver

    from tests.relcrm.test_auth_views import every_app_path

    assert get_resolver()  # the URLconf is loaded
    open_paths = {"/api/v1/openapi.json", "/api/v1/docs"}
    paths = sorted(p for p in every_app_path() if p.startswith("/api/v1/") and p not in open_paths)
    assert "/api/v1/contacts" in paths and "/api/v1/ledger" in paths
    for path in paths:
        path = path.replace("<contact_id>", "1").replace("<suggestion_id>", "1")
        path = path.replace("<fact_id>", "1")
        response = client.get(path)
        assert response["Content-Type"].startswith("application/json"), path
        assert response.status_code in {401, 404, 405}, path
        if response.status_code == 401:
            assert response.json()["detail"]
