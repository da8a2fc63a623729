"""What came of a gesture: asked for on the dashboard fourteen days after it, recorded in one
click (HTMX and plain POST) by its owner, the team lead or an admin, corrected later, and
shown on the contact's page."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gestures.models import Gesture, GestureOutcome
from gestures.outcomes import (
    ASK_AFTER_DAYS,
    ASK_UNTIL_DAYS,
    ASKED_ON_DASHBOARD,
    OutcomeRefused,
    gesture_outcome_record,
    outcome_requests,
)
from tests.factories import ContactFactory, gesture_recorded

BERLIN = dt.timezone(dt.timedelta(hours=1))
DONE_ON = dt.date(2026, 11, 9)  # a Monday
assert ASK_AFTER_DAYS == 14  # the "fourteen days after"
ASKED_ON = DONE_ON + dt.timedelta(days=ASK_AFTER_DAYS)  # Monday 23 November
HTMX = {"HTTP_HX_REQUEST": "true"}
DASHBOARD = reverse("dashboard")

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=BERLIN), tick=False)


@pytest.fixture
def clara(manager):
    return ContactFactory.create(owner=manager, first_name="Clara", last_name="Weiss")


@pytest.fixture
def note_done(clara, manager):
    return gesture_recorded(
        contact=clara, kind=Gesture.Kind.NOTE, date=DONE_ON, by=manager, note="Congratulations"
    )


def url(gesture):
    return reverse("outcome_record", args=[gesture.pk])


# -- when it is asked for -----------------------------------------------------------------


def test_the_owner_is_asked_from_the_fourteenth_day_on(client, manager, note_done):
    client.force_login(manager)
    with at(ASKED_ON - dt.timedelta(days=1), hour=23):
        page = client.get(DASHBOARD).content.decode()
        assert "What came of it?" not in page
        assert outcome_requests(user=manager, today=timezone.localdate()).total == 0
    with at(ASKED_ON, hour=0):
        page = client.get(DASHBOARD).content.decode()
    assert "What came of it?" in page
    assert f'id="outcome-{note_done.pk}"' in page
    assert "Clara Weiss" in page
    assert f'hx-post="{url(note_done)}"' in page
    for label in ("Thanked", "Replied", "Met", "Referral", "New order", "Nothing yet"):
        assert f">{label}</button>" in page
    assert 'value="felt_wrong"' in page


def test_it_is_no_longer_asked_once_answered_or_after_ninety_days(client, manager, note_done):
    client.force_login(manager)
    with at(DONE_ON + dt.timedelta(days=ASK_UNTIL_DAYS)):
        assert outcome_requests(user=manager, today=timezone.localdate()).total == 1
    with at(DONE_ON + dt.timedelta(days=ASK_UNTIL_DAYS + 1)):
        assert "What came of it?" not in client.get(DASHBOARD).content.decode()
    with at(ASKED_ON):
        gesture_outcome_record(gesture=note_done, by=manager, result="thanked")
        assert "What came of it?" not in client.get(DASHBOARD).content.decode()


def test_only_the_owner_is_asked_not_a_colleague_or_the_lead(
    client, manager, colleague, lead, note_done
):
    with at(ASKED_ON):
        for user in (colleague, lead):
            client.force_login(user)
            assert "What came of it?" not in client.get(DASHBOARD).content.decode()
        assert outcome_requests(user=manager, today=ASKED_ON).gestures == [note_done]


def test_the_dashboard_shows_three_and_counts_the_rest(client, manager, clara):
    for days in range(7):
        gesture_recorded(
            contact=clara, kind=Gesture.Kind.CALL, date=DONE_ON - dt.timedelta(days), by=manager
        )
    client.force_login(manager)
    with at(ASKED_ON):
        page = client.get(DASHBOARD).content.decode()
        requests = outcome_requests(user=manager, today=ASKED_ON)
    assert (len(requests.gestures), requests.total, requests.more) == (3, 7, 4)
    assert page.count('class="outcome-request"') == 3
    assert "and 4 more" in page
    # Oldest first: the one about to drop out of the window is asked first.
    assert requests.gestures[0].date == DONE_ON - dt.timedelta(days=6)


def test_an_archived_contacts_gesture_is_not_asked_for(manager, clara, note_done):
    clara.archived = True
    clara.save()
    assert outcome_requests(user=manager, today=ASKED_ON).total == 0


# -- recording it, for every role ---------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "lead", "admin"])
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_the_owner_the_lead_and_an_admin_record_it(
    client, role, htmx, manager, lead, admin_user, note_done
):
    user = {"owner": manager, "lead": lead, "admin": admin_user}[role]
    client.force_login(user)
    with at(ASKED_ON):
        response = client.post(
            url(note_done),
            {"result": "replied", "note": "", "next": DASHBOARD},
            **(HTMX if htmx else {}),
        )
    outcome = GestureOutcome.objects.get(gesture=note_done)
    assert (outcome.result, outcome.recorded_by, outcome.note) == ("replied", user, "")
    assert timezone.localtime(outcome.recorded_at).date() == ASKED_ON
    if htmx:
        assert response.status_code == 200
        body = response.content.decode()
        assert body.strip().startswith(f'<div class="gesture-outcome" id="outcome-{note_done.pk}"')
        assert "<strong" in body
        assert "Replied</strong>" in body
        assert f"recorded by {user.display_name()}" in body
        assert "Change what came of it" in body
        assert "<html" not in body
    else:
        assert response.status_code == 302
        assert response["Location"] == DASHBOARD
        page = client.get(DASHBOARD).content.decode()
        assert "Recorded what came of it: Replied (Clara Weiss)." in page


@pytest.mark.parametrize("who", ["colleague", "outsider"])
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_colleague_or_another_team_gets_a_404(client, who, htmx, colleague, outsider, note_done):
    client.force_login({"colleague": colleague, "outsider": outsider}[who])
    response = client.post(url(note_done), {"result": "thanked"}, **(HTMX if htmx else {}))
    assert response.status_code == 404
    assert not GestureOutcome.objects.exists()


def test_another_teams_lead_gets_a_404(client, other_team, note_done):
    from tests.factories import UserFactory

    other_lead = UserFactory.create(username="olga", role="team_lead", team=other_team)
    client.force_login(other_lead)
    assert client.post(url(note_done), {"result": "thanked"}).status_code == 404
    assert not GestureOutcome.objects.exists()


def test_recording_is_a_post_with_csrf(manager, note_done):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.get(url(note_done)).status_code == 405
    assert client.post(url(note_done), {"result": "thanked"}).status_code == 403
    assert not GestureOutcome.objects.exists()


def test_felt_wrong_needs_a_note(client, manager, note_done):
    client.force_login(manager)
    response = client.post(url(note_done), {"result": "felt_wrong", "note": "  "}, **HTMX)
    assert response.status_code == 200
    assert "Say in a few words why it felt wrong" in response.content.decode()
    assert not GestureOutcome.objects.exists()

    response = client.post(
        url(note_done), {"result": "felt_wrong", "note": "", "next": DASHBOARD}, follow=True
    )
    assert "Say in a few words why it felt wrong" in response.content.decode()
    assert not GestureOutcome.objects.exists()

    response = client.post(
        url(note_done), {"result": "felt_wrong", "note": "Too soon after her loss."}, **HTMX
    )
    outcome = GestureOutcome.objects.get()
    assert (outcome.result, outcome.note) == ("felt_wrong", "Too soon after her loss.")
    assert "Too soon after her loss." in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"result": "great"}, {"result": "thanked", "note": "x" * 501}],
    ids=["nothing", "unknown", "note too long"],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(client, manager, note_done, data):
    client.force_login(manager)
    response = client.post(url(note_done), data, **HTMX)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not GestureOutcome.objects.exists()


def test_the_note_is_escaped(client, manager, note_done):
    client.force_login(manager)
    response = client.post(
        url(note_done), {"result": "felt_wrong", "note": "<script>alert(1)</script>"}, **HTMX
    )
    body = response.content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;" in body


# -- editing later ------------------------------------------------------------------------


def test_it_can_be_changed_later_and_keeps_who_and_when_of_the_last_answer(
    client, manager, lead, note_done
):
    client.force_login(manager)
    with at(ASKED_ON):
        client.post(url(note_done), {"result": "nothing_yet"}, **HTMX)
    first = GestureOutcome.objects.get()
    with at(ASKED_ON + dt.timedelta(days=20)):
        client.force_login(lead)
        response = client.post(url(note_done), {"result": "new_order", "note": "Ordered 40"})
    assert response.status_code == 302
    outcome = GestureOutcome.objects.get()
    assert outcome.pk == first.pk
    assert (outcome.result, outcome.note, outcome.recorded_by) == ("new_order", "Ordered 40", lead)
    assert timezone.localtime(outcome.recorded_at).date() == ASKED_ON + dt.timedelta(days=20)
    assert timezone.localtime(outcome.created_at).date() == ASKED_ON


def test_an_outcome_can_be_recorded_before_it_is_asked_for(manager, note_done):
    with at(DONE_ON + dt.timedelta(days=1)):
        outcome = gesture_outcome_record(gesture=note_done, by=manager, result="thanked")
    assert outcome.got_response


def test_the_service_refuses_a_colleague(colleague, note_done):
    with pytest.raises(OutcomeRefused):
        gesture_outcome_record(gesture=note_done, by=colleague, result="thanked")
    assert not GestureOutcome.objects.exists()


def test_the_database_refuses_felt_wrong_without_a_note(manager, note_done):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        GestureOutcome.objects.create(gesture=note_done, result="felt_wrong", recorded_by=manager)


# -- the contact's page -------------------------------------------------------------------


def test_the_contact_page_shows_the_outcome_and_lets_the_owner_change_it(
    client, manager, colleague, clara, note_done
):
    with at(ASKED_ON):
        gesture_outcome_record(gesture=note_done, by=manager, result="met", note="Lunch in Hamburg")
    page_url = reverse("contact_detail", args=[clara.pk])
    client.force_login(manager)
    page = client.get(page_url).content.decode()
    assert "What came of it:" in page
    assert "Met</strong>" in page
    assert "Lunch in Hamburg" in page
    assert f'action="{url(note_done)}"' in page
    assert 'aria-pressed="true">Met</button>' in page

    client.force_login(colleague)
    page = client.get(page_url).content.decode()
    assert "Met</strong>" in page
    assert f'action="{url(note_done)}"' not in page


def test_the_contact_page_offers_the_answer_before_any_is_recorded(client, lead, clara, note_done):
    client.force_login(lead)
    page = client.get(reverse("contact_detail", args=[clara.pk])).content.decode()
    assert f'action="{url(note_done)}"' in page
    assert "What came of it:" not in page


def test_the_contact_page_query_count_does_not_grow_with_outcomes(
    client, manager, clara, django_assert_max_num_queries
):
    client.force_login(manager)
    page_url = reverse("contact_detail", args=[clara.pk])
    gesture = gesture_recorded(contact=clara, kind="call", date=DONE_ON, by=manager)
    gesture_outcome_record(gesture=gesture, by=manager, result="thanked")
    client.get(page_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(page_url)
    for days in range(1, 6):
        more = gesture_recorded(
            contact=clara, kind="call", date=DONE_ON - dt.timedelta(days), by=manager
        )
        gesture_outcome_record(gesture=more, by=manager, result="replied")
    with django_assert_max_num_queries(len(one)):
        client.get(page_url)


def test_the_dashboard_query_count_does_not_grow_with_the_gestures_asked_about(
    client, manager, clara, note_done, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(manager)
    with at(ASKED_ON):
        client.get(DASHBOARD)
        with CaptureQueriesContext(connection) as one:
            page = client.get(DASHBOARD).content.decode()
        assert f'action="{url(note_done)}"' in page
        # Fewer than the dashboard shows, so that no count of the rest is needed either.
        for days in range(1, ASKED_ON_DASHBOARD - 1):
            gesture_recorded(
                contact=clara, kind="call", date=DONE_ON - dt.timedelta(days), by=manager
            )
        with django_assert_max_num_queries(len(one)):
            page = client.get(DASHBOARD).content.decode()
    assert page.count('class="outcome-request"') == ASKED_ON_DASHBOARD - 1
