"""My gestures: the page, its filters and counters, and every decision taken from a card,
with and without HTMX, for every role, and with a number of queries that does not grow."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contacts.models import Fact
from gestures.models import Gesture, Suggestion, SuggestionTransition
from gestures.views.dashboard import CARDS_PER_PAGE
from tests.factories import (
    ContactFactory,
    OrganizationFactory,
    gesture_recorded,
    observation_recorded,
)
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

TODAY = dt.date(2026, 11, 23)
URL = reverse("dashboard")
HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.fixture
def pinned_clock():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def clara(manager):
    organization = OrganizationFactory.create(name="Weiss & Partner GmbH")
    contact = ContactFactory.create(
        owner=manager, first_name="Clara", last_name="Weiss", organization=organization
    )
    observation = observation_recorded(
        contact=contact, author=manager, text="Loves hiking.", noted_on=dt.date(2026, 10, 1)
    )
    Fact.objects.create(observation=observation, contact=contact, kind="interest", tag="hiking")
    return contact


@pytest.fixture
def bens_contact(colleague):
    return ContactFactory.create(owner=colleague, first_name="Bruno", last_name="Brandt")


def note(contact, **fields):
    fields.setdefault("event_date", dt.date(2026, 12, 10))
    return SuggestionFactory.create(contact=contact, **fields)


def gift(contact, price="19.90", **fields):
    fields.setdefault("event_date", dt.date(2026, 12, 10))
    item = fields.pop("gift_item", None) or GiftItemFactory.create(
        price_eur=Decimal(price), tags=["hiking"], name="Trail map", name_de="Wanderkarte"
    )
    return GiftSuggestionFactory.create(contact=contact, gift_item=item, **fields)


def body(response):
    return response.content.decode()


# -- the page ---------------------------------------------------------------------------


def test_anna_sees_the_open_suggestions_of_her_contacts_grouped_by_due_date(
    client, manager, clara, bens_contact
):
    overdue = note(clara, event_date=TODAY, due_date=TODAY - dt.timedelta(days=2))
    this_week = note(clara, event_date=TODAY + dt.timedelta(days=6))
    later = note(clara, event_date=TODAY + dt.timedelta(days=7))
    bens = note(bens_contact)
    closed = note(clara, status="dismissed")
    snoozed = note(clara, status="snoozed", snoozed_until=TODAY + dt.timedelta(days=3))
    client.force_login(manager)

    response = client.get(URL)

    assert response.status_code == 200
    cards = response.context["cards"]
    assert [(card.pk, card.group) for card in cards] == [
        (overdue.pk, "overdue"),
        (this_week.pk, "this_week"),
        (later.pk, "later"),
    ]
    page = body(response)
    assert page.index("Overdue") < page.index("This week") < page.index("Later")
    for hidden in (bens, closed, snoozed):
        assert f'id="suggestion-{hidden.pk}"' not in page


def test_a_card_shows_contact_occasion_date_explanation_and_quote(client, manager, clara):
    note(clara)
    client.force_login(manager)

    page = body(client.get(URL))

    assert "Clara Weiss" in page
    assert "Weiss &amp; Partner GmbH" in page
    assert "Birthday" in page
    assert "10 December 2026" in page
    assert "in 17 days" in page
    assert "Suggested: a handwritten note." in page
    assert "“Her birthday is coming up soon.”" in page
    assert "noted by Anna Example on 10 November 2026" in page


def test_a_gift_card_shows_price_image_and_the_allowance_left(client, manager, clara):
    suggestion = gift(clara, price="19.90")
    gesture_recorded(
        contact=clara, kind="gift", date=dt.date(2026, 3, 1), value_eur=Decimal("12.50"), by=manager
    )
    gesture_recorded(  # last year's gifts do not count against this year's allowance
        contact=clara, kind="gift", date=dt.date(2025, 3, 1), value_eur=Decimal("40"), by=manager
    )
    client.force_login(manager)

    response = client.get(URL)

    (card,) = response.context["cards"]
    assert card.pk == suggestion.pk
    assert card.price == "€19.90"
    assert card.allowance.remaining == "€37.50"
    assert card.allowance.limit == "€50.00"
    page = body(response)
    assert "Gift allowance 2026: €37.50 of €50.00 left" in page
    assert "Trail map" in page
    assert "It matches the recorded interests: Hiking." in page
    # Item, price and allowance are in the gift block, not repeated from the explanation.
    assert "Suggested gift:" not in page
    assert "before this gift" not in page


def test_the_organizations_lower_limit_is_the_allowance(client, manager):
    contact = ContactFactory.create(
        owner=manager, organization=OrganizationFactory.create(gift_limit_eur=Decimal("30"))
    )
    gift(contact, price="10.00")
    client.force_login(manager)

    (card,) = client.get(URL).context["cards"]

    assert card.allowance.limit == "€30.00"


def test_the_dashboard_speaks_german_with_german_dates(client, manager, clara):
    manager.language = "de"
    manager.save()
    gift(clara, price="19.90")
    client.force_login(manager)

    page = body(client.get(URL))

    assert "Meine Gesten" in page or "My gestures" in page  # the catalog is filled later
    assert "10. Dezember 2026" in page
    assert "in 17 Tagen" in page
    assert "19,90\u00a0€" in page
    assert "Wanderkarte" in page
    assert "notiert" in page or "noted by" in page


def test_the_dashboard_is_the_account_managers_home(client, manager, clara):
    note(clara)
    client.force_login(manager)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "gestures/dashboard.html" in [t.name for t in response.templates]
    assert "Clara Weiss" in body(response)


def test_team_leads_keep_their_home_and_reach_their_own_gestures(client, lead, manager):
    contact = ContactFactory.create(owner=lead, first_name="Lars")
    note(contact)
    other = note(ContactFactory.create(owner=manager))
    client.force_login(lead)

    assert "gestures/lead_home.html" in [t.name for t in client.get(reverse("home")).templates]
    page = body(client.get(URL))
    assert "Lars" in page
    assert f'id="suggestion-{other.pk}"' not in page


def test_an_empty_dashboard_says_what_happens_next(client, manager):
    client.force_login(manager)

    assert "Nothing to decide right now" in body(client.get(URL))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"occasion": "anniversary"}, {"anniversary"}),
        ({"kind": "gift"}, {"gift"}),
        ({"due_from": "2026-12-01", "due_to": "2026-12-05"}, {"gift"}),
        ({"occasion": "nonsense", "due_from": "yesterday", "contact": "x"}, None),
    ],
)
def test_filters_narrow_the_list_and_bad_values_are_ignored(
    client, manager, clara, query, expected
):
    note(clara, occasion="anniversary", event_date=dt.date(2026, 12, 20))
    gift(clara, due_date=dt.date(2026, 12, 3))
    note(clara)
    client.force_login(manager)

    response = client.get(URL, query)

    assert response.status_code == 200
    cards = response.context["cards"]
    if expected is None:
        assert len(cards) == 3
    elif "anniversary" in expected:
        assert {c.suggestion.occasion for c in cards} == expected
    else:
        assert {c.suggestion.kind for c in cards} == expected


def test_the_contact_filter_offers_only_her_own_contacts(client, manager, clara, bens_contact):
    note(clara)
    bens = note(bens_contact)
    client.force_login(manager)

    response = client.get(URL, {"contact": bens_contact.pk})

    # Not a choice she has: ignored like any unknown value, and never Ben's suggestion.
    assert [card.contact_name for card in response.context["cards"]] == ["Clara Weiss"]
    assert f'id="suggestion-{bens.pk}"' not in body(response)
    assert "Bruno" not in body(response)
    assert len(client.get(URL, {"contact": clara.pk}).context["cards"]) == 1


def test_htmx_filtering_answers_the_results_only(client, manager, clara):
    note(clara)
    client.force_login(manager)

    page = body(client.get(URL, {"kind": "note"}, **HTMX))

    assert page.lstrip().startswith('<div id="dashboard-results">')
    assert "<html" not in page


def test_the_page_needs_a_get(client, manager):
    client.force_login(manager)

    assert client.post(URL).status_code == 405


def test_the_page_is_paginated(client, manager, clara):
    for offset in range(CARDS_PER_PAGE + 5):
        note(clara, event_date=TODAY + dt.timedelta(days=offset))
    client.force_login(manager)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["cards"]) == CARDS_PER_PAGE
    assert len(second.context["cards"]) == 5
    assert first.context["page_obj"].paginator.count == CARDS_PER_PAGE + 5
    assert first.context["groups"].later == CARDS_PER_PAGE + 5 - 7


# -- counters ---------------------------------------------------------------------------


def test_counters_count_open_due_this_week_and_awaiting_approval(client, manager, clara):
    note(clara, event_date=TODAY + dt.timedelta(days=3))
    note(clara, event_date=TODAY + dt.timedelta(days=20))
    gift(clara, price="30", status="awaiting_approval", event_date=TODAY + dt.timedelta(days=2))
    note(clara, status="done")
    client.force_login(manager)

    response = client.get(reverse("dashboard_counters"), **HTMX)

    counters = response.context["nav_counters"]
    assert (counters.open, counters.due_this_week, counters.awaiting_approval) == (3, 1, 1)
    assert 'hx-trigger="suggestions-changed from:body"' in body(response)


def test_a_team_leads_awaiting_approval_is_the_teams_queue(client, lead, manager, outsider):
    gift(ContactFactory.create(owner=manager), price="30", status="awaiting_approval")
    gift(ContactFactory.create(owner=outsider), price="30", status="awaiting_approval")
    client.force_login(lead)

    counters = client.get(reverse("dashboard_counters")).context["nav_counters"]

    assert (counters.open, counters.awaiting_approval) == (0, 1)


def test_every_page_loads_the_counters_and_the_dashboard_renders_them(client, manager, clara):
    note(clara)
    client.force_login(manager)

    catalog = body(client.get(reverse("catalog")))
    dashboard = body(client.get(URL))

    assert 'hx-trigger="load, suggestions-changed from:body"' in catalog
    assert 'data-counter="open" title="Open suggestions">1<' in dashboard
    assert "My gestures" in catalog


# -- actions ----------------------------------------------------------------------------

ACTIONS = {
    "suggestion_confirm": {},
    "suggestion_dismiss": {"reason": "not_relevant"},
    "suggestion_snooze": {"snooze": "week"},
    "suggestion_done": {"date": "2026-11-23", "note": "Card sent."},
}


@pytest.mark.parametrize("action", ACTIONS)
def test_an_htmx_action_answers_the_card_and_refreshes_the_counters(client, manager, clara, action):
    suggestion = note(clara)
    client.force_login(manager)

    response = client.post(reverse(action, args=[suggestion.pk]), ACTIONS[action], **HTMX)

    assert response.status_code == 200
    page = body(response)
    assert page.lstrip().startswith('<article class="suggestion-card')
    assert f'id="suggestion-{suggestion.pk}"' in page
    assert "suggestions-changed" in response["HX-Trigger"]
    assert 'hx-swap-oob="true"' in page  # the flash message rides along
    assert SuggestionTransition.objects.filter(suggestion=suggestion, by=manager).count() == 1


@pytest.mark.parametrize("action", ACTIONS)
def test_without_javascript_an_action_redirects_back_with_the_filters(
    client, manager, clara, action
):
    suggestion = note(clara)
    client.force_login(manager)
    back = f"{URL}?kind=note"

    response = client.post(reverse(action, args=[suggestion.pk]), {**ACTIONS[action], "next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    assert "flash-success" in body(client.get(back))


@pytest.mark.parametrize("action", [*ACTIONS, "suggestion_swap"])
def test_actions_need_a_post(client, manager, clara, action):
    suggestion = note(clara)
    client.force_login(manager)

    assert client.get(reverse(action, args=[suggestion.pk])).status_code == 405


def test_a_foreign_next_url_is_ignored(client, manager, clara):
    suggestion = note(clara)
    client.force_login(manager)

    response = client.post(
        reverse("suggestion_confirm", args=[suggestion.pk]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == URL


@pytest.mark.parametrize("action", [*ACTIONS, "suggestion_swap"])
@pytest.mark.parametrize("who", ["manager", "outsider"])
def test_nobody_acts_on_a_contact_they_do_not_own(client, request, bens_contact, action, who):
    suggestion = gift(bens_contact, status="pending")
    client.force_login(request.getfixturevalue(who))

    response = client.post(
        reverse(action, args=[suggestion.pk]), {**ACTIONS.get(action, {}), "gift_item": 1}, **HTMX
    )

    assert response.status_code == 404
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"
    assert not SuggestionTransition.objects.exists()


@pytest.mark.parametrize("who", ["lead", "admin_user"])
def test_team_leads_and_admins_may_act_for_the_team(client, request, manager, clara, who):
    suggestion = note(clara)
    client.force_login(request.getfixturevalue(who))

    response = client.post(reverse("suggestion_confirm", args=[suggestion.pk]), **HTMX)

    assert response.status_code == 200
    assert Suggestion.objects.get(pk=suggestion.pk).status == "confirmed"


def test_a_suggestion_that_does_not_exist_is_a_404(client, manager):
    client.force_login(manager)

    assert client.post(reverse("suggestion_confirm", args=[999999]), **HTMX).status_code == 404


def test_confirming_an_expensive_gift_sends_it_for_approval(client, manager, clara):
    suggestion = gift(clara, price="30.00")
    client.force_login(manager)

    response = client.post(reverse("suggestion_confirm", args=[suggestion.pk]), **HTMX)

    assert Suggestion.objects.get(pk=suggestion.pk).status == "awaiting_approval"
    assert "Awaiting approval" in body(response)
    assert "Sent to your team lead for approval" in body(response)


def test_a_refused_transition_is_a_message_and_the_card_as_it_now_is(client, manager, clara):
    suggestion = note(clara, status="dismissed", reason="not_relevant")
    client.force_login(manager)

    response = client.post(reverse("suggestion_confirm", args=[suggestion.pk]), **HTMX)

    # 200, not 422: htmx swaps it, so a stale card shows the current state in place.
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    page = body(response)
    assert "cannot become" in page
    assert "flash-error" in page
    assert "dismissed (Not relevant)" in page


def test_a_refused_transition_without_javascript_is_a_message_after_the_redirect(
    client, manager, clara
):
    suggestion = note(clara, status="done")
    client.force_login(manager)

    response = client.post(
        reverse("suggestion_dismiss", args=[suggestion.pk]), {"reason": "other", "reason_text": "x"}
    )

    assert response.status_code == 302
    assert "cannot become" in body(client.get(response["Location"]))


def test_dismissing_with_other_needs_a_text_and_keeps_the_form_open(client, manager, clara):
    suggestion = note(clara)
    client.force_login(manager)

    response = client.post(
        reverse("suggestion_dismiss", args=[suggestion.pk]), {"reason": "other"}, **HTMX
    )

    page = body(response)
    assert response.status_code == 200
    assert "Say in a few words why you dismiss it." in page
    assert 'class="suggestion-action-body"' in page  # the form stays open in the card
    assert 'value="other" required checked' in page
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_dismissing_keeps_the_reason_and_shows_the_closed_card(client, manager, clara):
    suggestion = gift(clara)
    client.force_login(manager)

    response = client.post(
        reverse("suggestion_dismiss", args=[suggestion.pk]),
        {"reason": "too_expensive"},
        **HTMX,
    )

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reason) == ("dismissed", "too_expensive")
    assert "dismissed (Too expensive)" in body(response)


def test_snoozing_until_a_day(client, manager, clara):
    suggestion = note(clara)
    client.force_login(manager)

    response = client.post(
        reverse("suggestion_snooze", args=[suggestion.pk]),
        {"snooze": "date", "until": "2026-12-01"},
        **HTMX,
    )

    assert Suggestion.objects.get(pk=suggestion.pk).snoozed_until == dt.date(2026, 12, 1)
    assert "snoozed until 1 December 2026" in body(response)


@pytest.mark.parametrize(
    "data",
    [
        {"snooze": "date"},
        {"snooze": "date", "until": "2026-11-23"},
        {"snooze": "date", "until": "soon"},
    ],
)
def test_snoozing_needs_a_valid_later_day(client, manager, clara, data):
    suggestion = note(clara)
    client.force_login(manager)

    response = client.post(reverse("suggestion_snooze", args=[suggestion.pk]), data, **HTMX)

    assert response.status_code == 200
    assert "field-error" in body(response)
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_swapping_offers_eligible_gifts_and_takes_one(client, manager, clara):
    suggestion = gift(clara)
    socks = GiftItemFactory.create(tags=["hiking"], name="Hiking socks", price_eur=Decimal("15"))
    GiftItemFactory.create(tags=["golf"], name="Golf balls")  # no matching interest
    client.force_login(manager)

    assert "Other gift" in body(client.get(URL))
    page = body(client.get(reverse("suggestion_action_form", args=[suggestion.pk, "swap"]), **HTMX))
    assert "Hiking socks" in page
    assert "Golf balls" not in page

    response = client.post(
        reverse("suggestion_swap", args=[suggestion.pk]), {"gift_item": socks.pk}, **HTMX
    )

    assert Suggestion.objects.get(pk=suggestion.pk).gift_item == socks
    assert "Gift changed to Hiking socks." in body(response)
    assert "suggestions-changed" in response["HX-Trigger"]


def test_confirm_posts_from_the_card_and_without_javascript_opens_a_page_with_its_form(
    client, manager, clara
):
    suggestion = note(clara)
    client.force_login(manager)
    confirm = reverse("suggestion_confirm", args=[suggestion.pk])
    fallback = reverse("suggestion_action_form", args=[suggestion.pk, "confirm"])

    card = body(client.get(URL))
    assert f'<a href="{fallback}" hx-post="{confirm}" role="button">Confirm</a>' in card

    page = body(client.get(fallback))
    assert f'<form method="post" action="{confirm}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    response = client.post(confirm, {"next": URL})
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=suggestion.pk).status == "confirmed"


def test_a_rarer_action_opens_in_the_card_and_leaves_the_address_alone(client, manager, clara):
    """The links that open a form are boosted: htmx would push their address unless told
    otherwise, and the page would then reload on a form of its own."""
    suggestion = note(clara)
    client.force_login(manager)
    boosted = {**HTMX, "HTTP_HX_BOOSTED": "true"}

    response = client.get(
        reverse("suggestion_action_form", args=[suggestion.pk, "dismiss"]), **boosted
    )

    assert response["HX-Push-Url"] == "false"
    assert body(response).lstrip().startswith("<form")
    assert 'hx-post="' + reverse("suggestion_dismiss", args=[suggestion.pk]) in body(response)


def test_swapping_for_an_ineligible_or_unknown_gift_is_refused(client, manager, clara):
    suggestion = gift(clara)
    golf = GiftItemFactory.create(tags=["golf"], name="Golf balls")
    client.force_login(manager)

    for choice in (golf.pk, 999999, "x"):
        response = client.post(
            reverse("suggestion_swap", args=[suggestion.pk]), {"gift_item": choice}, **HTMX
        )
        assert response.status_code == 200
        assert "field-error" in body(response)
    assert Suggestion.objects.get(pk=suggestion.pk).gift_item != golf


def test_marking_done_records_the_gesture(client, manager, clara):
    suggestion = gift(clara, status="confirmed", price="19.90")
    client.force_login(manager)

    response = client.post(
        reverse("suggestion_done", args=[suggestion.pk]),
        {"date": "2026-11-20", "value_eur": "", "note": ""},
        **HTMX,
    )

    gesture = Gesture.objects.get(suggestion=suggestion)
    assert (gesture.kind, gesture.date, gesture.value_eur, gesture.by) == (
        "gift",
        dt.date(2026, 11, 20),
        Decimal("19.90"),
        manager,
    )
    assert "done and recorded" in body(response)


@pytest.mark.parametrize(
    "data",
    [{"date": "2026-11-30"}, {"date": ""}, {"date": "2026-11-20", "value_eur": "-3"}],
)
def test_marking_done_refuses_bad_input_with_a_message(client, manager, clara, data):
    suggestion = note(clara)
    client.force_login(manager)

    response = client.post(reverse("suggestion_done", args=[suggestion.pk]), data, **HTMX)

    assert response.status_code == 200
    assert "field-error" in body(response)
    assert not Gesture.objects.exists()


# -- logging a gesture directly ---------------------------------------------------------


def test_a_call_is_logged_for_a_contact_without_a_suggestion(client, manager, clara):
    client.force_login(manager)

    response = client.post(
        reverse("gesture_log", args=[clara.pk]),
        {"kind": "call", "date": "2026-11-23", "note": "Talked skiing."},
        **HTMX,
    )

    assert response.status_code == 200
    assert "suggestions-changed" in response["HX-Trigger"]
    assert body(response).lstrip().startswith('<details class="gesture-log"')
    gesture = Gesture.objects.get()
    assert (gesture.contact, gesture.kind, gesture.suggestion) == (clara, "call", None)


def test_logging_without_javascript_redirects(client, manager, clara):
    client.force_login(manager)

    response = client.post(
        reverse("gesture_log", args=[clara.pk]), {"kind": "note", "date": "2026-11-23"}
    )

    assert response.status_code == 302
    assert Gesture.objects.filter(kind="note").count() == 1


@pytest.mark.parametrize("data", [{"kind": "gift", "date": "2026-11-23"}, {"kind": "call"}])
def test_logging_bad_input_keeps_the_form_open(client, manager, clara, data):
    client.force_login(manager)

    response = client.post(reverse("gesture_log", args=[clara.pk]), data, **HTMX)

    assert '<details class="gesture-log" open>' in body(response)
    assert "HX-Trigger" not in response
    assert not Gesture.objects.exists()


@pytest.mark.parametrize("who", ["manager", "outsider"])
def test_nobody_logs_for_a_contact_they_do_not_own(client, request, bens_contact, who):
    client.force_login(request.getfixturevalue(who))

    response = client.post(
        reverse("gesture_log", args=[bens_contact.pk]), {"kind": "call", "date": "2026-11-23"}
    )

    assert response.status_code == 404
    assert not Gesture.objects.exists()


def test_logging_needs_a_post(client, manager, clara):
    client.force_login(manager)

    assert client.get(reverse("gesture_log", args=[clara.pk])).status_code == 405


# -- queries do not grow with the rows --------------------------------------------------


def many(manager, count):
    """`count` open suggestions over several contacts, half of them gifts with a history."""
    made = []
    for index in range(count):
        contact = ContactFactory.create(owner=manager)
        observation = observation_recorded(
            contact=contact, author=manager, text="Hikes.", noted_on=dt.date(2026, 10, 1)
        )
        Fact.objects.create(observation=observation, contact=contact, kind="interest", tag="hiking")
        gesture_recorded(
            contact=contact, kind="gift", date=dt.date(2026, 2, 1), value_eur=5, by=manager
        )
        due = TODAY + dt.timedelta(days=index % 20 - 5)
        if index % 2:
            made.append(gift(contact, due_date=due, event_date=max(due, TODAY)))
        else:
            made.append(note(contact, due_date=due, event_date=max(due, TODAY)))
    return made


def queries_for(client, django_assert_max_num_queries, make_request):
    with django_assert_max_num_queries(100) as captured:
        make_request()
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "make_request",
    [
        pytest.param(lambda client, pk: client.get(URL), id="page"),
        pytest.param(lambda client, pk: client.get(URL, {"kind": "gift"}, **HTMX), id="results"),
        pytest.param(lambda client, pk: client.get(reverse("dashboard_counters")), id="counters"),
        pytest.param(
            lambda client, pk: client.post(reverse("suggestion_confirm", args=[pk]), **HTMX),
            id="confirm",
        ),
        pytest.param(
            lambda client, pk: client.post(
                reverse("suggestion_dismiss", args=[pk]), {"reason": "not_relevant"}, **HTMX
            ),
            id="dismiss",
        ),
        pytest.param(
            lambda client, pk: client.post(
                reverse("suggestion_snooze", args=[pk]), {"snooze": "week"}, **HTMX
            ),
            id="snooze",
        ),
        pytest.param(
            lambda client, pk: client.post(
                reverse("suggestion_done", args=[pk]), {"date": "2026-11-23"}, **HTMX
            ),
            id="done",
        ),
    ],
)
def test_queries_do_not_grow_with_the_rows(
    client, manager, django_assert_max_num_queries, make_request
):
    client.force_login(manager)
    few = many(manager, 10)
    client.get(URL)  # warm the session and the scan settings row
    with django_assert_max_num_queries(100) as small:
        make_request(client, few[1].pk)

    more = many(manager, 50)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        make_request(client, more[1].pk)

    assert len(client.get(URL).context["cards"]) == CARDS_PER_PAGE
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_page_looks_up_todays_call_once(client, manager, django_assert_max_num_queries):
    """The cards and the counts share one condition: the lookup of today's keep-in-touch
    call (the one query that asks whether one was decided today) runs once per page."""
    client.force_login(manager)
    many(manager, 5)
    with django_assert_max_num_queries(100) as captured:
        client.get(URL)
    lookups = [
        query["sql"]
        for query in captured.captured_queries
        if "keep_in_touch" in query["sql"] and "NOT EXISTS" in query["sql"]
    ]
    assert len(lookups) == 1


def test_swapping_queries_do_not_grow_with_the_rows(client, manager, django_assert_max_num_queries):
    client.force_login(manager)
    few = many(manager, 10)
    client.get(URL)
    item = GiftItemFactory.create(tags=["hiking"], price_eur=Decimal("9"))
    with django_assert_max_num_queries(100) as small:
        client.post(reverse("suggestion_swap", args=[few[9].pk]), {"gift_item": item.pk}, **HTMX)

    more = many(manager, 50)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.post(reverse("suggestion_swap", args=[more[9].pk]), {"gift_item": item.pk}, **HTMX)
    assert Suggestion.objects.filter(gift_item=item).count() == 2


def test_anna_reads_why_her_team_lead_did_not_approve_a_gift(client, lead, manager, clara):
    from gestures.services import suggestion_confirm, suggestion_reject

    suggestion = gift(clara, price="30.00")
    suggestion_confirm(suggestion=suggestion, by=manager)
    suggestion_reject(suggestion=suggestion, by=lead, reason_text="Too soon after the last gift")
    client.force_login(manager)

    page = body(client.get(reverse("dashboard")))

    assert "Not approved" in page
    assert "Too soon after the last gift" in page
    assert f'id="suggestion-{suggestion.pk}"' not in page  # no longer a card to act on


def test_the_contact_search_finds_by_name_or_organization(client, manager, clara):
    other = ContactFactory.create(
        owner=manager,
        first_name="Otto",
        last_name="Lind",
        organization=OrganizationFactory.create(name="Hafenbau AG"),
    )
    note(clara)
    note(other)
    client.force_login(manager)

    def names(query):
        cards = client.get(URL, {"who": query}).context["cards"]
        return [card.contact_name for card in cards]

    assert names("weiss") == ["Clara Weiss"]
    assert names("hafen") == ["Otto Lind"]
    assert names("otto lind") == ["Otto Lind"]
    assert names("nobody") == []


def ten_thousand_open_suggestions(manager, colleague):
    """10,000 open suggestions in the team (half of them Anna's), a fifth of them gifts."""
    from contacts.models import Contact

    item = GiftItemFactory.create(price_eur=Decimal("19.90"))
    contacts = Contact.objects.bulk_create(
        Contact(
            first_name=f"Bulk{n}",
            last_name="Example",
            owner=(manager, colleague)[n % 2],
            team=manager.team,
            tier="B",
        )
        for n in range(2_000)
    )
    Suggestion.objects.bulk_create(
        Suggestion(
            contact=contact,
            kind="gift" if k == 0 and n % 2 else "note",
            occasion="birthday",
            source_ref=k + 1,
            event_date=TODAY + dt.timedelta(days=(n + k) % 30),
            due_date=TODAY + dt.timedelta(days=(n + k) % 30 - 3),
            expires_on=TODAY + dt.timedelta(days=(n + k) % 30),
            gift_item=item if k == 0 and n % 2 else None,
            price_eur=item.price_eur if k == 0 and n % 2 else None,
            explanation={"occasion": "birthday", "kind": "note", "event_date": TODAY.isoformat()},
        )
        for n, contact in enumerate(contacts)
        for k in range(5)
    )


@pytest.mark.clock_free  # the volume; test_queries_do_not_grow_with_the_rows runs on every clock
def test_with_ten_thousand_open_suggestions_the_query_counts_stay_the_same(
    client, manager, colleague, django_assert_max_num_queries
):
    client.force_login(manager)
    few = many(manager, 10)
    client.get(URL)
    requests = {
        "page": lambda pk: client.get(URL),
        "results": lambda pk: client.get(URL, {"kind": "gift", "who": "e"}, **HTMX),
        "counters": lambda pk: client.get(reverse("dashboard_counters")),
        "confirm": lambda pk: client.post(reverse("suggestion_confirm", args=[pk]), **HTMX),
        "dismiss": lambda pk: client.post(
            reverse("suggestion_dismiss", args=[pk]), {"reason": "not_relevant"}, **HTMX
        ),
    }
    counts = {}
    for index, (name, make_request) in enumerate(requests.items()):
        with django_assert_max_num_queries(100) as captured:
            make_request(few[index].pk)
        counts[name] = len(captured.captured_queries)

    ten_thousand_open_suggestions(manager, colleague)
    more = many(manager, 10)
    assert Suggestion.objects.filter(status="pending").count() > 10_000

    for index, (name, make_request) in enumerate(requests.items()):
        with django_assert_max_num_queries(counts[name], info=name):
            response = make_request(more[index].pk)
        assert response.status_code == 200, name
