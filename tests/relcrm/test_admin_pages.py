"""Every page of the Django admin answers an admin without an error: for every registered
model its list (plain and searched), add form, change form, history, each stored history
entry, and delete confirmation.

The walk is driven by the admin's own registry, so a model registered later is walked too;
`world` must hold a row of it, which the first test checks.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, SolarSchedule
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.services import api_token_create
from contacts.services import observation_create
from gestures.models import ScanConfiguration, ScanRun, SuggestionTransition
from privacy.models import AccessLogEntry, RetentionSettings
from privacy.services import contact_erase, observation_review_keep
from relcrm.services import heartbeat_record
from tests.factories import ContactFactory, OrganizationFactory, gesture_recorded
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def world(admin_user, manager, lead):
    """One row (at least) of every model the admin shows, with history where it is kept."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    organization = OrganizationFactory.create(name="Acme GmbH")
    organization.gift_limit_eur = Decimal("40.00")
    organization.save()
    contact = ContactFactory.create(first_name="Clara", owner=manager, organization=organization)
    birthday = observation_create(
        contact=contact, author=manager, text="Her birthday is March 3rd.", noted_on=TODAY
    )
    observation_review_keep(observation=birthday, by=manager, today=TODAY)
    RetentionSettings.current()
    suggestion = GiftSuggestionFactory.create(contact=contact, gift_item=GiftItemFactory.create())
    SuggestionTransition.objects.create(
        suggestion=suggestion, from_status="pending", to_status="confirmed", by=manager
    )
    gesture_recorded(contact=contact, kind="call", date=TODAY, by=manager)
    erased = ContactFactory.create(first_name="Eve", owner=manager, organization=organization)
    contact_erase(contact=erased, by=lead, reason="Request by letter")
    AccessLogEntry.objects.create(user=admin_user, contact=contact, action="view")
    ScanRun.objects.create(day=TODAY, trigger="command", finished_at=timezone.now())
    ScanConfiguration.current()
    heartbeat_record()
    call_command("sync_schedules", verbosity=0)
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    SolarSchedule.objects.create(event="sunrise", latitude=52.5, longitude=13.4)
    Group.objects.create(name="Auditors")
    api_token_create(user=manager, name="Reporting")
    TOTPDevice.objects.create(user=manager, name="authenticator")
    StaticDevice.objects.create(user=manager, name="recovery").token_set.create(token="abcd2345")
    AccessAttempt.objects.create(
        username="anna", ip_address="198.51.100.7", user_agent="test", failures_since_start=1
    )
    AccessLog.objects.create(username="anna", ip_address="198.51.100.7", user_agent="test")
    AccessFailureLog.objects.create(username="anna", ip_address="198.51.100.7", user_agent="test")


def registered():
    admin.autodiscover()  # the admin modules are imported on first use (relcrm.admin_site)
    return sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label)


def url(model: type[models.Model], view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_the_world_has_a_row_of_every_registered_model(world):
    empty = [model._meta.label for model, _ in registered() if not model._default_manager.exists()]

    assert empty == []


def admin_pages(model: type[models.Model], model_admin: admin.ModelAdmin, request) -> list[str]:
    pages = [url(model, "changelist")]
    if model_admin.search_fields:
        pages.append(url(model, "changelist") + "?q=a")
    if model_admin.has_add_permission(request):
        pages.append(url(model, "add"))
    for obj in model._default_manager.all()[:2]:
        pages += [url(model, "change", obj.pk), url(model, "history", obj.pk)]
        if model_admin.has_delete_permission(request, obj):
            pages.append(url(model, "delete", obj.pk))
        history = getattr(obj, "history", None)
        if history is not None:
            for record in history.all()[:2]:
                try:
                    pages.append(url(model, "simple_history", obj.pk, record.history_id))
                except NoReverseMatch:
                    break
    return pages


@pytest.mark.page_walk
def test_every_admin_page_of_every_model_answers_an_admin(client, admin_user, world, rf):
    client.force_login(admin_user)
    request = rf.get("/")
    request.user = admin_user

    failures = []
    walked = 0
    for model, model_admin in registered():
        for page in admin_pages(model, model_admin, request):
            walked += 1
            response = client.get(page)
            if response.status_code != 200:
                failures.append(f"{page}: {response.status_code}")

    assert failures == []
    # Every model gives at least its list, a change form and a history page.
    assert walked >= 3 * len(registered())


def test_the_history_of_an_organization_shows_who_changed_its_gift_limit(client, admin_user, world):
    from contacts.models import Organization

    organization = Organization.objects.get(name="Acme GmbH")
    client.force_login(admin_user)

    response = client.get(url(Organization, "history", organization.pk))

    assert response.status_code == 200
    assert [record.gift_limit_eur for record in organization.history.all()] == [
        Decimal("40.00"),
        None,
    ]
