"""The team lead's overview: who may see it, the approval queue and its decisions (HTMX and
without JavaScript), upcoming gestures, the month's figures, contacts out of touch, bad
input, and query counts that do not grow with the rows."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gestures.models import ScanConfiguration, Suggestion, SuggestionTransition
from gestures.rules import Explanation, GiftReason
from gestures.services import suggestion_confirm
from tests.factories import ContactFactory, UserFactory, gesture_recorded, observation_recorded
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

URL = reverse("team_overview")
TODAY = dt.date(2026, 3, 16)
NOON = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def other_lead(other_team):
    user = UserFactory.create(username="olga", role="team_lead", team=other_team)
    other_team.lead = user
    other_team.save()
    return user


def birthday_explanation(event_date, price):
    return Explanation(
        occasion="birthday",
        kind="gift",
        event_date=event_date,
        quotes=(("Her birthday is on March 30.", dt.date(2026, 2, 1), "Anna Example"),),
        gift=GiftReason(
            sku="WHISKY",
            name_en="Whisky tasting",
            name_de="Whisky-Tasting",
            price_eur=Decimal(price),
            matched_interests=("whisky",),
            interest_labels=(("whisky", "Whisky", "Whisky"),),
            allowance_year=2026,
            allowance_limit_eur=Decimal("50.00"),
            remaining_allowance_eur=Decimal("50.00"),
        ),
    ).as_json()


def awaiting_gift(owner, *, first_name="Julia", price="38.00", by=None):
    """A gift suggestion the account manager confirmed and that now waits for approval."""
    contact = ContactFactory.create(owner=owner, first_name=first_name, last_name="Berger")
    event = TODAY + dt.timedelta(days=14)
    suggestion = GiftSuggestionFactory.create(
        contact=contact,
        gift_item=GiftItemFactory.create(
            name=f"Whisky tasting {first_name}", price_eur=Decimal(price)
        ),
        event_date=event,
        due_date=event - dt.timedelta(days=5),
        expires_on=event,
        explanation=birthday_explanation(event, price),
    )
    suggestion_confirm(suggestion=suggestion, by=by or owner)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.AWAITING_APPROVAL
    return suggestion


# -- who may see what ---------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_account_managers_may_not_open_the_team_pages(client, manager):
    suggestion = awaiting_gift(manager)
    client.force_login(manager)

    assert client.get(URL).status_code == 403
    assert client.post(reverse("team_approval_approve", args=[suggestion.pk])).status_code == 403
    assert (
        client.post(
            reverse("team_approval_reject", args=[suggestion.pk]), {"reason_text": "No."}
        ).status_code
        == 403
    )
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.AWAITING_APPROVAL


def test_a_lead_sees_her_own_teams_queue_only(client, lead, manager, outsider, other_lead):
    ours = awaiting_gift(manager, first_name="Julia")
    awaiting_gift(outsider, first_name="Theresa")
    client.force_login(lead)

    response = client.get(URL)

    assert response.status_code == 200
    assert [row.suggestion for row in response.context["approvals"]] == [ours]
    assert b"Julia Berger" in response.content
    assert b"Theresa" not in response.content
    assert client.get(URL, {"team": outsider.team_id}).status_code == 404


def test_a_lead_cannot_decide_on_another_teams_suggestion(client, lead, outsider, other_lead):
    theirs = awaiting_gift(outsider)
    client.force_login(lead)

    approve = client.post(reverse("team_approval_approve", args=[theirs.pk]), **HTMX)
    reject = client.post(
        reverse("team_approval_reject", args=[theirs.pk]), {"reason_text": "No."}, **HTMX
    )

    assert approve.status_code == 404
    assert reject.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Suggestion.Status.AWAITING_APPROVAL
    assert not SuggestionTransition.objects.filter(suggestion=theirs, by=lead).exists()


def test_decisions_are_posts_only(client, lead, manager):
    suggestion = awaiting_gift(manager)
    client.force_login(lead)

    assert client.get(reverse("team_approval_approve", args=[suggestion.pk])).status_code == 405
    assert client.get(reverse("team_approval_reject", args=[suggestion.pk])).status_code == 405


def test_admins_pick_any_team_and_decide_there(client, admin_user, outsider, team):
    theirs = awaiting_gift(outsider, first_name="Theresa")
    client.force_login(admin_user)

    page = client.get(URL, {"team": outsider.team_id})
    approve = client.post(reverse("team_approval_approve", args=[theirs.pk]))

    assert page.status_code == 200
    assert [t.name for t in page.context["teams"]] == ["Key Accounts", "Public Sector"]
    assert b'id="team-picker"' in page.content
    assert b"Theresa Berger" in page.content
    assert approve.status_code == 302
    assert approve["Location"] == f"{URL}?team={outsider.team_id}#approvals"
    theirs.refresh_from_db()
    assert theirs.status == Suggestion.Status.APPROVED


def test_the_team_navigation_item_opens_the_overview(client, lead):
    client.force_login(lead)

    items = {str(i["label"]): i for i in client.get(URL).context["nav_items"]}
    on_members_page = {str(i["label"]): i for i in client.get(reverse("team")).context["nav_items"]}

    assert items["Team"]["url"] == URL
    assert items["Team"]["active"]
    assert items["Gift ledger"]["url"] == reverse("gift_ledger")
    assert on_members_page["Team"]["active"]


def test_a_lead_sees_no_team_picker(client, lead):
    client.force_login(lead)

    response = client.get(URL)

    assert response.context["teams"] == []
    assert b'id="team-picker"' not in response.content


# -- the approval queue -------------------------------------------------------------------


def test_the_queue_shows_what_the_lead_decides_on(client, lead, manager, colleague):
    awaiting_gift(manager, by=colleague)
    client.force_login(lead)

    response = client.get(URL)

    (row,) = response.context["approvals"]
    assert row.gift_name == "Whisky tasting Julia"
    assert row.price == "€38.00"
    assert row.confirmed_by == colleague
    assert row.explanation.splitlines()[:3] == [
        "Birthday on 30 March 2026 (in 14 days).",
        "Suggested gift: Whisky tasting (€38.00).",
        "It matches the recorded interests: Whisky.",
    ]
    html = response.content.decode()
    assert "€38.00" in html
    assert "Ben Example" in html  # who confirmed it
    assert "“Her birthday is on March 30.” — noted by Anna Example on 1 February 2026" in html


def test_the_explanation_and_price_follow_the_viewers_language(client, lead, manager):
    awaiting_gift(manager)
    lead.language = "de"
    lead.save()
    client.force_login(lead)

    (row,) = client.get(URL).context["approvals"]

    assert row.price == "38,00\u00a0€"
    assert row.explanation.splitlines()[:2] == [
        "Geburtstag am 30. März 2026 (in 14 Tagen).",
        "Geschenkvorschlag: Whisky-Tasting (38,00 €).",
    ]


def test_approving_with_htmx_swaps_the_row_and_tells_the_page(client, lead, manager):
    suggestion = awaiting_gift(manager)
    client.force_login(lead)

    response = client.post(reverse("team_approval_approve", args=[suggestion.pk]), **HTMX)

    assert response.status_code == 200
    assert "suggestions-changed" in response["HX-Trigger"]
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article id="approval-{suggestion.pk}"')
    assert "Approved" in html
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html  # the flash message rides along
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.APPROVED
    assert suggestion.decided_by == lead
    transition = suggestion.transitions.latest("at", "pk")
    assert (transition.from_status, transition.to_status, transition.by) == (
        "awaiting_approval",
        "approved",
        lead,
    )


def test_approving_without_javascript_redirects_to_the_queue(client, lead, manager):
    suggestion = awaiting_gift(manager)
    client.force_login(lead)

    response = client.post(reverse("team_approval_approve", args=[suggestion.pk]), follow=True)

    assert response.redirect_chain == [(f"{URL}#approvals", 302)]
    assert "Approved: the gift for Julia Berger." in response.content.decode()
    assert response.context["approvals"] == []
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.APPROVED


def test_rejecting_keeps_the_reason_for_the_account_manager(client, lead, manager):
    suggestion = awaiting_gift(manager)
    client.force_login(lead)

    response = client.post(
        reverse("team_approval_reject", args=[suggestion.pk]),
        {"reason_text": "  Too close to the tender; a card instead.  "},
        **HTMX,
    )

    assert response.status_code == 200
    assert "suggestions-changed" in response["HX-Trigger"]
    assert "Reason: Too close to the tender; a card instead." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.REJECTED
    assert suggestion.reason_text == "Too close to the tender; a card instead."
    transition = suggestion.transitions.latest("at", "pk")
    assert (transition.to_status, transition.by, transition.reason_text) == (
        "rejected",
        lead,
        "Too close to the tender; a card instead.",
    )
    # What the account manager's pages read: her own suggestion, with the lead's reason.
    mine = Suggestion.objects.get(contact__owner=manager, status=Suggestion.Status.REJECTED)
    assert mine.reason_text == "Too close to the tender; a card instead."


def test_rejecting_needs_a_reason(client, lead, manager):
    suggestion = awaiting_gift(manager)
    client.force_login(lead)

    response = client.post(
        reverse("team_approval_reject", args=[suggestion.pk]), {"reason_text": "   "}, **HTMX
    )

    assert response.status_code == 200
    assert "HX-Trigger" not in response
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "why you reject it" in html
    assert '<details class="approval-reject" open>' in html
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.AWAITING_APPROVAL


def test_a_too_long_reason_is_refused_without_losing_it(client, lead, manager):
    suggestion = awaiting_gift(manager)
    client.force_login(lead)
    reason = "x" * 501

    response = client.post(
        reverse("team_approval_reject", args=[suggestion.pk]), {"reason_text": reason}, **HTMX
    )

    assert "to 500 characters at most" in response.content.decode()
    assert reason in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.AWAITING_APPROVAL


def test_rejecting_without_a_reason_and_without_javascript_says_why(client, lead, manager):
    suggestion = awaiting_gift(manager)
    client.force_login(lead)

    response = client.post(
        reverse("team_approval_reject", args=[suggestion.pk]), {"reason_text": ""}, follow=True
    )

    assert response.status_code == 200
    assert "why you reject it" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.AWAITING_APPROVAL


def test_deciding_twice_shows_the_outcome_instead_of_failing(client, lead, manager):
    suggestion = awaiting_gift(manager)
    client.force_login(lead)
    client.post(reverse("team_approval_approve", args=[suggestion.pk]), **HTMX)

    again = client.post(
        reverse("team_approval_reject", args=[suggestion.pk]), {"reason_text": "No."}, **HTMX
    )

    assert again.status_code == 200
    assert "cannot become" in again.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.APPROVED


def test_content_is_escaped(client, lead, manager):
    awaiting_gift(manager, first_name="<script>alert(1)</script>")
    client.force_login(lead)

    html = client.get(URL).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# -- upcoming gestures --------------------------------------------------------------------


def test_upcoming_lists_open_suggestions_of_the_next_30_days_and_overdue_ones(
    client, lead, manager, colleague, outsider
):
    def suggestion(owner, name, due, status="pending", **extra):
        contact = ContactFactory.create(owner=owner, first_name=name)
        event = max(due, TODAY)
        return SuggestionFactory.create(
            contact=contact,
            status=status,
            due_date=due,
            event_date=event,
            expires_on=event + dt.timedelta(days=30),
            **extra,
        )

    suggestion(manager, "Soon", TODAY + dt.timedelta(days=3))
    suggestion(manager, "Late", TODAY - dt.timedelta(days=2), status="confirmed")
    suggestion(manager, "Edge", TODAY + dt.timedelta(days=30), status="approved")
    suggestion(
        colleague,
        "Back",
        TODAY + dt.timedelta(days=40),
        status="snoozed",
        snoozed_until=TODAY + dt.timedelta(days=5),
    )
    suggestion(manager, "Far", TODAY + dt.timedelta(days=31))
    suggestion(manager, "Gone", TODAY + dt.timedelta(days=3), status="dismissed")
    suggestion(outsider, "Foreign", TODAY + dt.timedelta(days=3))
    client.force_login(lead)

    groups = client.get(URL).context["upcoming"]

    by_member = {
        g.member.username: [(r.suggestion.contact.first_name, r.overdue) for r in g.rows]
        for g in groups
    }
    assert by_member == {
        "anna": [("Late", True), ("Soon", False), ("Edge", False)],
        "ben": [("Back", False)],
    }


def test_upcoming_shows_ten_per_member_and_counts_the_rest(client, lead, manager):
    for n in range(12):
        SuggestionFactory.create(
            contact=ContactFactory.create(owner=manager, first_name=f"P{n:02d}"),
            due_date=TODAY + dt.timedelta(days=n),
            event_date=TODAY + dt.timedelta(days=n),
        )
    client.force_login(lead)

    response = client.get(URL)

    (group,) = response.context["upcoming"]
    assert len(group.rows) == 10
    assert (group.total, group.more) == (12, 2)
    assert "and 2 more" in response.content.decode()


# -- contacts out of touch ----------------------------------------------------------------


def test_out_of_touch_follows_each_tiers_cadence(client, lead, manager, outsider):
    def contact(name, tier, **extra):
        return ContactFactory.create(
            owner=extra.pop("owner", manager), first_name=name, tier=tier, **extra
        )

    silent_a = contact("SilentA", "A")
    gesture_recorded(contact=silent_a, kind="call", date=TODAY - dt.timedelta(days=31), by=manager)
    fresh_a = contact("FreshA", "A")
    gesture_recorded(contact=fresh_a, kind="call", date=TODAY - dt.timedelta(days=30), by=manager)
    noted_b = contact("NotedB", "B")
    gesture_recorded(contact=noted_b, kind="call", date=TODAY - dt.timedelta(days=200), by=manager)
    observation_recorded(contact=noted_b, author=manager, text="Met at the fair.", noted_on=TODAY)
    never_c = contact("NeverC", "C")
    contact("Archived", "C", archived=True)
    contact("Foreign", "C", owner=outsider)
    client.force_login(lead)

    response = client.get(URL)

    (group,) = response.context["out_of_touch"]
    assert group.member == manager
    assert [(r.contact, r.last_touch, r.days_since) for r in group.rows] == [
        (never_c, None, None),
        (silent_a, TODAY - dt.timedelta(days=31), 31),
    ]
    html = response.content.decode()
    assert "never touched" in html
    assert "31 days ago" in html


def test_out_of_touch_uses_the_configured_cadence(client, lead, manager):
    configuration = ScanConfiguration.current()
    configuration.cadence_b_days = 7
    configuration.save()
    quiet = ContactFactory.create(owner=manager, tier="B")
    observation_recorded(
        contact=quiet, author=manager, text="Lunch.", noted_on=TODAY - dt.timedelta(days=8)
    )
    client.force_login(lead)

    (group,) = client.get(URL).context["out_of_touch"]

    assert [r.contact for r in group.rows] == [quiet]


def test_out_of_touch_is_limited_per_member_with_a_count(client, lead, manager):
    for n in range(13):
        ContactFactory.create(owner=manager, first_name=f"Quiet{n:02d}", tier="C")
    client.force_login(lead)

    response = client.get(URL)

    (group,) = response.context["out_of_touch"]
    assert (len(group.rows), group.total, group.more) == (10, 13, 3)
    link = f"/team/out-of-touch/?member={manager.pk}"
    assert f'href="{link}"' in response.content.decode()
    listed = client.get(link).context["rows"]
    assert len(listed) == 13


# -- the month overview -------------------------------------------------------------------


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def decide(suggestion, to_status, by, when, reason=""):
    SuggestionTransition.objects.create(
        suggestion=suggestion,
        from_status=suggestion.status,
        to_status=to_status,
        by=by,
        at=when,
        reason=reason,
    )
    Suggestion.objects.filter(pk=suggestion.pk).update(status=to_status)
    suggestion.status = to_status


def created_on(when, **kwargs):
    # created_at is auto_now_add: travel to the moment to create it then.
    with time_machine.travel(when, tick=False):
        return SuggestionFactory.create(**kwargs)


def test_the_month_counts_each_members_suggestions_and_decisions(
    client, lead, manager, colleague, outsider
):
    march, february = dt.date(2026, 3, 1), dt.date(2026, 2, 1)
    anna_contact = ContactFactory.create(owner=manager)
    ben_contact = ContactFactory.create(owner=colleague)
    a1 = created_on(at(march + dt.timedelta(days=2)), contact=anna_contact)
    a2 = created_on(at(march + dt.timedelta(days=3)), contact=anna_contact)
    a3 = created_on(at(march + dt.timedelta(days=4)), contact=anna_contact)
    old = created_on(at(february + dt.timedelta(days=20)), contact=anna_contact)
    b1 = created_on(at(march + dt.timedelta(days=5)), contact=ben_contact)
    foreign = created_on(
        at(march + dt.timedelta(days=5)), contact=ContactFactory.create(owner=outsider)
    )
    decide(a1, "confirmed", manager, at(dt.date(2026, 3, 6)))
    decide(a1, "done", manager, at(dt.date(2026, 3, 9)))
    decide(a2, "dismissed", manager, at(dt.date(2026, 3, 7)), reason="too_expensive")
    decide(a3, "dismissed", lead, at(dt.date(2026, 3, 8)), reason="not_relevant")
    decide(old, "awaiting_approval", manager, at(dt.date(2026, 2, 27)))  # February
    decide(old, "approved", lead, at(dt.date(2026, 3, 2)))
    decide(
        old,
        "done",
        manager,
        at(
            dt.date(
                2026,
                3,
                31,
            ),
            hour=23,
        ),
    )  # local time, March
    decide(b1, "awaiting_approval", colleague, at(dt.date(2026, 3, 10)))
    decide(foreign, "dismissed", outsider, at(dt.date(2026, 3, 10)), reason="other")
    client.force_login(lead)

    response = client.get(URL)

    overview = response.context["overview"]
    assert overview.month == march
    rows = {r.member.username: r for r in overview.members}
    assert set(rows) == {"anna", "ben", "lena"}
    anna = rows["anna"]
    assert (anna.created, anna.confirmed, anna.dismissed, anna.done) == (3, 1, 2, 2)
    reasons = dict(zip([v for v, _l in overview.reasons], anna.dismissed_by_reason, strict=True))
    assert reasons["too_expensive"] == 1
    assert reasons["not_relevant"] == 1
    assert reasons["other"] == 0
    ben = rows["ben"]
    assert (ben.created, ben.confirmed, ben.dismissed, ben.done) == (1, 1, 0, 0)
    assert (overview.total.created, overview.total.dismissed) == (4, 2)

    february_overview = client.get(URL, {"month": "2026-02"}).context["overview"]
    anna_feb = next(r for r in february_overview.members if r.member == manager)
    assert (anna_feb.created, anna_feb.confirmed, anna_feb.done) == (1, 1, 0)


def test_the_month_chart_is_an_accessible_svg_beside_a_table(client, lead, manager):
    created_on(at(dt.date(2026, 3, 2)), contact=ContactFactory.create(owner=manager))
    client.force_login(lead)

    html = client.get(URL).content.decode()

    assert '<svg role="img" aria-labelledby="month-chart-title month-chart-desc"' in html
    assert '<title id="month-chart-title">Suggestions per team member, March 2026</title>' in html
    assert '<desc id="month-chart-desc">' in html
    assert '<table class="striped month-table">' in html
    assert "<title>Anna Example: 1 Created</title>" in html
    assert "<script" not in html.split('<section id="month-overview"')[1].split("</section>")[0]


def test_the_month_partial_answers_htmx(client, lead):
    client.force_login(lead)

    response = client.get(URL, {"month": "2025-12"}, HTTP_HX_TARGET="month-overview", **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="month-overview"')
    assert "December 2025" in html
    assert "Waiting for your approval" not in html


@pytest.mark.parametrize(
    "month", ["2026-13", "2026-00", "march", "99999-01", "1999-12", "2026-3-1", "<b>", " "]
)
def test_a_bad_month_shows_this_month_and_says_so(client, lead, month):
    client.force_login(lead)

    response = client.get(URL, {"month": month})

    assert response.status_code == 200
    assert response.context["overview"].month == dt.date(2026, 3, 1)
    assert response.context["month_error"] is bool(month.strip())


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999", ""])
def test_a_bad_team_parameter_means_the_own_team(client, lead, value):
    client.force_login(lead)

    response = client.get(URL, {"team": value})

    assert response.status_code == 200
    assert response.context["team"] == lead.team


def test_an_unknown_team_is_a_404(client, lead):
    client.force_login(lead)

    assert client.get(URL, {"team": "987654"}).status_code == 404


def test_the_previous_and_next_month_links_keep_working(client, lead):
    client.force_login(lead)

    html = client.get(URL, {"month": "2026-01"}).content.decode()

    assert 'href="?month=2025-12#month-overview"' in html
    assert 'href="?month=2026-02#month-overview"' in html


# -- query counts -------------------------------------------------------------------------


def fill_team(owners, n):
    """`n` rows for every list of the overview, spread over `owners`."""
    for i in range(n):
        owner = owners[i % len(owners)]
        awaiting_gift(owner, first_name=f"Queue{i}")
        upcoming = ContactFactory.create(owner=owner, first_name=f"Up{i}")
        SuggestionFactory.create(contact=upcoming, due_date=TODAY + dt.timedelta(days=i % 30))
        ContactFactory.create(owner=owner, first_name=f"Quiet{i}", tier="A")
        dismissed = SuggestionFactory.create(contact=upcoming, occasion="milestone")
        decide(dismissed, "dismissed", owner, at(TODAY), reason="wrong_timing")
        gesture_recorded(
            contact=upcoming, kind="gift", date=TODAY, value_eur=Decimal("20"), by=owner
        )


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_the_overview_runs_as_many_queries_for_5_rows_as_for_40(client, lead, manager, colleague):
    client.force_login(lead)
    ScanConfiguration.current()
    fill_team([manager, colleague], 5)
    few = count_queries(client, URL)
    fill_team([manager, colleague], 35)

    many = count_queries(client, URL)

    assert len(client.get(URL).context["approvals"]) == 40
    assert many == few
    assert few <= 15


def test_an_admin_without_any_team_gets_an_empty_page(client, admin_user):
    client.force_login(admin_user)

    response = client.get(URL)

    assert response.status_code == 200
    assert "No teams yet." in response.content.decode()
