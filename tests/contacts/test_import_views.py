"""The import pages, the duplicates page and merge, vCard downloads: per role, with and
without HTMX, another team's objects a 404."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.contact_import.service import contact_import_run
from contacts.models import Contact, ContactImport
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "import_files"


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(
        dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin")), tick=False
    ):
        yield


def upload(client, name, content=None, **data):
    content = (FILES / name).read_bytes() if content is None else content
    return client.post(
        reverse("contact_import_new"), {"file": SimpleUploadedFile(name, content), **data}
    )


def test_account_manager_uploads_maps_previews_and_imports(
    client, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    assert client.get(reverse("contact_import_new")).status_code == 200
    response = upload(client, "outlook_de.csv")
    job = ContactImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("contact_import_detail", args=[job.pk])
    assert (job.default_owner, job.team, job.format, job.total_rows) == (
        manager,
        manager.team,
        "csv",
        3,
    )

    page = client.get(response.url).content.decode()
    assert (
        "would be 3 new, 0 updated, 0 unchanged, 0 likely duplicates (skipped), 0 rejected" in page
    )
    assert "Jörg" in page and "Müller &amp; Söhne GmbH" in page  # the preview, escaped
    assert '<option value="email" selected>' in page

    # Change the mapping: the e-mail column is ignored from now on.
    email_column = job.mapping and next(k for k, v in job.mapping.items() if v == "email")
    post = {f"column-{k}": v for k, v in job.mapping.items() if k != email_column}
    client.post(response.url, {**post, "action": "preview"})
    job.refresh_from_db()
    assert "email" not in job.mapping.values()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(response.url, {**post, "action": "import"})
    job.refresh_from_db()
    assert job.status == "queued"
    assert len(callbacks) == 1
    assert not Contact.objects.exists()  # the worker imports

    progress = client.get(
        reverse("contact_import_progress", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert b"<progress" in progress.content and b'hx-trigger="every 1s"' in progress.content

    contact_import_run(import_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    assert job.result["created"] == 3
    assert set(Contact.objects.values_list("email", flat=True)) == {""}
    done = client.get(
        reverse("contact_import_progress", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert done.headers["HX-Refresh"] == "true"
    result = client.get(reverse("contact_import_detail", args=[job.pk])).content.decode()
    assert "3 new contacts" in result
    # Running it again (a redelivered task) does nothing.
    contact_import_run(import_id=job.pk)
    assert Contact.objects.count() == 3


def test_rows_with_errors_are_listed_and_block_the_import(client, manager):
    client.force_login(manager)
    content = "Vorname;Nachname;E-Mail\r\nAnna;Alt;kaputt\r\nBen;Neu;ben@example.com\r\n".encode(
        "cp1252"
    )
    response = upload(client, "contacts.csv", content)
    page = client.get(response.url).content.decode()
    assert "row 2: invalid e-mail &#x27;kaputt&#x27;" in page
    assert 'value="import" disabled' in page
    job = ContactImport.objects.get()
    post = {f"column-{k}": v for k, v in job.mapping.items()}
    client.post(response.url, {**post, "action": "import"})
    job.refresh_from_db()
    assert job.status == "draft"
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "The submitted file is empty."),
        ("sheet.xlsx", b"PK\x03\x04" + bytes(range(256)) * 8, "not a text file"),
        ("big.csv", b"a,b\n" + b"x" * (5 * 1024 * 1024), "larger than 5 MB"),
        ("nothing.csv", b"First Name,Last Name\n", "header row but no contacts"),
    ],
)
def test_bad_files_get_a_message_not_an_error(client, manager, name, content, message):
    client.force_login(manager)
    response = upload(client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ContactImport.objects.exists()


def test_team_lead_chooses_the_owner_within_the_team(client, lead, manager, outsider):
    client.force_login(lead)
    upload(client, "google.csv", owner=manager.pk)
    assert ContactImport.objects.get().default_owner == manager
    response = upload(client, "google.csv", owner=outsider.pk)
    assert response.status_code == 200
    assert ContactImport.objects.count() == 1


def test_another_teams_or_colleagues_import_is_a_404(client, manager, colleague, outsider, lead):
    client.force_login(manager)
    upload(client, "google.csv")
    job = ContactImport.objects.get()
    for user in (outsider, colleague):
        client.force_login(user)
        assert client.get(reverse("contact_import_detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("contact_import_progress", args=[job.pk])).status_code == 404
        assert (
            client.post(
                reverse("contact_import_detail", args=[job.pk]), {"action": "import"}
            ).status_code
            == 404
        )
    client.force_login(lead)  # the team lead may look at it
    assert client.get(reverse("contact_import_detail", args=[job.pk])).status_code == 200


def test_vcard_upload_shows_the_preview_without_mapping(client, manager):
    client.force_login(manager)
    response = upload(client, "apple.vcf")
    page = client.get(response.url).content.decode()
    assert "Birgit" in page and "17.8." in page
    assert 'name="column-0"' not in page


def test_duplicates_page_and_merge_for_team_leads(client, lead, manager, outsider):
    acme = OrganizationFactory.create(name="ACME")
    a = ContactFactory.create(
        owner=manager, first_name="Anna", last_name="Schmidt", organization=acme
    )
    b = ContactFactory.create(
        owner=manager, first_name="Anna", last_name="Schmitt", organization=acme
    )
    theirs = ContactFactory.create(
        owner=outsider, first_name="Anna", last_name="Schmidt", organization=acme
    )
    client.force_login(manager)
    assert client.get(reverse("contact_duplicates")).status_code == 403
    assert client.post(reverse("contact_merge"), {"keep": a.pk, "other": b.pk}).status_code == 403
    client.force_login(lead)
    page = client.get(reverse("contact_duplicates")).content.decode()
    assert "Similar names in the same organization" in page
    assert f'value="{theirs.pk}"' not in page
    # Another team's contact is a 404, not a merge.
    assert (
        client.post(reverse("contact_merge"), {"keep": a.pk, "other": theirs.pk}).status_code == 404
    )
    response = client.post(reverse("contact_merge"), {"keep": a.pk, "other": b.pk})
    assert response.url == reverse("contact_detail", args=[a.pk])
    assert not Contact.objects.filter(pk=b.pk).exists()
    follow = client.get(response.url).content.decode()
    assert "Anna Schmitt was merged into Anna Schmidt." in follow
    assert client.post(reverse("contact_merge"), {"keep": a.pk, "other": a.pk}).status_code == 302


def test_admin_sees_duplicates_of_every_team(client, admin_user, lead, outsider):
    acme = OrganizationFactory.create(name="ACME")
    ContactFactory.create(owner=lead, email="same@example.com", organization=acme)
    ContactFactory.create(owner=lead, email="same@example.com", organization=None)
    ContactFactory.create(owner=outsider, email="x@example.com")
    ContactFactory.create(owner=outsider, email="X@example.com")
    client.force_login(admin_user)
    assert client.get(reverse("contact_duplicates")).content.decode().count("Same e-mail") == 2


def test_vcard_download_of_one_contact_and_of_a_filtered_list(client, manager, outsider):
    mine = ContactFactory.create(owner=manager, first_name="Mia", last_name="Maier", tier="A")
    ContactFactory.create(owner=manager, first_name="Karl", last_name="Kurz", tier="C")
    theirs = ContactFactory.create(owner=outsider)
    client.force_login(manager)
    one = client.get(reverse("contact_vcard", args=[mine.pk]))
    assert one["Content-Type"] == "text/vcard; charset=utf-8"
    assert vobject.readOne(one.content.decode()).fn.value == "Mia Maier"
    assert client.get(reverse("contact_vcard", args=[theirs.pk])).status_code == 404
    listed = client.get(reverse("contact_list_vcard"), {"tier": "A"}).content.decode()
    assert [c.fn.value for c in vobject.readComponents(listed)] == ["Mia Maier"]
    everything = client.get(reverse("contact_list_vcard")).content.decode()
    assert theirs.full_name not in everything


def test_an_upload_far_over_the_limit_is_refused_before_it_is_read(client, manager):
    client.force_login(manager)
    response = upload(client, "huge.csv", b"a,b\n" + b"x,y\n" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert "larger than 5 MB" in response.content.decode()
    assert not ContactImport.objects.exists()
