"""`manage.py demo`: the demo team and users, idempotent, refused in production."""

import datetime as dt
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

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

    # Forty contacts of daily work and three for what the guard and attention balance do.
    guard_cases = Contact.objects.filter(external_id__startswith="demo-guard-")
    assert Contact.objects.count() == 43
    assert sorted(guard_cases.values_list("last_name", "first_name", "owner__username")) == [
        ("Albers", "Konrad", "anna"),
        ("Albers", "Konrad", "ben"),
        ("Vogt", "Helena", "anna"),
    ]
    assert Organization.objects.count() == 8
    assert Organization.objects.filter(kind="public_sector").count() == 1
    assert set(Contact.objects.values_list("owner__username", flat=True)) == {"anna", "ben"}
    per_contact = [c.observations.count() for c in Contact.objects.exclude(pk__in=guard_cases)]
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


def test_a_second_demo_run_adds_nothing_to_a_lively_start():
    from gestures.models import Gesture, GestureOutcome, Suggestion

    def stored():
        return [
            model.objects.count()
            for model in (Team, User, Contact, Observation, Suggestion, Gesture, GestureOutcome)
        ]

    # Noon of whatever day the clock says, held still: a run after midnight would rightly
    # plan the new day's gestures.
    noon = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12)))
    with time_machine.travel(noon, tick=False):
        call_command("demo", stdout=StringIO())
        first = stored()

        call_command("demo", stdout=StringIO())

        assert stored() == first
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
        assert GestureOutcome.objects.count() == 8
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


def test_the_demo_shows_a_guarded_birthday_on_annas_dashboard(client):
    from django.urls import reverse

    from gestures.models import Suggestion
    from gestures.rules import Explanation

    with time_machine.travel("2026-12-01 08:00 +01:00", tick=False):
        call_command("demo", stdout=StringIO())
        birthday = Suggestion.objects.get(contact__external_id="demo-guard-1", occasion="birthday")
        # Her mother died two days ago: a personal note instead of the wine she likes.
        assert (birthday.kind, birthday.gift_item) == ("note", None)
        assert birthday.draft.startswith("Dear Ms Vogt")
        guard = Explanation.from_json(birthday.explanation).guard
        assert [note.reason for note in guard][:1] == ["care_period"]
        assert Suggestion.objects.filter(
            contact__external_id="demo-guard-1", occasion="life_event", kind="note"
        ).exists()

        anna = User.objects.get(username="anna")
        anna.language = "en"
        anna.save()
        client.force_login(anna)
        page = client.get(reverse("dashboard"), {"q": "Vogt"}).content.decode()
    assert "Helena Vogt" in page
    assert "period of care" in page
