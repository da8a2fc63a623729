"""`manage.py demo`: the demo team and users, idempotent, refused in production."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from contacts.models import Contact, Fact, Observation, Organization, Team, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings):
    # The test runner turns DEBUG off; demo data is for development runs.
    settings.DEBUG = True


def counts():
    return {"teams": Team.objects.count(), "users": User.objects.count()}


def test_demo_creates_the_team_and_its_people_and_prints_how_to_sign_in():
    out = StringIO()

    call_command("demo", stdout=out)

    team = Team.objects.get(name="Key Accounts")
    assert team.lead is not None
    assert team.lead.username == "lena"
    assert {u.username: u.role for u in User.objects.all()} == {
        "lena": "team_lead",
        "anna": "account_manager",
        "ben": "account_manager",
        "admin": "admin",
    }
    assert User.objects.get(username="anna").check_password("demo")
    assert User.objects.get(username="admin").is_superuser
    assert "anna   / demo" in out.getvalue()


def test_demo_twice_gives_the_same_counts():
    call_command("demo", stdout=StringIO())
    first = counts()

    call_command("demo", stdout=StringIO())

    assert counts() == first


def test_demo_is_refused_with_debug_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="Refusing to load demo data"):
        call_command("demo", stdout=StringIO())
    assert counts() == {"teams": 0, "users": 0}

    call_command("demo", "--force", stdout=StringIO())
    assert counts()["users"] == 4


def test_demo_contacts_are_lively_and_dated_relative_to_today():
    with time_machine.travel("2026-11-21 08:00 +01:00", tick=False):
        call_command("demo", stdout=StringIO())
    today = date(2026, 11, 21)

    assert Contact.objects.count() == 40
    assert Organization.objects.count() == 8
    assert Organization.objects.filter(kind="public_sector").count() == 1
    assert set(Contact.objects.values_list("owner__username", flat=True)) == {"anna", "ben"}
    per_contact = [c.observations.count() for c in Contact.objects.all()]
    assert min(per_contact) >= 2
    assert max(per_contact) <= 5
    assert set(Observation.objects.values_list("language", flat=True)) == {"en", "de"}

    def upcoming(kind):
        soon = []
        for fact in Fact.objects.filter(kind=kind):
            for year in (today.year, today.year + 1):
                try:
                    day = date(year, fact.month or 0, fact.day or 0)
                except ValueError:
                    continue
                if today <= day <= today + timedelta(days=28):
                    soon.append(fact)
        return soon

    assert len(upcoming("birthday")) >= 5
    assert upcoming("anniversary")
    assert Fact.objects.filter(
        kind="role_change", observation__noted_on__gte=today - timedelta(days=14)
    ).exists()
    assert Fact.objects.filter(
        kind="life_event", date__gt=today, date__lte=today + timedelta(days=28)
    ).exists()


def test_demo_contacts_are_created_once():
    call_command("demo", stdout=StringIO())
    before = (Contact.objects.count(), Observation.objects.count())
    call_command("demo", stdout=StringIO())

    assert (Contact.objects.count(), Observation.objects.count()) == before


def test_the_demo_starts_with_a_lively_dashboard_and_a_queue_for_the_lead():
    from gestures.models import Gesture, Suggestion

    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())

    open_for_anna = Suggestion.objects.filter(
        contact__owner__username="anna", status__in=["pending", "confirmed", "approved"]
    )
    assert open_for_anna.count() >= 5
    assert Suggestion.objects.filter(status="awaiting_approval").count() == 1
    assert Suggestion.objects.filter(status="dismissed", reason="wrong_timing").count() == 1
    assert Gesture.objects.filter(kind="gift").count() == 4  # made once, not per run
    # Anna's notes come with a draft in the contact's language and form of address.
    drafted = open_for_anna.filter(kind="note").exclude(draft="")
    assert drafted.exists()
    assert any(s.draft.startswith(("Liebe ", "Lieber ", "Dear ", "Hallo ")) for s in drafted)


def test_the_demo_shows_outcomes_in_the_leads_month_and_asks_anna(client):
    from django.urls import reverse

    from gestures.models import GestureOutcome
    from gestures.outcomes import outcome_requests

    with time_machine.travel(date(2026, 12, 1), tick=False):
        call_command("demo", stdout=StringIO())
        call_command("demo", stdout=StringIO())
        assert GestureOutcome.objects.count() == 8  # recorded once, not per run
        felt_wrong = GestureOutcome.objects.get(result="felt_wrong")
        assert felt_wrong.gesture.kind == "gift"
        anna = User.objects.get(username="anna")
        assert outcome_requests(user=anna, today=date(2026, 12, 1)).total == 2

        lena = User.objects.get(username="lena")
        lena.language = "en"
        lena.save()
        client.force_login(lena)
        page = client.get(reverse("team_overview")).content.decode()
    assert "75 % got a response (6 of 8)." in page
    assert "Keep in touch" in page
    assert felt_wrong.note in page
