"""Erasing a person: one transaction takes every personal trace from every table (history,
the admin's log and the suggestions' explanations included), the gift ledger keeps its
figures under a pseudonym, the erasure log names nobody, and only team leads and admins
may do it, on the page or with `manage.py erase_contact`."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import ProtectedError
from django.urls import reverse

from contacts.models import Contact, ContactImport, Observation
from contacts.services import observation_create, observation_update
from gestures.models import Gesture, SuggestionTransition
from gestures.reports import ledger_recipients
from privacy.models import AccessLogEntry, Erasure
from tests.factories import ContactFactory, OrganizationFactory
from tests.gestures.factories import GiftItemFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
TEXTS = [
    "Clara is allergic to nuts and loves hiking.",
    "Zieht im August nach Hamburg, Tochter Merle beginnt dort ihr Studium.",
]
IDENTIFIERS = ["Clara", "Quellenberg", "clara.q@kunde.example", "+49 170 5550123", "crm-4711"]


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def clara(manager, lead, admin_user):
    organization = OrganizationFactory.create(name="Kunde AG")
    clara = ContactFactory.create(
        first_name="Clara",
        last_name="Quellenberg",
        email="clara.q@kunde.example",
        phone="+49 170 5550123",
        external_id="crm-4711",
        title="Head of Procurement",
        owner=manager,
        organization=organization,
    )
    clara.title = "Chief Procurement Officer"
    clara.save()
    first = observation_create(
        contact=clara, author=manager, text="Clara mentioned nuts.", noted_on=NOON.date()
    )
    observation_update(observation=first, text=TEXTS[0], noted_on=NOON.date())
    observation_create(contact=clara, author=manager, text=TEXTS[1], noted_on=NOON.date())
    suggestion = SuggestionFactory.create(contact=clara)
    # Explanations quote the observation, as the scan stores them.
    suggestion.explanation["quotes"][0]["text"] = TEXTS[0]
    suggestion.save()
    SuggestionTransition.objects.create(
        suggestion=suggestion,
        from_status="pending",
        to_status="dismissed",
        by=manager,
        reason_text="Clara asked us not to",
    )
    item = GiftItemFactory.create(name="Hiking book", price_eur=Decimal("24.90"))
    Gesture.objects.create(
        contact=clara,
        kind="gift",
        date=dt.date(2026, 3, 3),
        gift_item=item,
        value_eur=Decimal("24.90"),
        note="For Clara's birthday",
        card_text="Liebe Frau Quellenberg,\n\nalles Gute!",
        by=manager,
        suggestion=suggestion,
    )
    Gesture.objects.create(
        contact=clara,
        kind="gift",
        date=dt.date(2026, 5, 2),
        value_eur=Decimal("15.00"),
        note="Flowers for Clara Quellenberg",
        card_text="Dear Clara,\n\nget well soon.",
        by=lead,
    )
    Gesture.objects.create(
        contact=clara, kind="call", date=dt.date(2026, 5, 20), note="Talked to Clara", by=manager
    )
    # An uploaded contact file that listed her, and one that did not.
    for filename, row in (
        ("crm.csv", "Clara,Quellenberg,clara.q@kunde.example"),
        ("other.csv", "Dora,Dauer,"),
    ):
        ContactImport.objects.create(
            team=clara.team,
            created_by=manager,
            default_owner=manager,
            filename=filename,
            format="csv",
            content=f"first,last,email\n{row}\n".encode(),
            status="done",
        )
    LogEntry.objects.log_actions(
        user_id=admin_user.pk, queryset=[clara], action_flag=CHANGE, change_message="Title"
    )
    return clara


@pytest.fixture
def bert(manager):
    bert = ContactFactory.create(first_name="Bert", last_name="Bleibend", owner=manager)
    observation_create(contact=bert, author=manager, text="Bert plays chess.", noted_on=NOON.date())
    Gesture.objects.create(
        contact=bert, kind="gift", date=dt.date(2026, 4, 1), value_eur=Decimal("30.00"), by=manager
    )
    return bert


def database_dump() -> str:
    """Every row of every table of the database, as text."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # Table names come from the database's own catalog, quoted.
            cursor.execute(f"SELECT t::text FROM {connection.ops.quote_name(table)} t")  # noqa: S608
            rows += [row[0] for row in cursor.fetchall()]
    return "\n".join(rows).casefold()


def ledger_csv(client, user) -> list[list[str]]:
    client.force_login(user)
    response = client.get(reverse("gift_ledger_csv"), {"year": 2026})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_erasure_leaves_no_trace_of_the_person_in_any_table(client, clara, bert, lead):
    dump = database_dump()
    assert all(value.casefold() in dump for value in IDENTIFIERS + TEXTS)

    client.force_login(lead)
    response = client.post(
        reverse("contact_erase", args=[clara.pk]),
        {"confirm_name": "clara  quellenberg", "reason": "Request by e-mail of 12 June"},
    )

    assert response.status_code == 302
    dump = database_dump()
    assert [value for value in IDENTIFIERS + TEXTS if value.casefold() in dump] == []
    assert "merle" not in dump and "hamburg" not in dump
    # Bert is untouched.
    assert "bert plays chess." in dump
    assert Observation.objects.filter(contact=bert).count() == 1
    assert list(ContactImport.objects.values_list("filename", flat=True)) == ["other.csv"]


def test_erasure_keeps_the_gift_ledger_figures_under_a_pseudonym(client, clara, bert, lead):
    before_csv = ledger_csv(client, lead)
    before_totals = {
        r.contact_id: r.total_eur for r in ledger_recipients(user=lead, team=None, year=2026)
    }

    erasure_before = Erasure.objects.count()
    call_command(
        "erase_contact", "crm-4711", reason="Art. 17 request", by="lena", stdout=io.StringIO()
    )

    erasure = Erasure.objects.get()
    assert erasure_before == 0
    after_csv = ledger_csv(client, lead)
    after_totals = {
        r.contact_id: r.total_eur for r in ledger_recipients(user=lead, team=None, year=2026)
    }
    assert after_totals == before_totals == {clara.pk: Decimal("39.90"), bert.pk: Decimal("30.00")}
    # Same rows, same figures; only the recipient's name has become the pseudonym.
    recipient = after_csv[0].index("recipient")
    assert len(after_csv) == len(before_csv) == 4
    for before, after in zip(before_csv[1:], after_csv[1:], strict=True):
        if before[recipient] == "Clara Quellenberg":
            assert after[recipient] == erasure.pseudonym
            before = [*before[:recipient], erasure.pseudonym, *before[recipient + 1 :]]
            before = [cell.replace("Clara Quellenberg", erasure.pseudonym) for cell in before]
        assert after == before
    assert erasure.pseudonym.startswith("erased person ")
    gifts = Gesture.objects.filter(contact=clara).order_by("date")
    assert [(g.kind, g.value_eur, g.by.username) for g in gifts] == [
        ("gift", Decimal("24.90"), "anna"),
        ("gift", Decimal("15.00"), "lena"),
    ]
    assert gifts[0].gift_item is not None
    assert gifts[0].gift_item.name == "Hiking book"
    assert gifts[1].note == f"Flowers for {erasure.pseudonym}"
    assert [g.card_text for g in gifts] == ["", ""]


def test_the_erasure_log_says_who_when_why_and_nothing_personal(clara, lead):
    out = io.StringIO()
    call_command("erase_contact", "crm-4711", reason="Asked by letter", by="lena", stdout=out)

    erasure = Erasure.objects.get()
    assert erasure.erased_by == lead
    assert erasure.erased_at == NOON
    assert erasure.reason == "Asked by letter"
    assert (erasure.observations, erasure.suggestions, erasure.gifts_kept) == (2, 1, 2)
    logged = " ".join(str(v) for v in Erasure.objects.values().get().values()).casefold()
    assert [value for value in IDENTIFIERS if value.casefold() in logged] == []
    assert out.getvalue().count("\n") == 1
    assert f"Erased crm-4711 as {erasure.pseudonym}" in out.getvalue()
    assert AccessLogEntry.objects.filter(action="erase", user=lead, contact=clara).count() == 1


def test_a_reason_naming_the_person_is_refused_and_nothing_changes(client, clara, lead):
    client.force_login(lead)
    response = client.post(
        reverse("contact_erase", args=[clara.pk]),
        {"confirm_name": "Clara Quellenberg", "reason": "Clara Quellenberg asked for it"},
    )

    assert response.status_code == 200
    assert "leave out the person" in response.content.decode()
    assert Contact.objects.get(pk=clara.pk).erased_at is None
    assert Erasure.objects.count() == 0


def test_a_running_contact_import_that_lists_the_person_blocks_the_erasure(clara, lead):
    ContactImport.objects.filter(filename="crm.csv").update(status="running")

    with pytest.raises(CommandError, match="contact import of this person's team is running"):
        call_command("erase_contact", "crm-4711", reason="Request", by="lena")

    assert Contact.objects.get(pk=clara.pk).erased_at is None
    assert Observation.objects.filter(contact=clara).count() == 2


def test_a_wrong_confirmation_name_erases_nothing(client, clara, lead):
    client.force_login(lead)
    response = client.post(
        reverse("contact_erase", args=[clara.pk]), {"confirm_name": "Clara", "reason": "Request"}
    )

    assert response.status_code == 200
    assert "That is not the name of this person." in response.content.decode()
    assert Observation.objects.filter(contact=clara).count() == 2


def test_account_managers_and_other_teams_cannot_erase(client, clara, manager, colleague, outsider):
    url = reverse("contact_erase", args=[clara.pk])
    data = {"confirm_name": "Clara Quellenberg", "reason": "Request"}
    statuses = []
    for user in (manager, colleague, outsider):
        client.force_login(user)
        statuses += [client.get(url).status_code, client.post(url, data).status_code]

    assert statuses == [403, 403, 403, 403, 404, 404]
    assert Contact.objects.get(pk=clara.pk).erased_at is None


def test_the_erase_button_shows_for_team_leads_and_admins_only(
    client, clara, manager, lead, admin_user
):
    url = reverse("contact_detail", args=[clara.pk])
    erase = reverse("contact_erase", args=[clara.pk])
    shown = {}
    for user in (manager, lead, admin_user):
        client.force_login(user)
        shown[user.username] = erase in client.get(url).content.decode()

    assert shown == {"anna": False, "lena": True, "admin": True}


def test_an_admin_erases_a_contact_of_any_team(client, clara, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("contact_erase", args=[clara.pk]),
        {"confirm_name": "Clara Quellenberg", "reason": "Request"},
    )

    assert response.status_code == 302
    assert Contact.objects.get(pk=clara.pk).is_erased


def test_an_erased_person_is_gone_from_lists_and_their_page_says_so(client, clara, lead):
    call_command("erase_contact", "crm-4711", reason="Request", by="lena", stdout=io.StringIO())
    pseudonym = Erasure.objects.get().pseudonym
    client.force_login(lead)

    listed = client.get(reverse("contact_list"), {"archived": "1"}).content.decode()
    page = client.get(reverse("contact_detail", args=[clara.pk]))

    assert pseudonym not in listed
    assert page.status_code == 200
    assert pseudonym in page.content.decode()
    assert client.get(reverse("contact_edit", args=[clara.pk])).status_code == 404
    assert (
        client.post(reverse("contact_archive", args=[clara.pk]), {"archived": "0"}).status_code
        == 404
    )
    assert client.get(reverse("contact_erase", args=[clara.pk])).status_code == 404


def test_the_command_refuses_an_unknown_id_and_changes_nothing(clara):
    before = database_dump()

    with pytest.raises(CommandError, match="no contact with external id 'crm-0000'") as failure:
        call_command("erase_contact", "crm-0000", reason="Request", by="lena")

    assert failure.value.returncode == 1
    assert database_dump() == before


def test_the_command_refuses_an_account_manager_and_an_unknown_user(clara):
    with pytest.raises(CommandError, match="anna may not erase"):
        call_command("erase_contact", "crm-4711", reason="Request", by="anna")
    with pytest.raises(CommandError, match="no active user 'nobody'"):
        call_command("erase_contact", "crm-4711", reason="Request", by="nobody")

    assert Contact.objects.get(pk=clara.pk).erased_at is None


def test_a_contact_with_gifts_is_never_deleted_by_a_cascade(clara):
    with pytest.raises(ProtectedError):
        clara.delete()

    assert Gesture.objects.filter(contact=clara).count() == 3


def test_the_admin_offers_archive_and_erase_instead_of_delete(client, clara, admin_user):
    client.force_login(admin_user)
    change = client.get(reverse("admin:contacts_contact_change", args=[clara.pk])).content.decode()
    listing = client.get(reverse("admin:contacts_contact_changelist")).content.decode()

    assert reverse("contact_erase", args=[clara.pk]) in change
    assert reverse("admin:contacts_contact_delete", args=[clara.pk]) not in change
    assert "delete_selected" not in listing
    assert "archive_selected" in listing
    response = client.post(
        reverse("admin:contacts_contact_changelist"),
        {"action": "archive_selected", "_selected_action": [clara.pk]},
    )
    assert response.status_code == 302
    assert Contact.objects.get(pk=clara.pk).archived


def test_deleting_an_observation_deletes_its_history(client, clara, manager):
    observation = Observation.objects.filter(contact=clara).earliest("pk")
    assert observation.history.count() == 2
    client.force_login(manager)

    client.post(reverse("observation_delete", args=[observation.pk]))

    assert Observation.history.filter(id=observation.pk).count() == 0
    assert not Observation.history.filter(text__icontains="nuts").exists()


def test_erasure_removes_what_came_of_her_gifts_but_keeps_the_gifts(client, clara, lead):
    from gestures.models import GestureOutcome
    from gestures.outcomes import gesture_outcome_record

    for gesture in clara.gestures.all():
        gesture_outcome_record(
            gesture=gesture, by=lead, result="felt_wrong", note="Merle said it was too much"
        )
    client.force_login(lead)
    response = client.post(
        reverse("contact_erase", args=[clara.pk]),
        {"confirm_name": "Clara Quellenberg", "reason": "Request by e-mail of 12 June"},
    )

    assert response.status_code == 302
    assert not GestureOutcome.objects.exists()
    assert Gesture.objects.filter(contact=clara, kind="gift").count() == 2
    assert "merle said" not in database_dump()
