"""An account manager's home: their gestures first, then the week's dates of their own
contacts (birthdays, anniversaries, years as our customer), over the turn of the year too."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from contacts.models import Fact
from gestures.timeline import week_dates
from tests.factories import ContactFactory, observation_recorded
from tests.gestures.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


def fact(contact, **fields):
    note = observation_recorded(
        contact=contact, author=contact.owner, text="A date.", noted_on=dt.date(2026, 1, 5)
    )
    return Fact.objects.create(observation=note, contact=contact, **fields)


@time_machine.travel(dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC), tick=False)
def test_the_home_lists_the_weeks_dates_after_the_gestures(client, manager, colleague):
    clara = ContactFactory.create(owner=manager, first_name="Clara", last_name="Weiss")
    fact(clara, kind="birthday", month=3, day=19, year=1980)
    fact(clara, kind="anniversary", subject="work", month=3, day=23)  # the eighth day
    since = ContactFactory.create(
        owner=manager, first_name="Paul", customer_since=dt.date(2016, 3, 16)
    )
    fact(
        ContactFactory.create(owner=colleague, first_name="Bert"), kind="birthday", month=3, day=17
    )
    SuggestionFactory.create(contact=clara)
    client.force_login(manager)

    html = client.get(reverse("home")).content.decode()

    section = html[html.index('id="week-dates"') :]
    assert html.index('class="suggestion-card') < html.index('id="week-dates"')
    assert "Clara Weiss" in section and "46 years" in section
    assert since.full_name in section and "10 years" in section
    assert "Bert" not in section
    assert "23 March" not in section


@time_machine.travel(dt.datetime(2026, 12, 29, 12, 0, tzinfo=dt.UTC), tick=False)
def test_the_week_runs_over_the_turn_of_the_year(manager, django_assert_max_num_queries):
    ina = ContactFactory.create(owner=manager, first_name="Ina")
    fact(ina, kind="birthday", month=1, day=2)
    fact(ina, kind="milestone", label="Go-live", date=dt.date(2027, 1, 5))  # the eighth day

    with django_assert_max_num_queries(2):
        dates = week_dates(user=manager, today=dt.date(2026, 12, 29), language="en")

    assert [(d.contact, d.date.day) for d in dates] == [(ina, dt.date(2027, 1, 2))]
