"""import_contacts and the import service: CSV in the shapes Outlook (English and German),
Google Contacts, HubSpot and Excel write, matching, idempotence, all or nothing."""

import csv
import datetime as dt
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from contacts.contact_import.columns import mapping_propose
from contacts.contact_import.files import FileUnreadable, table_read
from contacts.contact_import.service import contacts_import
from contacts.models import Contact, Fact, Observation, Organization
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "import_files"
TODAY = dt.date(2026, 11, 23)


def org(contact):
    return contact.organization.name if contact.organization else None


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(
        dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin")), tick=False
    ):
        yield


def run(path, *args):
    out = io.StringIO()
    call_command(
        "import_contacts", str(path), "--team", "Key Accounts", "--json", *args, stdout=out
    )
    return json.loads(out.getvalue())


def facts_of(contact):
    return {
        (f.kind, f.tag or f.subject or f.title, f.month, f.day, f.year) for f in contact.facts.all()
    }


def test_outlook_german_cp1252_semicolons_quoted_newlines_and_empty_rows(lead):
    table = table_read((FILES / "outlook_de.csv").read_bytes())
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert len(table.rows) == 3  # the empty row is left out, numbering keeps it
    assert [number for number, _cells in table.rows] == [2, 3, 5]

    assert run(FILES / "outlook_de.csv") == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 0,
        "rejected": [],
    }
    joerg = Contact.objects.get(email="joerg.mueller@example.de")
    assert (joerg.first_name, joerg.last_name, joerg.title, joerg.phone) == (
        "Jörg",
        "Müller",
        "Einkaufsleiter",
        "+49 711 123456",
    )
    assert org(joerg) == "Müller & Söhne GmbH"
    assert joerg.owner == lead and joerg.team == lead.team
    # The notes are one observation, with its facts read as if typed.
    note = joerg.observations.get(text__startswith="Trinkt")
    assert note.text == "Trinkt keinen Alkohol.\nLiebt Wandern und Jazz."
    assert note.noted_on == TODAY
    assert facts_of(joerg) >= {
        ("constraint", "no_alcohol", None, None, None),
        ("interest", "hiking", None, None, None),
        ("interest", "jazz", None, None, None),
        ("birthday", "", 3, 14, 1975),
    }
    # Outlook's empty birthday (0.0.00) is no birthday.
    aenne = Contact.objects.get(email="aenne@example.de")
    assert not aenne.facts.exists()
    # A birthday both in its column and in the note is one birthday fact.
    stefan = Contact.objects.get(email="s.weiss@example.de")
    assert stefan.facts.filter(kind="birthday").count() == 1
    # Both people of one company share one organization.
    assert Organization.objects.filter(name="Müller & Söhne GmbH").count() == 1


def test_outlook_english_commas_us_dates(lead):
    table = table_read((FILES / "outlook_en.csv").read_bytes())
    assert (table.encoding, table.delimiter) == ("cp1252", ",")
    # Outlook's "Title" is the salutation; the job title is "Job Title".
    mapping = mapping_propose(table.headers)
    assert mapping[str(table.headers.index("Job Title"))] == "title"
    assert str(table.headers.index("Title")) not in mapping

    run(FILES / "outlook_en.csv")
    jose = Contact.objects.get(email="jose.nunez@example.com")
    assert (jose.first_name, jose.last_name, org(jose)) == (
        "José",
        "Núñez",
        "Café Olé Ltd",
    )
    assert ("birthday", "", 6, 1, 1970) in facts_of(jose)  # 6/1/1970 is June 1st
    assert ("interest", "chess", None, None, None) in facts_of(jose)
    assert jose.facts.filter(kind="role_change", title="Head of Procurement").exists()
    assert not Contact.objects.get(email="zoe@example.com").facts.exists()


def test_google_contacts(lead):
    assert run(FILES / "google.csv")["created"] == 2
    soren = Contact.objects.get(email="soren@example.dk")
    assert (soren.first_name, soren.last_name, soren.title, soren.phone) == (
        "Søren",
        "Kierkegård",
        "CTO",
        "+45 1234 5678",
    )
    assert org(soren) == "Nordlys A/S"
    assert ("interest", "sailing", None, None, None) in facts_of(soren)
    assert ("birthday", "", 5, 5, 1981) in facts_of(soren)
    # Google writes a birthday without a year as --MM-DD.
    lucja = Contact.objects.get(email="lucja@example.pl")
    assert ("birthday", "", 7, 21, None) in facts_of(lucja)


def test_hubspot_owner_by_name_and_record_id(lead, manager):
    manager.first_name, manager.last_name = "Anna", "Schmidt"
    manager.save()
    assert run(FILES / "hubspot.csv")["created"] == 2
    maelle = Contact.objects.get(external_id="501")
    assert (maelle.last_name, maelle.title, maelle.owner) == (
        "Lefèvre",
        "Directrice financière",
        manager,
    )
    assert Contact.objects.get(external_id="502").owner == lead  # no owner in the row: the default


def test_hubspot_unknown_owner_is_rejected(lead):
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 row"):
        call_command(
            "import_contacts",
            str(FILES / "hubspot.csv"),
            "--team",
            "Key Accounts",
            "--json",
            stdout=out,
        )
    assert json.loads(out.getvalue())["rejected"] == [
        {"row": 2, "reason": "unknown owner 'Anna Schmidt'"}
    ]
    assert not Contact.objects.exists()


def test_excel_utf8_with_bom(lead):
    table = table_read((FILES / "excel_bom.csv").read_bytes())
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ";")
    assert table.headers[0] == "Vorname"  # no BOM left in the first header
    run(FILES / "excel_bom.csv")
    guenther = Contact.objects.get(email="g.strauss@example.at")
    assert (guenther.first_name, guenther.last_name, guenther.tier) == ("Günther", "Strauß", "A")
    assert ("birthday", "", 2, 1, 1960) in facts_of(guenther)
    assert {"whisky", "chess"} <= {f.tag for f in guenther.facts.filter(kind="interest")}
    assert Contact.objects.get(email="ulku@example.com").tier == "C"


@pytest.mark.parametrize(
    "name", ["outlook_de.csv", "outlook_en.csv", "google.csv", "excel_bom.csv"]
)
def test_reimport_of_the_same_file_changes_nothing(lead, name):
    run(FILES / name)
    before = (
        Contact.objects.count(),
        Observation.objects.count(),
        Fact.objects.count(),
        Organization.objects.count(),
    )
    history = Contact.history.count()
    summary = run(FILES / name)
    assert summary["created"] == summary["updated"] == 0
    assert summary["unchanged"] == Contact.objects.count()
    after = (
        Contact.objects.count(),
        Observation.objects.count(),
        Fact.objects.count(),
        Organization.objects.count(),
    )
    assert after == before
    assert Contact.history.count() == history


def _csv(
    rows, header=("First Name", "Last Name", "E-mail Address", "Company", "Notes", "External ID")
):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def test_matching_on_external_id_then_email_updates(lead, tmp_path):
    stored = ContactFactory.create(
        owner=lead,
        first_name="Eva",
        last_name="Alt",
        email="eva@example.com",
        external_id=None,
        title="",
    )
    by_id = ContactFactory.create(
        owner=lead, first_name="Max", last_name="Alt", email="max@example.com", external_id="crm-7"
    )
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        _csv(
            [
                ["Eva", "Neu", "EVA@example.com", "", "", ""],
                ["Max", "Alt", "max.new@example.com", "", "", "crm-7"],
            ]
        )
    )
    assert run(path, "--dry-run") == {
        "created": 0,
        "updated": 2,
        "unchanged": 0,
        "duplicates": 0,
        "rejected": [],
    }
    assert Contact.objects.get(pk=stored.pk).last_name == "Alt"  # a dry run writes nothing
    assert run(path)["updated"] == 2
    stored.refresh_from_db()
    by_id.refresh_from_db()
    assert stored.last_name == "Neu"
    assert by_id.email == "max.new@example.com"
    assert Contact.history.filter(id=stored.pk, history_change_reason="contact import").exists()
    assert run(path)["unchanged"] == 2


def test_a_bad_row_means_nothing_is_written(lead, tmp_path):
    path = tmp_path / "contacts.csv"
    rows = [
        [f"Person{i}", "Test", f"p{i}@example.com", "ACME", "Loves golf.", ""] for i in range(30)
    ]
    rows[11][2] = "not-an-address"
    path.write_bytes(_csv(rows))
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_contacts", str(path), "--team", "Key Accounts", "--json", stdout=out)
    assert json.loads(out.getvalue())["rejected"] == [
        {"row": 13, "reason": "invalid e-mail 'not-an-address'"}
    ]
    assert not Contact.objects.exists()
    assert not Observation.objects.exists()
    assert not Organization.objects.exists()


def test_a_database_error_rolls_back_everything(lead, tmp_path):
    """A row that passes every check but breaks a database rule stops the whole import."""
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        _csv(
            [
                ["Ann", "One", "ann@example.com", "ACME", "", ""],
                ["Bob", "Two", "bob@example.com", "ACME", "", ""],
            ]
        )
    )
    table = table_read(path.read_bytes())
    plan = contacts_import(
        table=table,
        mapping=None,
        team=lead.team,
        default_owner=lead,
        by=lead,
        noted_on=TODAY,
        dry_run=True,
    )
    from contacts.contact_import.write import plan_write

    plan.rows[1].tier = "Z"  # violates contact_tier_valid when written
    with pytest.raises(Exception):  # noqa: B017, PT011 - the database's IntegrityError
        plan_write(plan, by=lead, noted_on=TODAY)
    assert not Contact.objects.exists()
    assert not Organization.objects.exists()


def test_duplicates_in_the_file_and_among_stored_contacts_are_skipped(lead, outsider, tmp_path):
    acme = OrganizationFactory.create(name="ACME GmbH")
    ContactFactory.create(
        owner=lead, first_name="Jürgen", last_name="Müller", organization=acme, email=""
    )
    ContactFactory.create(
        owner=outsider, external_id="theirs", first_name="Otto", last_name="Other"
    )
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        _csv(
            [
                ["Juergen", "Mueller", "", "ACME GmbH", "", ""],  # similar name, same organization
                ["Rita", "Roth", "rita@example.com", "Beta", "", ""],
                ["Rita", "Roth", "RITA@example.com", "Beta", "", ""],  # same e-mail as row 3
                ["Tom", "Tal", "", "Beta", "", ""],
                ["Tom", "Tal", "", "beta", "", ""],  # same name and organization as row 5
            ]
        )
    )
    summary = run(path)
    assert summary == {"created": 2, "updated": 0, "unchanged": 0, "duplicates": 3, "rejected": []}
    assert Contact.objects.filter(last_name="Roth").count() == 1
    path.write_bytes(_csv([["Otto", "Other", "", "", "", "theirs"]]))
    assert run(path, "--dry-run")["rejected"] == [
        {"row": 2, "reason": "external id 'theirs' belongs to a contact of another team"}
    ]


def test_rows_are_checked_with_clear_reasons(lead, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        _csv(
            [["", "", "x@example.com", "", "", ""], ["Al", "B", "", "", "", "i" * 101]],
            header=("First Name", "Last Name", "E-mail Address", "Company", "Notes", "External ID"),
        )
    )
    reasons = [r["reason"] for r in run(path, "--dry-run")["rejected"]]
    assert reasons == [
        "a contact needs a first or a last name",
        "external id is longer than 100 characters",
    ]
    path.write_bytes(
        _csv([["Al", "B", "31.02.1980", "b"]], header=("Vorname", "Nachname", "Geburtstag", "Tier"))
    )
    assert run(path, "--dry-run")["rejected"] == [
        {"row": 2, "reason": "birthday: invalid date '31.02.1980'"}
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\r\n\r\n,,\r\n", "The file is empty."),
        (b"First Name,Last Name\r\n", "header row but no contacts"),
        (
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 4,
            "not a text file",
        ),
        (b'First Name,Notes\r\nAnn,"never closed\r\n', "not valid CSV"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;\r\nBROKEN\r\n", "not a readable vCard"),
    ],
)
def test_unreadable_files_get_a_clear_message(lead, tmp_path, content, message):
    path = tmp_path / ("contacts.vcf" if content.startswith(b"BEGIN") else "contacts.csv")
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path)
    assert not Contact.objects.exists()


def test_files_over_the_size_limit_are_refused():
    with pytest.raises(FileUnreadable, match="larger than 5 MB"):
        table_read(b"a" * (5 * 1024 * 1024 + 1))


@pytest.mark.clock_free  # the volume; every smaller import test runs on every clock
def test_ten_thousand_rows(lead, tmp_path):
    header = [
        "First Name",
        "Last Name",
        "E-mail Address",
        "Company",
        "Job Title",
        "Birthday",
        "Notes",
    ]
    rows = [
        [
            f"Vorname{i}",
            f"Nachname{i}",
            f"person{i}@example.com",
            f"Firma {i % 400}",
            "Einkauf",
            f"{1 + i % 28}.{1 + i % 12}.19{50 + i % 50}",
            "Liebt Wandern." if i % 3 == 0 else "",
        ]
        for i in range(10_000)
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "big.csv"
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    assert run(path)["created"] == 10_000
    assert Contact.objects.count() == 10_000
    assert Organization.objects.count() == 400
    assert Fact.objects.filter(kind="birthday").count() == 10_000
    assert Fact.objects.filter(kind="interest", tag="hiking").count() == 3334
    assert run(path, "--dry-run")["unchanged"] == 10_000


def test_command_needs_a_team_and_a_known_owner(lead):
    with pytest.raises(CommandError, match="unknown team"):
        call_command("import_contacts", str(FILES / "google.csv"), "--team", "Nobody")
    with pytest.raises(CommandError, match="unknown user"):
        call_command("import_contacts", str(FILES / "google.csv"), "--owner", "ghost")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_contacts", "/nonexistent.csv", "--team", "Key Accounts")


def test_a_birthday_column_becomes_an_observation_that_reads_back_the_same(lead, tmp_path):
    """The observation a birthday column makes is worded so that editing it keeps its fact."""
    from contacts.contact_import.plan import YearlyDate
    from contacts.contact_import.write import _yearly_text
    from contacts.services import observation_extract

    path = tmp_path / "contacts.csv"
    path.write_bytes(
        _csv(
            [["Ida", "Iffland", "3/14/1975"], ["Olaf", "Ohm", "--08-17"]],
            header=("First Name", "Last Name", "Birthday"),
        )
    )
    run(path)
    for contact in Contact.objects.all():
        observation = contact.observations.get()
        stored = {(f.kind, f.month, f.day, f.year) for f in observation.facts.all()}
        _language, read = observation_extract(text=observation.text, noted_on=TODAY)
        assert {(f.kind, f.month, f.day, f.year) for f in read} == stored
    for language in ("en", "de"):
        for when in (YearlyDate(3, 14, 1975), YearlyDate(8, 17, None)):
            for kind, subject in (("birthday", ""), ("anniversary", "wedding")):
                _language, read = observation_extract(
                    text=_yearly_text(when, kind, language), noted_on=TODAY
                )
                assert [(f.kind, f.month, f.day, f.year, f.subject) for f in read] == [
                    (kind, when.month, when.day, when.year, subject)
                ]
