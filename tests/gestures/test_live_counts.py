"""Counts on the page after an action: the HTMX answer carries, out of band, the heading
("N open suggestions"), the group counts and the badges, and they match the database, for
every action; on the lead's home and the team overview the approval heading follows."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from gestures.models import Suggestion
from gestures.selectors import DASHBOARD_STATUSES, WEEK_DAYS
from gestures.services import suggestion_confirm
from tests.factories import ContactFactory
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
HTMX = {"HTTP_HX_REQUEST": "true"}

ACTIONS = {
    "suggestion_confirm": {},
    "suggestion_dismiss": {"reason": "not_relevant"},
    "suggestion_snooze": {"snooze": "week"},
    "suggestion_done": {"date": "2026-11-23", "note": "Card sent."},
    "suggestion_undo": {},
}


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def note(owner, *, due_in, name):
    contact = ContactFactory.create(owner=owner, first_name=name, last_name="Count")
    due = TODAY + dt.timedelta(days=due_in)
    return SuggestionFactory.create(
        contact=contact, event_date=max(due, TODAY), due_date=due, expires_on=due + dt.timedelta(30)
    )


@pytest.fixture
def page_of_notes(manager):
    return {
        "overdue": note(manager, due_in=-2, name="Olga"),
        "this_week": note(manager, due_in=2, name="Wanda"),
        "this_week_too": note(manager, due_in=5, name="Willi"),
        "later": note(manager, due_in=20, name="Lars"),
    }


def oob(html, element_id):
    match = re.search(rf'<[^>]*id="{element_id}"[^>]*hx-swap-oob="true"[^>]*>(.*?)</', html, re.S)
    assert match, f"no out-of-band #{element_id}"
    return " ".join(match.group(1).split())


def badge(html, counter):
    match = re.search(rf'data-counter="{counter}"[^>]*>(\d+)', html)
    assert match, counter
    return int(match.group(1))


def database_counts(user):
    week_end = TODAY + dt.timedelta(days=WEEK_DAYS - 1)
    shown = Suggestion.objects.filter(status__in=DASHBOARD_STATUSES, contact__owner=user)
    return {
        "open": shown.count(),
        "overdue": shown.filter(due_date__lt=TODAY).count(),
        "this_week": shown.filter(due_date__gte=TODAY, due_date__lte=week_end).count(),
        "later": shown.filter(due_date__gt=week_end).count(),
        "due_this_week": shown.filter(due_date__lte=week_end)
        .exclude(status=Suggestion.Status.AWAITING_APPROVAL)
        .count(),
    }


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("which", ["overdue", "this_week", "later"])
def test_after_each_action_the_counts_on_the_page_match_the_database(
    client, manager, page_of_notes, action, which
):
    suggestion = page_of_notes[which]
    client.force_login(manager)
    if action == "suggestion_undo":
        client.post(
            reverse("suggestion_dismiss", args=[suggestion.pk]),
            ACTIONS["suggestion_dismiss"],
            **HTMX,
        )
    before = database_counts(manager)

    response = client.post(reverse(action, args=[suggestion.pk]), ACTIONS[action], **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    counts = database_counts(manager)
    if action in ("suggestion_dismiss", "suggestion_snooze", "suggestion_done"):
        assert counts["open"] == before["open"] - 1  # the action did change something
    if action == "suggestion_undo":
        assert counts["open"] == before["open"] + 1
    plural = "suggestion" if counts["open"] == 1 else "suggestions"
    assert oob(html, "open-suggestions") == f"{counts['open']} open {plural} for your contacts"
    for group in ("overdue", "this_week", "later"):
        assert oob(html, f"due-count-{group}") == f"({counts[group]})"
    assert badge(html, "open") == counts["open"]
    assert badge(html, "due_this_week") == counts["due_this_week"]
    # The page loaded afresh says the same.
    page = client.get(reverse("dashboard")).content.decode()
    assert f"{counts['open']} open {plural} for your contacts" in page


def awaiting(owner, name):
    contact = ContactFactory.create(owner=owner, first_name=name, last_name="Berger")
    event = TODAY + dt.timedelta(days=14)
    suggestion = GiftSuggestionFactory.create(
        contact=contact,
        gift_item=GiftItemFactory.create(price_eur=Decimal("38.00")),
        price_eur=Decimal("38.00"),
        event_date=event,
        due_date=event - dt.timedelta(days=5),
        expires_on=event,
    )
    suggestion_confirm(suggestion=suggestion, by=owner)
    return suggestion


@pytest.mark.parametrize("decision", ["team_approval_approve", "team_approval_reject"])
@pytest.mark.parametrize("page", ["home", "team_overview"])
def test_the_approval_heading_follows_a_decision(client, lead, manager, decision, page):
    first, _second, _third = (awaiting(manager, name) for name in ("Julia", "Jonas", "Jana"))
    client.force_login(lead)
    before = client.get(reverse(page)).content.decode()
    assert 'id="approvals-count">(3)</small>' in before

    response = client.post(
        reverse(decision, args=[first.pk]), {"reason_text": "Too much.", "next": "/"}, **HTMX
    )

    waiting = Suggestion.objects.filter(status=Suggestion.Status.AWAITING_APPROVAL).count()
    assert waiting == 2
    assert oob(response.content.decode(), "approvals-count") == f"({waiting})"
    assert f'id="approvals-count">({waiting})</small>' in client.get(reverse(page)).content.decode()
