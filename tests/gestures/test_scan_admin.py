"""The scan's settings in the admin, and read-only lists of what the scan and people did."""

import datetime as dt

import pytest
from django.urls import reverse

from gestures.models import ScanConfiguration, ScanRun, Suggestion
from gestures.scan import ScanContext, scan_day
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_an_admin_changes_the_horizon_and_the_next_scan_uses_it(client, admin_user):
    ScanConfiguration.current()
    client.force_login(admin_user)
    url = reverse("admin:gestures_scanconfiguration_change", args=[1])
    form = {
        "horizon_days": "30",
        "cadence_a_days": "30",
        "cadence_b_days": "60",
        "cadence_c_days": "120",
        "annual_gift_limit_eur": "50.00",
        "approval_threshold_eur": "25.00",
        "gift_spacing_days": "90",
        "max_open_per_contact": "2",
    }

    response = client.post(url, form)

    assert response.status_code == 302
    assert ScanContext.load(dt.date(2026, 11, 23)).settings.horizon_days == 30


def test_a_second_settings_row_cannot_be_added(client, admin_user):
    ScanConfiguration.current()
    client.force_login(admin_user)

    response = client.get(reverse("admin:gestures_scanconfiguration_add"))

    assert response.status_code == 403


def test_suggestions_and_scan_runs_are_listed_read_only(client, admin_user, manager):
    ContactFactory.create_batch(2, owner=manager)
    scan_day(today=dt.date(2026, 11, 23))
    suggestion = Suggestion.objects.earliest("pk")
    client.force_login(admin_user)

    assert client.get(reverse("admin:gestures_suggestion_changelist")).status_code == 200
    assert client.get(reverse("admin:gestures_scanrun_changelist")).status_code == 200
    detail = client.get(reverse("admin:gestures_suggestion_change", args=[suggestion.pk]))
    assert detail.status_code == 200
    assert b'name="status"' not in detail.content  # shown, not editable
    assert ScanRun.objects.count() == 1


def test_account_managers_have_no_admin(client, manager):
    client.force_login(manager)

    response = client.get(reverse("admin:gestures_suggestion_changelist"))

    assert response.status_code == 302
