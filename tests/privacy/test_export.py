"""A person's data export: the zip from the contact page (JSON and a readable summary in
the viewer's language) for the owner, team leads and admins only; `export_json --contact`
gives the same JSON; every observation, fact, suggestion, gesture and history row of the
person and nothing of anyone else."""

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from contacts.services import contact_update, observation_create, observation_update
from gestures.models import Gesture, SuggestionTransition
from privacy.models import AccessLogEntry
from privacy.services import observation_review_keep
from tests.factories import ContactFactory
from tests.gestures.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def clara(manager):
    clara = ContactFactory.create(
        first_name="Clara", last_name="Quellenberg", external_id="crm-4711", owner=manager
    )
    contact_update(contact=clara, title="CFO")
    first = observation_create(
        contact=clara, author=manager, text="Loves hiking.", noted_on=NOON.date()
    )
    observation_update(observation=first, text="Loves hiking and sailing.", noted_on=NOON.date())
    birthday = observation_create(
        contact=clara, author=manager, text="Her birthday is March 3rd.", noted_on=NOON.date()
    )
    observation_review_keep(observation=birthday, by=manager, today=NOON.date())
    suggestion = SuggestionFactory.create(contact=clara)
    SuggestionTransition.objects.create(
        suggestion=suggestion, from_status="pending", to_status="dismissed", by=manager
    )
    Gesture.objects.create(
        contact=clara, kind="gift", date=NOON.date(), value_eur=Decimal("20.00"), by=manager
    )
    return clara


@pytest.fixture
def bert(manager):
    bert = ContactFactory.create(first_name="Bert", external_id="crm-0815", owner=manager)
    chess = observation_create(
        contact=bert, author=manager, text="Bert plays chess.", noted_on=NOON.date()
    )
    observation_review_keep(observation=chess, by=manager, today=NOON.date())
    SuggestionFactory.create(contact=bert)
    Gesture.objects.create(contact=bert, kind="call", date=NOON.date(), by=manager)
    return bert


def download(client, user, contact):
    client.force_login(user)
    response = client.get(reverse("contact_export", args=[contact.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["personal-data.html", "personal-data.json"]
    return json.loads(archive.read("personal-data.json")), archive.read(
        "personal-data.html"
    ).decode()


def test_the_export_holds_everything_of_the_person_and_nothing_of_another(
    client, clara, bert, manager
):
    data, summary = download(client, manager, clara)

    assert [c["id"] for c in data["contacts"]] == ["crm-4711"]
    assert [o["text"] for o in data["observations"]] == [
        "Loves hiking and sailing.",
        "Her birthday is March 3rd.",
    ]
    assert {f["kind"] for f in data["facts"]} >= {"interest", "birthday"}
    assert {f["contact"] for f in data["facts"]} == {"crm-4711"}
    assert len(data["suggestions"]) == 1 and data["suggestions"][0]["explanation"]
    assert [(g["kind"], g["value_eur"]) for g in data["gestures"]] == [("gift", "20.00")]
    assert [d["to"] for d in data["decisions"]] == ["dismissed"]
    assert [r["title"] for r in data["history"]["contact"]] == ["", "CFO"]
    assert [r["text"] for r in data["history"]["observations"]] == [
        "Loves hiking.",
        "Loves hiking and sailing.",
        "Her birthday is March 3rd.",
    ]
    assert [(e["user"], e["action"]) for e in data["access_log"]] == [("anna", "export")]
    assert [(r["by"], r["on"]) for r in data["reviews"]] == [("anna", "2026-06-15")]
    everything = json.dumps(data) + summary
    assert "Bert" not in everything and "chess" not in everything
    assert "Loves hiking and sailing." in summary


def test_the_summary_is_in_the_viewers_language(client, clara, manager):
    manager.language = "de"
    manager.save()

    _data, summary = download(client, manager, clara)

    assert "Personenbezogene Daten von Clara Quellenberg" in summary
    assert "Beobachtungen" in summary


def test_export_json_contact_gives_the_same_json(client, clara, lead):
    out = io.StringIO()
    call_command("export_json", "--contact", "crm-4711", stdout=out)
    from_command = json.loads(out.getvalue())

    from_page, _summary = download(client, lead, clara)

    # The page's download is itself logged, after the command ran.
    assert from_page["access_log"] == [{"at": NOON.isoformat(), "user": "lena", "action": "export"}]
    from_page["access_log"] = []
    assert from_page == from_command


def test_the_owner_team_lead_and_admin_export_others_cannot(
    client, clara, manager, colleague, lead, admin_user, outsider
):
    url = reverse("contact_export", args=[clara.pk])
    statuses = {}
    for user in (manager, lead, admin_user, colleague, outsider):
        client.force_login(user)
        statuses[user.username] = client.get(url).status_code

    assert statuses == {"anna": 200, "lena": 200, "admin": 200, "ben": 403, "otto": 404}
    assert AccessLogEntry.objects.filter(contact=clara, action="export").count() == 3


def test_an_exported_file_imports_again(clara, tmp_path):
    out = io.StringIO()
    call_command("export_json", "--contact", "crm-4711", stdout=out)
    path = tmp_path / "clara.json"
    path.write_text(out.getvalue())

    call_command("import_json", str(path), stdout=io.StringIO())


def test_the_export_says_what_came_of_each_gesture(client, clara, bert, manager):
    from gestures.models import GestureOutcome
    from gestures.outcomes import gesture_outcome_record

    gift = clara.gestures.get()
    gesture_outcome_record(gesture=gift, by=manager, result="felt_wrong", note="Not her taste.")
    gesture_outcome_record(gesture=bert.gestures.get(), by=manager, result="met", note="Chess")

    data, summary = download(client, manager, clara)

    assert [
        (o["gesture_kind"], o["outcome"], o["note"], o["recorded_by"])
        for o in data["gesture_outcomes"]
    ] == [("gift", "felt_wrong", "Not her taste.", "anna")]
    assert "What came of it: Felt wrong · Not her taste." in summary
    assert "Chess" not in json.dumps(data) + summary
    assert GestureOutcome.objects.count() == 2
