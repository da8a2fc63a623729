"""Informing the person (Art. 14): a month after the first observation the owner is reminded
on the contact page, with a short notice in the contact's language, until they note it as
given; viewing a person with sensitive data is logged."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from contacts.models import Contact
from contacts.services import observation_create
from privacy.models import AccessLogEntry
from privacy.notice import one_month_after
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

FIRST_NOTED = dt.date(2026, 1, 31)


def page_at(client, user, contact, day):
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False):
        client.force_login(user)
        return client.get(reverse("contact_detail", args=[contact.pk])).content.decode()


@pytest.fixture
def clara(manager):
    clara = ContactFactory.create(first_name="Clara", owner=manager, language="de")
    observation_create(contact=clara, author=manager, text="Loves hiking.", noted_on=FIRST_NOTED)
    return clara


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),
        (dt.date(2026, 12, 15), dt.date(2027, 1, 15)),
    ],
)
def test_one_month_after(day, expected):
    assert one_month_after(day) == expected


def test_the_owner_is_reminded_a_month_after_the_first_observation(client, clara, manager):
    assert "Privacy notice missing" not in page_at(client, manager, clara, dt.date(2026, 2, 27))

    page = page_at(client, manager, clara, dt.date(2026, 2, 28))

    assert "Privacy notice missing" in page
    # In the contact's language, signed by the owner.
    assert "Guten Tag Clara Muster" in page
    assert manager.display_name() in page


def test_noting_the_notice_given_ends_the_reminder(client, clara, manager):
    day = dt.date(2026, 3, 10)
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False):
        client.force_login(manager)
        response = client.post(reverse("contact_privacy_notice", args=[clara.pk]))

    assert response.status_code == 302
    assert Contact.objects.get(pk=clara.pk).privacy_notice_on == day
    page = page_at(client, manager, clara, dt.date(2026, 4, 1))
    assert "Privacy notice missing" not in page
    assert "given on" in page


def test_only_who_may_change_the_contact_notes_the_notice(client, clara, colleague, outsider):
    url = reverse("contact_privacy_notice", args=[clara.pk])
    client.force_login(colleague)
    assert client.post(url).status_code == 404
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert Contact.objects.get(pk=clara.pk).privacy_notice_on is None


def test_viewing_a_person_with_sensitive_data_is_logged(client, manager, colleague):
    sensitive = ContactFactory.create(owner=manager)
    observation_create(
        contact=sensitive, author=manager, text="Allergic to nuts.", noted_on=FIRST_NOTED
    )
    plain = ContactFactory.create(owner=manager)
    observation_create(contact=plain, author=manager, text="Loves hiking.", noted_on=FIRST_NOTED)

    for contact in (sensitive, plain):
        page_at(client, colleague, contact, dt.date(2026, 2, 1))

    assert list(AccessLogEntry.objects.values_list("user__username", "action", "contact")) == [
        ("ben", "view", sensitive.pk)
    ]
