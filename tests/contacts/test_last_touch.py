"""Contact.last_touch_on: moved forward by the services that record an observation or a
gesture, never back; backfilled for contacts that existed before it; shown in the list."""

import importlib
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils.formats import date_format

from contacts.models import Contact
from contacts.services import contact_touch, observation_create
from gestures.services import contacts_last_touch_recompute, gesture_log
from tests.factories import ContactFactory

TODAY = date(2026, 11, 21)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-11-21 10:00 +01:00", tick=False):
        yield


def last_touch(contact):
    return Contact.objects.values_list("last_touch_on", flat=True).get(pk=contact.pk)


def test_an_observation_and_a_gesture_move_the_last_touch_forward_only(manager):
    contact = ContactFactory.create(owner=manager)
    assert last_touch(contact) is None

    observation_create(
        contact=contact, author=manager, text="Met at the fair.", noted_on=date(2026, 11, 10)
    )
    assert last_touch(contact) == date(2026, 11, 10)

    observation_create(
        contact=contact, author=manager, text="An older note.", noted_on=date(2026, 10, 1)
    )
    assert last_touch(contact) == date(2026, 11, 10)

    gesture_log(contact=contact, by=manager, kind="call", date=date(2026, 11, 20))
    assert last_touch(contact) == date(2026, 11, 20)


def test_the_update_is_conditional(manager):
    contact = ContactFactory.create(owner=manager)

    assert contact_touch(contact_id=contact.pk, on=date(2026, 11, 5))
    assert not contact_touch(contact_id=contact.pk, on=date(2026, 11, 5))
    assert not contact_touch(contact_id=contact.pk, on=date(2026, 11, 1))
    assert last_touch(contact) == date(2026, 11, 5)


@pytest.mark.parametrize(
    "backfill",
    [
        lambda: importlib.import_module(
            "gestures.migrations.0003_contact_last_touch_backfill"
        ).backfill(apps, None),
        lambda: contacts_last_touch_recompute(),
    ],
    ids=["migration", "recompute"],
)
def test_the_backfill_takes_the_latest_observation_or_gesture(manager, backfill):
    from tests.factories import gesture_recorded, observation_recorded

    observed = ContactFactory.create(owner=manager)
    observation_recorded(contact=observed, author=manager, text="a", noted_on=date(2026, 9, 1))
    observation_recorded(contact=observed, author=manager, text="b", noted_on=date(2026, 10, 1))
    called = ContactFactory.create(owner=manager)
    observation_recorded(contact=called, author=manager, text="c", noted_on=date(2026, 9, 1))
    gesture_recorded(contact=called, kind="call", date=date(2026, 11, 2), by=manager)
    only_gift = ContactFactory.create(owner=manager)
    gesture_recorded(contact=only_gift, kind="gift", date=date(2026, 8, 3), by=manager)
    silent = ContactFactory.create(owner=manager)
    Contact.objects.update(last_touch_on=None)

    backfill()

    assert [last_touch(c) for c in (observed, called, only_gift, silent)] == [
        date(2026, 10, 1),
        date(2026, 11, 2),
        date(2026, 8, 3),
        None,
    ]


def test_the_contact_list_shows_the_last_touch_of_gestures_too(client, manager):
    contact = ContactFactory.create(owner=manager, last_name="Zimmer")
    observation_create(contact=contact, author=manager, text="Note.", noted_on=date(2026, 10, 1))
    gesture_log(contact=contact, by=manager, kind="meeting", date=date(2026, 11, 19))
    client.force_login(manager)

    page = client.get(reverse("contact_list")).content.decode()

    row = page.split("Zimmer")[1].split("</tr>")[0]
    assert date_format(date(2026, 11, 19), "SHORT_DATE_FORMAT") in row
