"""The night the clocks go back: from 02:00 to 03:00 on 25 October 2026 Berlin's wall clock
shows every minute twice. In the second of those hours (UTC+1), "today" is still the 25th
wherever relcrm asks: the dashboard, snoozing, the daily scan and the calendar feed.

CI's shifted wall clocks reach the end of a year and a leap day (`.ci/run`); this hour is
pinned here instead, for the paths that turn "now" into a day.
"""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contacts.services import observation_create
from gestures.calendar import calendar_feed_create
from gestures.models import ScanRun, Suggestion
from tests.factories import ContactFactory
from tests.gestures.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

# 02:30 on the wall clock, the second time round.
REPEATED = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)
DAY = dt.date(2026, 10, 25)


@pytest.fixture(autouse=True)
def repeated_hour():
    with time_machine.travel(REPEATED, tick=False):
        assert timezone.localtime().fold == 1  # the pin is where it should be
        yield


def test_the_local_day_is_the_25th():
    assert timezone.localdate() == DAY
    assert timezone.localtime().utcoffset() == dt.timedelta(hours=1)


def test_the_dashboard_shows_what_is_due_today(client, manager):
    contact = ContactFactory.create(owner=manager, first_name="Clara", last_name="Brandt")
    SuggestionFactory.create(contact=contact, event_date=DAY)
    client.force_login(manager)

    page = client.get(reverse("dashboard")).content.decode()

    assert "Clara Brandt" in page


def test_snoozing_for_a_week_lands_on_the_first_of_november(client, manager):
    contact = ContactFactory.create(owner=manager)
    suggestion = SuggestionFactory.create(contact=contact, event_date=DAY + dt.timedelta(days=20))
    client.force_login(manager)

    client.post(
        reverse("suggestion_snooze", args=[suggestion.pk]),
        {"snooze": "week"},
        HTTP_HX_REQUEST="true",
    )

    assert Suggestion.objects.get(pk=suggestion.pk).snoozed_until == dt.date(2026, 11, 1)


def test_the_scan_without_a_day_scans_the_25th(manager):
    contact = ContactFactory.create(owner=manager)
    observation_create(
        contact=contact,
        author=manager,
        text="Her birthday is on October 27.",
        noted_on=DAY,
        rescan=False,
    )

    call_command("scan_gestures", stdout=StringIO())

    assert ScanRun.objects.get().day == DAY
    birthday = Suggestion.objects.get(contact=contact, occasion="birthday")
    assert birthday.event_date == dt.date(2026, 10, 27)


def test_the_calendar_feed_answers(client, manager):
    contact = ContactFactory.create(owner=manager)
    SuggestionFactory.create(
        contact=contact, event_date=DAY + dt.timedelta(days=2), status="confirmed"
    )
    token = calendar_feed_create(user=manager).token

    response = client.get(reverse("calendar_feed_ics", args=[token]))

    assert response.status_code == 200
    assert b"20261027" in response.content
