"""Undo of confirm, dismiss, snooze and done: the previous state comes back, what the
decision wrote goes, the undo is itself a recorded transition, with HTMX and without; after
the time limit or by someone else it is refused with a message, never an error."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from gestures.models import Gesture, Suggestion, SuggestionTransition
from gestures.services import UNDO_REASON
from tests.factories import ContactFactory
from tests.gestures.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}
DASHBOARD = reverse("dashboard")

ACTIONS = {
    "suggestion_confirm": ({}, Suggestion.Status.CONFIRMED),
    "suggestion_dismiss": ({"reason": "not_relevant"}, Suggestion.Status.DISMISSED),
    "suggestion_snooze": ({"snooze": "week"}, Suggestion.Status.SNOOZED),
    "suggestion_done": ({"date": "2026-11-23", "note": "Card sent."}, Suggestion.Status.DONE),
}


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def suggestion(manager):
    contact = ContactFactory.create(owner=manager, first_name="Clara", last_name="Weiss")
    return SuggestionFactory.create(contact=contact, event_date=dt.date(2026, 12, 10))


def decide(client, suggestion, action, **extra):
    data, status = ACTIONS[action]
    response = client.post(reverse(action, args=[suggestion.pk]), data, **extra)
    assert response.status_code in (200, 302)
    suggestion.refresh_from_db()
    assert suggestion.status == status
    return suggestion


def assert_undone(suggestion, *, by, taken_back):
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING
    assert suggestion.reason == "" and suggestion.snoozed_until is None
    assert suggestion.decided_by is None
    assert not Gesture.objects.filter(suggestion=suggestion).exists()
    last = SuggestionTransition.objects.filter(suggestion=suggestion).order_by("-at", "-pk")[0]
    assert (last.from_status, last.to_status, last.by, last.reason) == (
        taken_back,
        Suggestion.Status.PENDING,
        by,
        UNDO_REASON,
    )
    assert SuggestionTransition.objects.filter(suggestion=suggestion).count() == 2


@pytest.mark.parametrize("action", ACTIONS)
def test_undo_with_htmx_restores_the_state_before_and_is_recorded(
    client, manager, suggestion, clock, action
):
    client.force_login(manager)
    decided = decide(client, suggestion, action, **HTMX)
    html = client.get(DASHBOARD).content.decode()
    assert reverse("suggestion_undo", args=[suggestion.pk]) in html  # "Recently closed" / card

    response = client.post(reverse("suggestion_undo", args=[suggestion.pk]), **HTMX)

    assert response.status_code == 200
    assert f'id="suggestion-{suggestion.pk}"' in response.content.decode()
    assert "Undone" in response.content.decode()
    assert "suggestions-changed" in response["HX-Trigger"]
    assert_undone(suggestion, by=manager, taken_back=decided.status)


@pytest.mark.parametrize("action", ACTIONS)
def test_undo_without_javascript_redirects_back_and_says_so(
    client, manager, suggestion, clock, action
):
    client.force_login(manager)
    decided = decide(client, suggestion, action)

    response = client.post(
        reverse("suggestion_undo", args=[suggestion.pk]), {"next": DASHBOARD}, follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == DASHBOARD
    assert "Undone" in response.content.decode()
    assert_undone(suggestion, by=manager, taken_back=decided.status)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("extra", [HTMX, {}], ids=["htmx", "plain"])
def test_undo_after_the_time_limit_is_refused_with_a_message(
    client, manager, suggestion, clock, action, extra
):
    client.force_login(manager)
    decided = decide(client, suggestion, action)
    clock.shift(Suggestion.UNDO_WINDOW + dt.timedelta(seconds=1))

    response = client.post(
        reverse("suggestion_undo", args=[suggestion.pk]), {"next": DASHBOARD}, follow=True, **extra
    )

    assert response.status_code == 200
    assert "This decision can no longer be undone." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == decided.status
    assert not SuggestionTransition.objects.filter(reason=UNDO_REASON).exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_someone_else_may_not_undo_a_decision(client, manager, lead, suggestion, clock, action):
    client.force_login(manager)
    decided = decide(client, suggestion, action)
    client.force_login(lead)  # may act for the team, but this decision is Anna's

    response = client.post(reverse("suggestion_undo", args=[suggestion.pk]), **HTMX)

    assert response.status_code == 200
    assert "This decision can no longer be undone." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == decided.status


def test_an_undo_is_not_undone_again(client, manager, suggestion, clock):
    client.force_login(manager)
    decide(client, suggestion, "suggestion_confirm")
    client.post(reverse("suggestion_undo", args=[suggestion.pk]), **HTMX)

    response = client.post(reverse("suggestion_undo", args=[suggestion.pk]), **HTMX)

    assert "This decision can no longer be undone." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING


def test_a_colleague_of_another_contact_gets_a_404_not_an_error(
    client, manager, colleague, suggestion, clock
):
    client.force_login(manager)
    decide(client, suggestion, "suggestion_dismiss")
    client.force_login(colleague)

    assert client.post(reverse("suggestion_undo", args=[suggestion.pk])).status_code == 404
    assert client.get(reverse("suggestion_undo", args=[suggestion.pk])).status_code == 405
