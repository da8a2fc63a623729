"""A team lead's home ("/"): the approval queue decided in place, the team's week, who is out
of touch, the month's figures; the complete lists behind its "more" links; the approval
badge; bookmarkable months and filters; who may see what; queries that do not grow with the
rows."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gestures.models import ScanConfiguration, Suggestion
from gestures.services import suggestion_confirm
from tests.factories import ContactFactory, UserFactory
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")
DUE = reverse("team_due")
QUIET = reverse("team_out_of_touch")
TODAY = dt.date(2026, 3, 16)
NOON = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOON, tick=False):
        yield


def awaiting(owner, *, first_name="Julia"):
    contact = ContactFactory.create(owner=owner, first_name=first_name, last_name="Berger")
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
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.AWAITING_APPROVAL
    return suggestion


def due(owner, *, in_days, first_name="Max"):
    contact = ContactFactory.create(owner=owner, first_name=first_name, last_name="Due")
    return SuggestionFactory.create(
        contact=contact,
        event_date=TODAY + dt.timedelta(days=max(in_days, 0)),
        due_date=TODAY + dt.timedelta(days=in_days),
    )


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), response


# -- the home itself ------------------------------------------------------------------------


def test_the_lead_lands_on_her_approval_queue(client, lead, manager):
    waiting = awaiting(manager)
    client.force_login(lead)

    response = client.get(HOME)

    assert "gestures/lead_home.html" in [t.name for t in response.templates]
    assert [row.suggestion for row in response.context["approvals"]] == [waiting]
    html = response.content.decode()
    assert html.index('id="approvals"') < html.index('id="due"') < html.index('id="out-of-touch"')
    assert html.index('id="out-of-touch"') < html.index('id="month-overview"')
    assert reverse("team_approval_approve", args=[waiting.pk]) in html
    # Decided here, the lead comes back here.
    assert f'name="next" value="{HOME}"' in html


def test_approving_from_the_home_without_javascript_comes_back_to_it(client, lead, manager):
    waiting = awaiting(manager)
    client.force_login(lead)

    response = client.post(
        reverse("team_approval_approve", args=[waiting.pk]), {"next": HOME}, follow=False
    )

    assert response.status_code == 302
    assert response["Location"] == f"{HOME}#approvals"
    waiting.refresh_from_db()
    assert waiting.status == Suggestion.Status.APPROVED
    assert client.get(HOME).context["approvals"] == []


@pytest.mark.parametrize("next_url", ["https://evil.example/", "' OR 1=1 --", "team_overview"])
def test_a_next_address_elsewhere_is_not_followed(client, lead, manager, next_url):
    waiting = awaiting(manager)
    client.force_login(lead)

    response = client.post(
        reverse("team_approval_reject", args=[waiting.pk]),
        {"next": next_url, "reason_text": "Too much."},
    )

    assert response["Location"] == f"{reverse('team_overview')}#approvals"


def test_rejecting_from_the_home_with_htmx_answers_the_row(client, lead, manager):
    waiting = awaiting(manager)
    client.force_login(lead)

    response = client.post(
        reverse("team_approval_reject", args=[waiting.pk]),
        {"next": HOME, "reason_text": "Too much for a first gift."},
        **HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="approval-{waiting.pk}"' in html
    assert "Too much for a first gift." in html
    assert "suggestions-changed" in response["HX-Trigger"]


def test_the_week_lists_what_is_due_within_seven_days_and_what_is_overdue(client, lead, manager):
    late = due(manager, in_days=-2, first_name="Late")
    last_day = due(manager, in_days=6, first_name="Sunday")
    due(manager, in_days=7, first_name="NextWeek")
    client.force_login(lead)

    (group,) = client.get(HOME).context["due"]

    assert [row.suggestion for row in group.rows] == [late, last_day]
    assert group.rows[0].overdue


def test_an_account_manager_still_lands_on_her_gestures(client, manager):
    client.force_login(manager)

    response = client.get(HOME)

    assert "gestures/dashboard.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("url", [DUE, QUIET])
def test_account_managers_may_not_open_the_team_lists(client, manager, url):
    client.force_login(manager)

    assert client.get(url).status_code == 403


def test_another_teams_list_is_a_404(client, lead, other_team):
    client.force_login(lead)

    assert client.get(DUE, {"team": other_team.pk}).status_code == 404
    assert client.get(QUIET, {"team": other_team.pk}).status_code == 404
    assert client.get(HOME, {"team": other_team.pk}).status_code == 404


def test_another_teams_member_is_not_a_filter(client, lead, manager, outsider):
    due(manager, in_days=1, first_name="Ours")
    due(outsider, in_days=1, first_name="Theirs")
    client.force_login(lead)

    response = client.get(DUE, {"member": outsider.pk})

    assert response.status_code == 200
    assert response.context["member"] is None
    assert "A filter could not be read" in response.content.decode()
    names = [row.suggestion.contact.first_name for row in response.context["rows"]]
    assert names == ["Ours"]


@pytest.mark.parametrize("value", ["x", "99999999999999999999", "-1", "3"])
def test_bad_filters_get_a_notice_not_an_error(client, lead, value):
    client.force_login(lead)

    for url in (DUE, QUIET):
        response = client.get(url, {"member": value, "days": value, "page": value})
        assert response.status_code in (200, 400)


# -- the approval badge -------------------------------------------------------------------


def test_the_approval_badge_sits_on_the_leads_home_entry(client, lead, manager):
    awaiting(manager)
    awaiting(manager, first_name="Ina")
    client.force_login(lead)

    badge = client.get(reverse("team_approval_counter")).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()

    assert 'data-counter="approvals"' in badge
    assert ">2<" in badge
    assert 'id="approval-counter"' in dashboard
    assert 'data-counter="awaiting_approval"' not in dashboard


def test_an_account_manager_keeps_her_awaiting_badge_on_my_gestures(client, manager):
    awaiting(manager)
    client.force_login(manager)

    html = client.get(reverse("dashboard")).content.decode()

    assert 'data-counter="awaiting_approval"' in html
    assert 'id="approval-counter"' not in html


# -- bookmarkable months and filters --------------------------------------------------------


def test_the_month_is_in_the_address(client, lead):
    client.force_login(lead)

    response = client.get(HOME, {"month": "2026-01"})

    assert response.context["overview"].month == dt.date(2026, 1, 1)
    html = response.content.decode()
    assert f'hx-get="{HOME}" hx-target="#month-overview"' in html
    assert 'hx-push-url="true"' in html
    assert f'hx-push-url="{HOME}?month=2026-02"' in html


def test_the_month_picker_answers_its_part_only(client, lead):
    client.force_login(lead)

    response = client.get(HOME, {"month": "2025-11"}, HTTP_HX_TARGET="month-overview", **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="month-overview"')
    assert "November 2025" in html


def test_the_overviews_month_picker_changes_the_address_too(client, lead):
    client.force_login(lead)

    html = client.get(reverse("team_overview"), {"month": "2026-01"}).content.decode()

    assert f'hx-push-url="{reverse("team_overview")}?month=2025-12"' in html


def test_filters_of_the_complete_list_are_in_the_address(client, lead, manager, colleague):
    due(manager, in_days=20, first_name="Later")
    due(colleague, in_days=1, first_name="Soon")
    client.force_login(lead)

    response = client.get(DUE, {"member": manager.pk, "days": "30"})

    assert [row.suggestion.contact.first_name for row in response.context["rows"]] == ["Later"]
    assert 'hx-push-url="true"' in response.content.decode()
    partial = client.get(DUE, {"member": manager.pk, "days": "30"}, **HTMX).content.decode()
    assert partial.lstrip().startswith('<div id="list-results">')
    assert "Later" in partial


# -- 200 suggestions: complete lists, working "more" links, constant queries --------------


def fill(owners, n):
    """`n` suggestions of the team over `owners`: every third waits for approval, the rest
    is due this week; and as many contacts out of touch."""
    made = []
    for i in range(n):
        owner = owners[i % len(owners)]
        if i % 3 == 0:
            made.append(awaiting(owner, first_name=f"Queue{i:03d}"))
        else:
            made.append(due(owner, in_days=i % 7, first_name=f"Due{i:03d}"))
    return made


def test_the_home_with_200_team_suggestions(client, lead, manager, colleague):
    third = UserFactory.create(username="carla", team=lead.team)
    owners = [manager, colleague, third]
    ScanConfiguration.current()
    client.force_login(lead)
    fill(owners, 6)
    few, _response = count_queries(client, HOME)
    made = fill(owners, 194)

    many, response = count_queries(client, HOME)

    assert many == few
    assert many <= 25
    # The queue is complete: every gift that waits is on the home.
    waiting = {s.pk for s in Suggestion.objects.filter(status="awaiting_approval")}
    assert len(waiting) == 67
    assert {row.suggestion.pk for row in response.context["approvals"]} == waiting
    # Each member's week: five shown, the rest one click on, and that click lists them all.
    html = response.content.decode()
    open_ids = set()
    for group in response.context["due"]:
        assert len(group.rows) == 5
        link = f"{DUE}?member={group.member.pk}"
        assert f'href="{link}"' in html
        listed = []
        page = 1
        while True:
            page_response = client.get(DUE, {"member": group.member.pk, "page": page})
            listed += [row.suggestion.pk for row in page_response.context["rows"]]
            if not page_response.context["page_obj"].has_next():
                break
            assert f"page={page + 1}" in page_response.content.decode()
            page += 1
        assert len(listed) == group.total == len(set(listed))
        open_ids |= set(listed)
    due_this_week = {
        s.pk for s in made if s.status == "pending" and s.due_date <= TODAY + dt.timedelta(days=6)
    }
    assert due_this_week <= open_ids
    # The complete list pages in a fixed number of queries too.
    first, _ = count_queries(client, DUE)
    second, _ = count_queries(client, DUE, {"page": 2})
    assert first == second


def test_the_out_of_touch_list_is_complete_and_paginated(client, lead, manager):
    for n in range(120):
        ContactFactory.create(owner=manager, first_name=f"Quiet{n:03d}", tier="C")
    client.force_login(lead)

    (group,) = client.get(HOME).context["out_of_touch"]
    assert (len(group.rows), group.total) == (5, 120)
    pages = [client.get(QUIET, {"member": manager.pk, "page": p}) for p in (1, 2, 3)]

    names = [row.contact.first_name for page in pages for row in page.context["rows"]]
    assert len(names) == len(set(names)) == 120
    assert pages[0].context["page_obj"].paginator.num_pages == 3
