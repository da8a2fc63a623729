"""vCard 3.0 and 4.0 as Apple Contacts, Google and Outlook write them: import with the
same matching as CSV, and export of one contact or a list, round trip."""

import datetime as dt
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
import vobject
from django.core.management import call_command

from contacts.contact_import.vcard import GENERATED_NOTE, vcard_export
from contacts.models import Contact, Fact, Observation

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "import_files"


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


def yearly(contact, kind):
    return {(f.month, f.day, f.year, f.subject) for f in contact.facts.filter(kind=kind)}


def test_apple_contacts(lead):
    assert run(FILES / "apple.vcf")["created"] == 2
    birgit = Contact.objects.get(external_id="4F5C1D2E-7A8B-4C3D-9E0F-112233445566")
    assert (birgit.first_name, birgit.last_name, birgit.title, birgit.email, birgit.phone) == (
        "Birgit",
        "Köhler",
        "Vertriebsleiterin",
        "birgit.koehler@example.de",
        "+49 170 1234567",
    )
    assert org(birgit) == "Hansa Logistik GmbH"
    # Apple's 1604 means "no year"; its anniversary is an X-ABDATE labelled _$!<Anniversary>!$_.
    assert yearly(birgit, "birthday") == {(8, 17, None, "")}
    assert yearly(birgit, "anniversary") == {(6, 9, 2012, "wedding")}
    assert {("constraint", "no_alcohol"), ("interest", "sailing")} <= {
        (f.kind, f.tag) for f in birgit.facts.all()
    }
    assert birgit.observations.filter(
        text="Trinkt keinen Alkohol.\nSegelt gern auf der Ostsee."
    ).exists()


def test_google_vcard(lead):
    run(FILES / "google.vcf")
    chloe = Contact.objects.get(email="chloe.dubois@example.fr")
    assert (chloe.first_name, chloe.last_name, chloe.title, org(chloe)) == (
        "Chloé",
        "Dubois",
        "Head of Marketing",
        "Lumière SA",
    )
    assert yearly(chloe, "birthday") == {(2, 29, 1988, "")}
    assert {"jazz", "opera"} <= {f.tag for f in chloe.facts.filter(kind="interest")}


def test_outlook_vcard(lead):
    run(FILES / "outlook.vcf")
    juergen = Contact.objects.get(email="j.gross@example.de")
    assert (juergen.first_name, juergen.last_name, juergen.title, org(juergen)) == (
        "Jürgen",
        "Groß",
        "IT-Leiter",
        "Städtische Werke",
    )
    assert yearly(juergen, "birthday") == {(1, 15, 1970, "")}
    assert yearly(juergen, "anniversary") == {(5, 20, 2005, "wedding")}
    assert juergen.facts.filter(kind="interest", tag="cycling").exists()


def test_vcard_4(lead):
    run(FILES / "vcard4.vcf")
    ana = Contact.objects.get(external_id="urn:uuid:0b5e2f6a-1c3d-4e5f-8a9b-0c1d2e3f4a5b")
    assert (ana.first_name, ana.last_name, ana.phone) == ("Ana", "Łopez", "+34-91-555-0101")
    assert yearly(ana, "birthday") == {(4, 12, None, "")}
    assert yearly(ana, "anniversary") == {(7, 4, 2015, "wedding")}
    assert ana.facts.filter(kind="life_event", event="graduation").exists()


@pytest.mark.parametrize("name", ["apple.vcf", "google.vcf", "outlook.vcf", "vcard4.vcf"])
def test_vcard_reimport_changes_nothing(lead, name):
    run(FILES / name)
    counts = (Contact.objects.count(), Observation.objects.count(), Fact.objects.count())
    summary = run(FILES / name)
    assert summary["created"] == summary["updated"] == 0
    assert (Contact.objects.count(), Observation.objects.count(), Fact.objects.count()) == counts


def _export(contacts):
    return vcard_export(
        Contact.objects.filter(pk__in=[c.pk for c in contacts])
        .select_related("organization")
        .prefetch_related("facts", "observations")
        .order_by("pk")
    )


def test_export_round_trip(lead, tmp_path):
    for name in ("apple.vcf", "google.vcf", "outlook.vcf", "vcard4.vcf"):
        run(FILES / name)
    contacts = list(Contact.objects.order_by("pk"))
    exported = _export(contacts)
    cards = list(vobject.readComponents(exported))
    assert len(cards) == len(contacts) == 5
    birgit = next(c for c in cards if c.fn.value == "Birgit Köhler")
    assert birgit.bday.value == "--08-17"
    assert birgit.getChildValue("x-anniversary") == "2012-06-09"
    assert birgit.note.value == "Trinkt keinen Alkohol.\nSegelt gern auf der Ostsee."

    # The same file back in: nothing changes.
    path = tmp_path / "export.vcf"
    path.write_text(exported, encoding="utf-8")
    summary = run(path)
    assert summary["created"] == summary["updated"] == 0
    assert summary["unchanged"] == 5

    # Into an empty team: the same contacts, fields and yearly facts.
    def snapshot():
        return sorted(
            (
                c.first_name,
                c.last_name,
                c.email,
                c.phone,
                c.title,
                c.organization.name if c.organization else "",
                tuple(
                    sorted(
                        (f.kind, f.month, f.day, f.year)
                        for f in c.facts.filter(kind__in=["birthday", "anniversary"])
                    )
                ),
                tuple(
                    sorted(o.text for o in c.observations.all() if not GENERATED_NOTE.match(o.text))
                ),
            )
            for c in Contact.objects.select_related("organization")
        )

    before = snapshot()
    Contact.objects.all().delete()
    run(path)
    assert snapshot() == before


def test_export_of_a_contact_without_optional_fields(lead):
    from tests.factories import ContactFactory

    bare = ContactFactory.create(
        owner=lead, organization=None, email="", external_id=None, first_name="Solo", last_name=""
    )
    card = vobject.readOne(_export([bare]))
    assert card.fn.value == "Solo"
    assert "email" not in card.contents and "bday" not in card.contents
