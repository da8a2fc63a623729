"""The personal calendar feed: what is in it (and what is not), its secret URL without a
login, revoking it, the page that manages it, and a query count that does not grow."""

import datetime as dt
import logging

import icalendar
import pytest
import time_machine
from django.urls import reverse

from contacts.models import Fact, Observation
from gestures.calendar import (
    calendar_feed_create,
    calendar_feed_revoke,
    calendar_for_user,
)
from gestures.models import CalendarFeed
from tests.factories import ContactFactory
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

# A Wednesday in a common year: Feb 29 birthdays fall on Feb 28.
TODAY = dt.date(2027, 2, 10)
PAGE = reverse("calendar_feed")
CREATE = reverse("calendar_feed_create")
REVOKE = reverse("calendar_feed_revoke")


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(dt.datetime(2027, 2, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def feed_url(feed):
    return reverse("calendar_feed_ics", args=[feed.token])


def dated_fact(contact, kind, month, day, *, year=None, subject=""):
    observation = Observation.objects.create(
        contact=contact, author=contact.owner, text="Noted a date.", noted_on=dt.date(2026, 5, 1)
    )
    return Fact.objects.create(
        observation=observation,
        contact=contact,
        kind=kind,
        month=month,
        day=day,
        year=year,
        subject=subject,
    )


def events(body):
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def planned(contact, *, status="confirmed", due=TODAY + dt.timedelta(days=5), **fields):
    return SuggestionFactory.create(
        contact=contact, status=status, event_date=due, due_date=due, expires_on=due, **fields
    )


@pytest.fixture
def anna_example(manager):
    return ContactFactory.create(first_name="Anna", last_name="Example", owner=manager)


def test_the_feed_is_a_calendar_of_the_users_planned_gestures(manager, anna_example):
    item = GiftItemFactory.create(name="Tea tasting box", name_de="Tee-Probierbox")
    gift = GiftSuggestionFactory.create(
        contact=anna_example,
        gift_item=item,
        status="approved",
        event_date=dt.date(2027, 2, 20),
        due_date=dt.date(2027, 2, 15),
        expires_on=dt.date(2027, 2, 20),
    )
    note = planned(anna_example, status="confirmed", due=dt.date(2027, 2, 12))
    pending = planned(anna_example, status="pending")
    dismissed = planned(anna_example, status="dismissed")
    done = planned(anna_example, status="done")

    calendar = icalendar.Calendar.from_ical(calendar_for_user(user=manager, today=TODAY))
    found = events(calendar.to_ical())

    assert str(calendar["PRODID"]).startswith("-//relcrm//")
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "relcrm: Anna Example"
    assert f"suggestion-{gift.pk}@relcrm" in found
    assert f"suggestion-{note.pk}@relcrm" in found
    for closed_or_undecided in (pending, dismissed, done):
        assert f"suggestion-{closed_or_undecided.pk}@relcrm" not in found
    event = found[f"suggestion-{gift.pk}@relcrm"]
    # An all-day event on the due date.
    assert event.decoded("DTSTART") == dt.date(2027, 2, 15)
    assert event.decoded("DTEND") == dt.date(2027, 2, 16)
    assert str(event["SUMMARY"]) == "Gift for Anna Example: Birthday"
    assert str(event["URL"]) == "http://127.0.0.1:8000" + reverse("dashboard")
    assert str(found[f"suggestion-{note.pk}@relcrm"]["SUMMARY"]) == "Note to Anna Example: Birthday"
    # The explanation, rendered for the day the feed is read.
    assert "Birthday on 20 February 2027 (in 10 days)." in str(event["DESCRIPTION"])
    assert "“Her birthday is coming up soon.” — noted by Anna Example" in str(event["DESCRIPTION"])


def test_the_explanation_is_in_the_users_language(manager, anna_example):
    manager.language = "de"
    manager.save()
    note = planned(anna_example, due=dt.date(2027, 2, 12))

    found = events(calendar_for_user(user=manager, today=TODAY))

    description = str(found[f"suggestion-{note.pk}@relcrm"]["DESCRIPTION"])
    assert "Geburtstag am 12. Februar 2027 (in 2 Tagen)." in description
    assert "notiert von Anna Example" in description


def test_upcoming_birthdays_and_anniversaries_of_own_contacts_are_in_it(manager, anna_example):
    leap = dated_fact(anna_example, "birthday", 2, 29, year=1980)
    anniversary = dated_fact(anna_example, "anniversary", 3, 1, year=2017, subject="work")
    too_far = dated_fact(anna_example, "birthday", 8, 1)
    # The same birthday noted twice is one event.
    dated_fact(anna_example, "birthday", 2, 29)
    archived = ContactFactory.create(owner=manager, archived=True)
    dated_fact(archived, "birthday", 2, 20)

    found = events(calendar_for_user(user=manager, today=TODAY))

    birthday = found[f"birthday-{leap.pk}-2027@relcrm"]
    assert birthday.decoded("DTSTART") == dt.date(2027, 2, 28)
    assert str(birthday["SUMMARY"]) == "Birthday: Anna Example (47 years)"
    assert reverse("contact_detail", args=[anna_example.pk]) in str(birthday["URL"])
    work = found[f"anniversary-{anniversary.pk}-2027@relcrm"]
    assert work.decoded("DTSTART") == dt.date(2027, 3, 1)
    assert str(work["SUMMARY"]) == "Work anniversary: Anna Example (10 years)"
    assert not any(uid.startswith(f"birthday-{too_far.pk}-") for uid in found)
    assert [uid for uid in found if uid.startswith("birthday-")] == [
        f"birthday-{leap.pk}-2027@relcrm"
    ]


def test_a_birthday_on_feb_29_is_on_feb_29_in_a_leap_year(manager, anna_example):
    leap = dated_fact(anna_example, "birthday", 2, 29)

    found = events(calendar_for_user(user=manager, today=dt.date(2028, 2, 10)))

    assert found[f"birthday-{leap.pk}-2028@relcrm"].decoded("DTSTART") == dt.date(2028, 2, 29)


def test_nobody_elses_gestures_or_dates_are_in_it(manager, colleague, outsider, lead):
    mine = planned(ContactFactory.create(owner=manager))
    colleagues = planned(ContactFactory.create(owner=colleague))
    outsiders = planned(ContactFactory.create(owner=outsider))
    colleague_birthday = dated_fact(ContactFactory.create(owner=colleague), "birthday", 2, 20)

    mine_found = events(calendar_for_user(user=manager, today=TODAY))
    # A team lead's feed is their own agenda too, not the team's.
    lead_found = events(calendar_for_user(user=lead, today=TODAY))

    assert set(mine_found) == {f"suggestion-{mine.pk}@relcrm"}
    assert lead_found == {}
    for other in (colleagues, outsiders):
        assert f"suggestion-{other.pk}@relcrm" not in mine_found
    assert f"birthday-{colleague_birthday.pk}-2027@relcrm" not in mine_found


def test_a_broken_stored_explanation_does_not_break_the_feed(manager, anna_example):
    broken = planned(anna_example, explanation={"unexpected": True})

    found = events(calendar_for_user(user=manager, today=TODAY))

    assert "DESCRIPTION" not in found[f"suggestion-{broken.pk}@relcrm"]


# -- the feed URL ---------------------------------------------------------------------------


def test_the_feed_url_works_without_a_login(client, manager, anna_example):
    note = planned(anna_example)
    feed = calendar_feed_create(user=manager)

    response = client.get(feed_url(feed))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    assert f"suggestion-{note.pk}@relcrm" in events(response.content)


def test_an_unknown_token_is_a_404_that_does_not_log_the_token(client, manager, caplog):
    calendar_feed_create(user=manager)
    token = "x" * 43

    with caplog.at_level(logging.DEBUG):
        missing = client.get(reverse("calendar_feed_ics", args=[token]))
        odd = client.get(f"/calendar/{token}!%20.ics")
        posted = client.post(reverse("calendar_feed_ics", args=[token]))

    assert missing.status_code == 404
    assert odd.status_code == 404
    assert posted.status_code == 405
    assert token not in caplog.text


def test_a_revoked_token_is_refused_and_the_new_one_works(client, manager, anna_example):
    planned(anna_example)
    old = calendar_feed_create(user=manager)
    old_url = feed_url(old)
    assert client.get(old_url).status_code == 200

    new = calendar_feed_revoke(user=manager)

    assert new is not None
    assert new.token != old.token
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def test_creating_twice_keeps_the_same_address(manager):
    first = calendar_feed_create(user=manager)
    second = calendar_feed_create(user=manager)

    assert first.token == second.token
    assert len(first.token) >= 43
    assert CalendarFeed.objects.filter(user=manager).count() == 1


def test_revoking_without_a_feed_does_nothing(manager):
    assert calendar_feed_revoke(user=manager) is None
    assert not CalendarFeed.objects.exists()


def test_the_feed_of_a_deactivated_user_is_gone(client, manager):
    feed = calendar_feed_create(user=manager)
    manager.is_active = False
    manager.save()

    assert client.get(feed_url(feed)).status_code == 404


def test_the_query_count_does_not_grow_with_the_rows(
    client, manager, anna_example, django_assert_num_queries
):
    feed = calendar_feed_create(user=manager)
    for _ in range(3):
        planned(anna_example)
        dated_fact(ContactFactory.create(owner=manager), "birthday", 3, 1)

    with django_assert_num_queries(4) as few:
        assert client.get(feed_url(feed)).status_code == 200

    for _ in range(27):
        planned(anna_example, status="approved")
        dated_fact(ContactFactory.create(owner=manager), "birthday", 3, 2)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(feed_url(feed))
    assert len(events(response.content)) == 60


# -- the page -----------------------------------------------------------------------------


def test_the_page_requires_a_login(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(CREATE).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_the_page_shows_the_absolute_and_webcal_address(client, manager):
    feed = calendar_feed_create(user=manager)
    client.force_login(manager)

    response = client.get(PAGE)

    content = response.content.decode()
    assert response.status_code == 200
    assert f"http://testserver/calendar/{feed.token}.ics" in content
    assert f"webcal://testserver/calendar/{feed.token}.ics" in content
    assert f'action="{REVOKE}"' in content


def test_the_page_offers_to_create_a_feed_when_there_is_none(client, manager):
    client.force_login(manager)

    content = client.get(PAGE).content.decode()

    assert f'action="{CREATE}"' in content
    assert ".ics" not in content


def test_the_user_menu_links_to_the_page(client, manager):
    client.force_login(manager)

    assert f'href="{PAGE}"' in client.get(reverse("home")).content.decode()


def test_creating_without_javascript_redirects_to_the_page(client, manager):
    client.force_login(manager)

    response = client.post(CREATE)

    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert CalendarFeed.objects.filter(user=manager).exists()


def test_creating_with_htmx_returns_the_feed_section(client, manager):
    client.force_login(manager)

    response = client.post(CREATE, headers={"HX-Request": "true"})

    content = response.content.decode()
    feed = CalendarFeed.objects.get(user=manager)
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="calendar-feed"')
    assert "<html" not in content
    assert f"/calendar/{feed.token}.ics" in content


def test_revoking_without_javascript_redirects_with_a_new_address(client, manager):
    old = calendar_feed_create(user=manager)
    client.force_login(manager)

    response = client.post(REVOKE)

    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert CalendarFeed.objects.get(user=manager).token != old.token


def test_revoking_with_htmx_returns_the_section_with_the_new_address(client, manager):
    old = calendar_feed_create(user=manager)
    client.force_login(manager)

    response = client.post(REVOKE, headers={"HX-Request": "true"})

    content = response.content.decode()
    new = CalendarFeed.objects.get(user=manager)
    assert response.status_code == 200
    assert new.token in content
    assert old.token not in content
    assert "<html" not in content


def test_revoking_only_touches_ones_own_feed(client, manager, colleague):
    theirs = calendar_feed_create(user=colleague)
    calendar_feed_create(user=manager)
    client.force_login(manager)

    client.post(REVOKE)

    assert CalendarFeed.objects.get(user=colleague).token == theirs.token


@pytest.mark.parametrize("url", [CREATE, REVOKE])
def test_create_and_revoke_refuse_get(client, manager, url):
    client.force_login(manager)

    assert client.get(url).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_create_and_revoke_need_the_csrf_token(manager):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)

    assert strict.post(CREATE).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_the_development_server_log_does_not_show_the_token_either(caplog):
    token = "y" * 43

    with caplog.at_level(logging.INFO, logger="django.server"):
        logging.getLogger("django.server").info('"%s" %s %s', f"GET /calendar/{token}.ics", 200, 9)

    assert token not in caplog.text
    assert "/calendar/….ics" in caplog.text


def test_control_characters_in_stored_text_do_not_reach_the_feed(manager):
    contact = ContactFactory.create(
        first_name="An\x1b[2Jna", last_name="Ex\x07ample", owner=manager
    )
    manager.first_name = "Mal\x0blory"
    manager.save()
    note = planned(contact, due=dt.date(2027, 2, 12))

    body = calendar_for_user(user=manager, today=TODAY)

    for control in ("\x1b", "\x07", "\x0b"):
        assert control.encode() not in body
    assert str(events(body)[f"suggestion-{note.pk}@relcrm"]["SUMMARY"]) == (
        "Note to An[2Jna Example: Birthday"
    )
