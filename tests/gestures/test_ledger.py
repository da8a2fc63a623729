"""The gift ledger: who may see it, every gift of the year, per recipient the year's total
against the limit (the organization's when lower), the year filter, the CSV export for
accounting (safe against formula injection), and query counts that do not grow."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gestures.models import ScanConfiguration
from tests.factories import ContactFactory, OrganizationFactory, gesture_recorded
from tests.gestures.factories import GiftItemFactory

pytestmark = pytest.mark.django_db

URL = reverse("gift_ledger")
CSV_URL = reverse("gift_ledger_csv")
NOON = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOON, tick=False):
        yield


def gift(contact, day, value, *, by=None, item=None, kind="gift"):
    return gesture_recorded(
        contact=contact,
        kind=kind,
        date=day,
        value_eur=None if value is None else Decimal(value),
        gift_item=item,
        by=by or contact.owner,
    )


@pytest.fixture
def ledger(manager, colleague, outsider):
    """Recipients of 2026 (and one gift of 2025) in both teams."""
    frugal = OrganizationFactory.create(name="Stadtwerke Nord", gift_limit_eur=Decimal("35.00"))
    generous = OrganizationFactory.create(name="Generous AG", gift_limit_eur=Decimal("80.00"))
    plain = OrganizationFactory.create(name="Plain GmbH")
    julia = ContactFactory.create(
        first_name="Julia", last_name="Berger", owner=manager, organization=plain
    )
    nora = ContactFactory.create(
        first_name="Nora", last_name="Frugal", owner=colleague, organization=frugal
    )
    gero = ContactFactory.create(
        first_name="Gero", last_name="Generous", owner=manager, organization=generous
    )
    theo = ContactFactory.create(first_name="Theo", last_name="Foreign", owner=outsider)
    whisky = GiftItemFactory.create(name="Whisky tasting", name_de="Whisky-Tasting")
    gift(julia, dt.date(2026, 1, 10), "30.00", item=whisky)
    gift(julia, dt.date(2026, 5, 2), "25.00")
    gift(julia, dt.date(2025, 12, 31), "40.00")
    gift(julia, dt.date(2026, 2, 1), "99.00", kind="meeting")  # not a gift
    gift(nora, dt.date(2026, 3, 3), "36.00")
    gift(gero, dt.date(2026, 4, 4), "45.00")
    gift(gero, dt.date(2026, 4, 5), None)  # value unknown: counts as nothing
    gift(theo, dt.date(2026, 2, 2), "70.00")
    return {"julia": julia, "nora": nora, "gero": gero, "theo": theo}


def totals(response):
    return {
        line.recipient.name: (
            line.recipient.total_eur,
            line.recipient.limit_eur,
            line.recipient.over_limit,
        )
        for line in response.context["recipients"]
    }


# -- who may see what ---------------------------------------------------------------------


def test_account_managers_may_not_open_the_ledger(client, manager, ledger):
    client.force_login(manager)

    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403


def test_a_lead_sees_her_teams_gifts_only(client, lead, ledger, other_team):
    client.force_login(lead)

    response = client.get(URL)

    assert response.status_code == 200
    assert set(totals(response)) == {"Julia Berger", "Nora Frugal", "Gero Generous"}
    assert "Theo" not in response.content.decode()
    assert client.get(URL, {"team": other_team.pk}).status_code == 404
    assert client.get(CSV_URL, {"team": other_team.pk}).status_code == 404


def test_admins_see_all_teams_or_one(client, admin_user, ledger, other_team):
    client.force_login(admin_user)

    everyone = client.get(URL)
    one = client.get(URL, {"team": other_team.pk})

    assert set(totals(everyone)) == {"Julia Berger", "Nora Frugal", "Gero Generous", "Theo Foreign"}
    assert set(totals(one)) == {"Theo Foreign"}
    assert b'id="ledger-team"' in everyone.content


# -- totals and limits --------------------------------------------------------------------


def test_each_recipients_year_total_is_held_against_their_limit(client, lead, ledger):
    client.force_login(lead)

    response = client.get(URL)

    assert totals(response) == {
        # 30 + 25 in 2026 (the 40 of 2025 and the meeting do not count): over the 50 default.
        "Julia Berger": (Decimal("55.00"), Decimal("50.00"), True),
        # Her organization allows only 35.
        "Nora Frugal": (Decimal("36.00"), Decimal("35.00"), True),
        # A higher organization limit does not lift the default.
        "Gero Generous": (Decimal("45.00"), Decimal("50.00"), False),
    }
    # Over the limit first, biggest total first.
    assert [line.recipient.name for line in response.context["recipients"]] == [
        "Julia Berger",
        "Nora Frugal",
        "Gero Generous",
    ]
    assert response.context["over_limit_count"] == 2
    html = response.content.decode()
    assert "2 recipients are over the annual gift limit." in html
    gero = next(r for r in response.context["recipients"] if r.recipient.name == "Gero Generous")
    assert gero.remaining == "€5.00"
    assert gero.over_by == ""
    julia = next(r for r in response.context["recipients"] if r.recipient.name == "Julia Berger")
    # Over the limit, the "left" column says by how much instead of "€0.00".
    assert julia.over_by == "€5.00"
    assert "over by €5.00" in html
    # 2 recipients, and of their gifts only the 2 that took them past the limit: Julia's
    # January gift of 30 was within her 50.
    assert html.count('<tr class="over-limit">') == 2 + 2
    assert "over the limit by €5.00" in html  # Julia's May gift: 30 + 25 - 50
    assert "over the limit by €1.00" in html  # Nora's only gift: 36 - 35


def test_the_configured_annual_limit_applies(client, lead, ledger):
    configuration = ScanConfiguration.current()
    configuration.annual_gift_limit_eur = Decimal("60.00")
    configuration.save()
    client.force_login(lead)

    result = totals(client.get(URL))

    assert result["Julia Berger"] == (Decimal("55.00"), Decimal("60.00"), False)
    assert result["Nora Frugal"] == (Decimal("36.00"), Decimal("35.00"), True)


def test_every_gift_is_listed_with_date_recipient_organization_and_value(client, lead, ledger):
    client.force_login(lead)

    response = client.get(URL)

    rows = [
        (r.gesture.date, r.gesture.contact.full_name, r.value, r.over_limit)
        for r in response.context["rows"]
    ]
    assert rows == [
        (dt.date(2026, 5, 2), "Julia Berger", "€25.00", True),
        (dt.date(2026, 4, 5), "Gero Generous", "", False),
        (dt.date(2026, 4, 4), "Gero Generous", "€45.00", False),
        (dt.date(2026, 3, 3), "Nora Frugal", "€36.00", True),
        # Within the limit when given: only the gift that crossed it is marked.
        (dt.date(2026, 1, 10), "Julia Berger", "€30.00", False),
    ]
    html = response.content.decode()
    assert "Stadtwerke Nord" in html
    assert "Whisky tasting" in html
    assert "10 January 2026" in html  # the one English date format
    assert "10/01/2026" not in html


def test_money_and_dates_follow_the_viewers_language(client, lead, ledger):
    lead.language = "de"
    lead.save()
    client.force_login(lead)

    response = client.get(URL)

    html = response.content.decode()
    assert "55,00\u00a0€" in html
    assert "10. Januar 2026" in html  # the one German date format
    assert "Whisky-Tasting" in html


# -- the year -----------------------------------------------------------------------------


def test_the_year_filter_shows_that_years_gifts(client, lead, ledger):
    client.force_login(lead)

    response = client.get(URL, {"year": "2025"})

    assert totals(response) == {"Julia Berger": (Decimal("40.00"), Decimal("50.00"), False)}
    assert response.context["years"] == [2026, 2025]
    assert response.context["year"] == 2025


@pytest.mark.parametrize("year", ["20x6", "1066", "99999", "-2026", "<script>"])
def test_a_bad_year_shows_this_year_and_says_so(client, lead, ledger, year):
    client.force_login(lead)

    response = client.get(URL, {"year": year})

    assert response.status_code == 200
    assert response.context["year"] == 2026
    assert "That year could not be read" in response.content.decode()


def test_a_bad_page_shows_a_page(client, lead, ledger):
    client.force_login(lead)

    assert client.get(URL, {"page": "zzz"}).status_code == 200
    assert client.get(URL, {"page": "999"}).status_code == 200


def test_the_results_partial_answers_htmx(client, lead, ledger):
    client.force_login(lead)

    response = client.get(URL, {"year": "2025"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="ledger-results">')
    assert "<html" not in html
    assert "year=2025" in html  # the export link follows the filter


# -- CSV ----------------------------------------------------------------------------------


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_the_csv_export_has_every_gift_of_the_year(client, lead, ledger):
    client.force_login(lead)

    response = client.get(CSV_URL, {"year": "2026"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="gift-ledger-2026-key-accounts.csv"'
    )
    header, *rows = read_csv(response)
    assert header == [
        "date",
        "recipient",
        "organization",
        "team",
        "gift",
        "value_eur",
        "given_by",
        "recipient_year_total_eur",
        "limit_eur",
        "over_limit",
    ]
    assert rows == [
        [
            "2026-01-10",
            "Julia Berger",
            "Plain GmbH",
            "Key Accounts",
            "Whisky tasting",
            "30.00",
            "Anna Example",
            "55.00",
            "50.00",
            "no",  # 30 of 50 when given
        ],
        [
            "2026-03-03",
            "Nora Frugal",
            "Stadtwerke Nord",
            "Key Accounts",
            "",
            "36.00",
            "Ben Example",
            "36.00",
            "35.00",
            "yes",
        ],
        [
            "2026-04-04",
            "Gero Generous",
            "Generous AG",
            "Key Accounts",
            "",
            "45.00",
            "Anna Example",
            "45.00",
            "50.00",
            "no",
        ],
        [
            "2026-04-05",
            "Gero Generous",
            "Generous AG",
            "Key Accounts",
            "",
            "",
            "Anna Example",
            "45.00",
            "50.00",
            "no",
        ],
        [
            "2026-05-02",
            "Julia Berger",
            "Plain GmbH",
            "Key Accounts",
            "",
            "25.00",
            "Anna Example",
            "55.00",
            "50.00",
            "yes",
        ],
    ]


def test_the_csv_keeps_a_decimal_point_in_german_too(client, lead, ledger):
    lead.language = "de"
    lead.save()
    client.force_login(lead)

    _header, first, *_rest = read_csv(client.get(CSV_URL))

    assert first[5] == "30.00"


def test_the_csv_for_admins_names_all_teams_and_the_year(client, admin_user, ledger):
    client.force_login(admin_user)

    response = client.get(CSV_URL, {"year": "2025"})

    assert response["Content-Disposition"] == 'attachment; filename="gift-ledger-2025.csv"'
    _header, *rows = read_csv(response)
    assert [row[1] for row in rows] == ["Julia Berger"]


def test_csv_cells_cannot_become_formulas(client, lead, manager):
    evil_org = OrganizationFactory.create(name="+cmd|' /C calc'!A0")
    contact = ContactFactory.create(
        first_name='=HYPERLINK("http://evil.example")',
        last_name="X",
        owner=manager,
        organization=evil_org,
    )
    item = GiftItemFactory.create(name="@SUM(A1:A9)")
    gift(contact, dt.date(2026, 2, 2), "10.00", item=item)
    manager.first_name = "-2+3"
    manager.save()
    client.force_login(lead)

    _header, row = read_csv(client.get(CSV_URL))

    assert row[1] == '\'=HYPERLINK("http://evil.example") X'
    assert row[2] == "'+cmd|' /C calc'!A0"
    assert row[4] == "'@SUM(A1:A9)"
    assert row[6] == "'-2+3 Example"
    assert row[5] == "10.00"


def test_a_bad_year_in_the_csv_exports_this_year(client, lead, ledger):
    client.force_login(lead)

    response = client.get(CSV_URL, {"year": "next"})

    assert response.status_code == 200
    assert 'filename="gift-ledger-2026-key-accounts.csv"' in response["Content-Disposition"]


# -- query counts -------------------------------------------------------------------------


def fill(owners, n):
    for i in range(n):
        owner = owners[i % len(owners)]
        contact = ContactFactory.create(owner=owner, first_name=f"R{i}")
        gift(contact, dt.date(2026, 1 + i % 12, 1), "20.00", item=GiftItemFactory.create())
        gift(contact, dt.date(2026, 1 + i % 12, 2), "40.00")


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_the_ledger_runs_as_many_queries_for_5_rows_as_for_40(
    client, lead, manager, colleague, url
):
    client.force_login(lead)
    ScanConfiguration.current()
    fill([manager, colleague], 5)
    few = query_count(client, url)
    fill([manager, colleague], 35)

    many = query_count(client, url)

    assert many == few
    assert few <= 12


def test_csv_cells_carry_no_control_characters(client, lead, manager):
    contact = ContactFactory.create(first_name="Jul\x1bia", last_name="\x01=Berger", owner=manager)
    gift(contact, dt.date(2026, 2, 2), "10.00", item=GiftItemFactory.create(name="Tea\r\nbox\x7f"))
    client.force_login(lead)

    response = client.get(CSV_URL)
    _header, row = read_csv(response)

    assert row[1] == "Julia =Berger"
    assert row[4] == "Tea box"
    assert not any(0 < ord(c) < 32 and c not in "\r\n" for c in response.content.decode())
