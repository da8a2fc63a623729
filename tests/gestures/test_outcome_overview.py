"""The team lead's month of outcomes: by occasion, kind and tier, the share that got a
response, the ones that felt wrong with their notes, and its CSV, for a pinned month."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gestures.models import Suggestion
from gestures.outcomes import OUTCOMES_CSV_HEADER, gesture_outcome_record, month_outcomes
from tests.factories import ContactFactory, UserFactory, gesture_recorded
from tests.gestures.factories import GiftItemFactory, SuggestionFactory

BERLIN = ZoneInfo("Europe/Berlin")
NOVEMBER = dt.date(2026, 11, 1)
OVERVIEW = reverse("team_overview")
CSV_URL = reverse("team_outcomes_csv")

pytestmark = pytest.mark.django_db


def recorded_at(moment, gesture, by, result, note=""):
    with time_machine.travel(moment, tick=False):
        return gesture_outcome_record(gesture=gesture, by=by, result=result, note=note)


def done(contact, kind, day, by, *, occasion=None, item=None):
    suggestion = None
    if occasion is not None:
        suggestion = SuggestionFactory.create(
            contact=contact,
            occasion=occasion,
            kind="gift" if item else "note",
            gift_item=item,
            event_date=day,
            status=Suggestion.Status.DONE,
        )
    return gesture_recorded(
        contact=contact, kind=kind, date=day, by=by, suggestion=suggestion, gift_item=item
    )


@pytest.fixture
def november(manager, colleague, lead, outsider):
    """Four outcomes recorded in November 2026 for the team; one just before, one just
    after and one of another team, which the month leaves out."""
    tier_a = ContactFactory.create(owner=manager, tier="A", first_name="Ada", last_name="Alt")
    tier_b = ContactFactory.create(owner=colleague, tier="B", first_name="Bea", last_name="Berg")
    tier_c = ContactFactory.create(owner=manager, tier="C", first_name="Cem", last_name="Cakir")
    wine = GiftItemFactory.create(name="Red wine", sku="WINE-1")
    day = dt.date(2026, 10, 20)
    rows = {
        "thanked": done(tier_a, "note", day, manager, occasion="birthday"),
        "felt_wrong": done(tier_b, "gift", day, colleague, occasion="birthday", item=wine),
        "nothing_yet": done(tier_c, "call", day, manager),
        "new_order": done(tier_a, "meeting", day, manager),
        "october": done(tier_b, "note", day, colleague, occasion="role_change"),
        "december": done(tier_c, "note", day, manager),
    }
    theirs = ContactFactory.create(owner=outsider, tier="A")
    recorded_at(
        dt.datetime(2026, 11, 5, 9, tzinfo=BERLIN),
        done(theirs, "note", day, outsider),
        outsider,
        "thanked",
    )
    recorded_at(dt.datetime(2026, 11, 5, 9, tzinfo=BERLIN), rows["thanked"], manager, "thanked")
    recorded_at(
        dt.datetime(2026, 11, 10, 9, tzinfo=BERLIN),
        rows["felt_wrong"],
        colleague,
        "felt_wrong",
        "=Wine for someone who stopped drinking",
    )
    recorded_at(
        dt.datetime(2026, 11, 20, 9, tzinfo=BERLIN), rows["nothing_yet"], manager, "nothing_yet"
    )
    # The last minutes of November in Berlin are already December in UTC.
    recorded_at(
        dt.datetime(2026, 11, 30, 23, 50, tzinfo=BERLIN), rows["new_order"], lead, "new_order"
    )
    recorded_at(
        dt.datetime(2026, 10, 31, 23, 50, tzinfo=BERLIN), rows["october"], colleague, "replied"
    )
    recorded_at(dt.datetime(2026, 12, 1, 0, 5, tzinfo=BERLIN), rows["december"], manager, "thanked")
    return rows


def counts(row):
    return dict(
        zip(
            ("thanked", "replied", "met", "referral", "new_order", "nothing_yet", "felt_wrong"),
            row.counts,
            strict=True,
        )
    )


def test_the_month_counts_what_was_recorded_in_it_by_occasion_kind_and_tier(
    team, november, django_assert_num_queries
):
    with django_assert_num_queries(1):
        month = month_outcomes(team=team, month=NOVEMBER)
        felt_wrong = [
            (o.gesture.contact.full_name, o.note, o.recorded_by.username) for o in month.felt_wrong
        ]

    assert (month.total.total, month.total.responses, month.total.response_share) == (4, 2, 50)
    assert counts(month.total) == {
        "thanked": 1,
        "replied": 0,
        "met": 0,
        "referral": 0,
        "new_order": 1,
        "nothing_yet": 1,
        "felt_wrong": 1,
    }
    assert [(str(r.label), r.total, r.response_share) for r in month.by_occasion] == [
        ("Birthday", 2, 50),
        ("Logged without a suggestion", 2, 50),
    ]
    assert [(str(r.label), r.total, r.response_share) for r in month.by_kind] == [
        ("Gift", 1, 0),
        ("Handwritten note", 1, 100),
        ("Call", 1, 0),
        ("Meeting", 1, 100),
    ]
    assert [(str(r.label), r.total, r.response_share) for r in month.by_tier] == [
        ("Tier A", 2, 100),
        ("Tier B", 1, 0),
        ("Tier C", 1, 0),
    ]
    assert felt_wrong == [("Bea Berg", "=Wine for someone who stopped drinking", "ben")]


def test_the_months_around_it_count_their_own(team, november):
    october = month_outcomes(team=team, month=dt.date(2026, 10, 1))
    assert [(str(r.label), counts(r)["replied"]) for r in october.by_occasion] == [
        ("Role change", 1)
    ]
    december = month_outcomes(team=team, month=dt.date(2026, 12, 1))
    assert (december.total.total, december.total.response_share) == (1, 100)
    assert month_outcomes(team=team, month=dt.date(2026, 9, 1)).total.response_share is None


def test_the_lead_sees_the_outcomes_in_the_month_overview(client, lead, november):
    client.force_login(lead)
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=BERLIN), tick=False):
        page = client.get(OVERVIEW, {"month": "2026-11"}).content.decode()
        partial = client.get(
            OVERVIEW, {"month": "2026-11"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="month-overview"
        ).content.decode()
        this_month = client.get(OVERVIEW).content.decode()
    for body in (page, partial):
        assert "What came of the gestures" in body
        assert "50 % got a response (2 of 4)." in body
        assert "By occasion" in body and "By kind" in body and "By tier" in body
        assert "Logged without a suggestion" in body
        assert "“=Wine for someone who stopped drinking”" in body
        assert f'href="{CSV_URL}?month=2026-11"' in body
    assert "<html" not in partial
    assert "100 % got a response (1 of 1)." in this_month
    assert "stopped drinking" not in this_month


def test_the_csv_has_one_row_per_outcome_of_the_month(client, lead, november):
    client.force_login(lead)
    response = client.get(CSV_URL, {"month": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="gesture-outcomes-2026-11-key-accounts.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == OUTCOMES_CSV_HEADER
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [(r["contact"], r["outcome"], r["response"]) for r in body] == [
        ("Ada Alt", "thanked", "yes"),
        ("Bea Berg", "felt_wrong", "no"),
        ("Cem Cakir", "nothing_yet", "no"),
        ("Ada Alt", "new_order", "yes"),
    ]
    felt_wrong = body[1]
    # A spreadsheet must not read a note as a formula.
    assert felt_wrong["note"] == "'=Wine for someone who stopped drinking"
    assert (felt_wrong["occasion"], felt_wrong["kind"], felt_wrong["gift"]) == (
        "birthday",
        "gift",
        "Red wine",
    )
    assert (felt_wrong["tier"], felt_wrong["done_by"], felt_wrong["recorded_by"]) == (
        "B",
        november["felt_wrong"].by.display_name(),
        november["felt_wrong"].by.display_name(),
    )
    assert body[3]["recorded_at"] == "2026-11-30T23:50+01:00"
    assert body[3]["recorded_by"] == lead.display_name()


def test_an_account_manager_gets_no_csv_and_an_admin_chooses_the_team(
    client, manager, admin_user, other_team, november
):
    client.force_login(manager)
    assert client.get(CSV_URL, {"month": "2026-11"}).status_code == 403
    client.force_login(admin_user)
    theirs = client.get(CSV_URL, {"month": "2026-11", "team": other_team.pk}).content.decode()
    assert len(theirs.strip().splitlines()) == 2  # header and the other team's one


def test_another_teams_lead_cannot_read_this_teams_csv(client, team, other_team, november):
    other_lead = UserFactory.create(username="olga", role="team_lead", team=other_team)
    client.force_login(other_lead)
    assert client.get(CSV_URL, {"team": team.pk}).status_code == 404
    own = client.get(CSV_URL, {"month": "2026-11"}).content.decode()
    assert "Ada Alt" not in own and "Bea Berg" not in own


def test_a_bad_month_falls_back_to_the_current_one(client, lead, november):
    client.force_login(lead)
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, tzinfo=BERLIN), tick=False):
        response = client.get(CSV_URL, {"month": "2026-13"})
    assert response.status_code == 200
    assert len(response.content.decode().strip().splitlines()) == 5
