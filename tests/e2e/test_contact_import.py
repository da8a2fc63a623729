"""A real browser and a real worker: Anna imports a CSV file, corrects the column mapping,
watches the progress bar and reads the result."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from contacts.models import Contact
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 5000


def test_anna_imports_a_csv_file_with_the_mapping_step_and_the_progress_bar(
    page, manager, live_worker, tmp_path
):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    # "Kategorie" is not a column relcrm recognises: Anna maps it to the tier herself.
    writer.writerow(["Vorname", "Nachname", "E-Mail-Adresse", "Firma", "Kategorie", "Notizen"])
    for i in range(ROWS):
        writer.writerow(
            [
                f"Jörg{i}",
                f"Müller{i}",
                f"p{i}@example.de",
                f"Firma {i % 50}",
                "A",
                "Liebt Wandern und Jazz.",
            ]
        )
    path = tmp_path / "outlook.csv"
    path.write_bytes(buffer.getvalue().encode("cp1252"))

    sign_in(page, "anna")
    page.goto("/contacts/")
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()

    page.wait_for_url(re.compile(r"/contacts/import/\d+/$"))
    expect(page.get_by_text(f"{ROWS} rows")).to_be_visible()
    expect(page.get_by_label("E-Mail-Adresse")).to_have_value("email")
    expect(page.get_by_label("Kategorie")).to_have_value("")
    preview = page.locator("#import-preview")
    expect(preview.get_by_text("Jörg0 Müller0")).to_be_visible()

    page.get_by_label("Kategorie").select_option("tier")
    page.get_by_role("button", name="Apply mapping").click()
    expect(page.get_by_label("Kategorie")).to_have_value("tier")
    expect(page.get_by_text(f"would be {ROWS} new")).to_be_visible()

    page.get_by_role("button", name="Import", exact=True).click()
    progress = page.locator("#import-progress progress")
    expect(progress).to_be_visible()
    # The bar is polled until the worker is done; then the page shows the result.
    expect(page.locator("#import-result")).to_contain_text(f"{ROWS} new contacts", timeout=90_000)

    assert Contact.objects.filter(owner=manager).count() == ROWS
    assert set(Contact.objects.values_list("tier", flat=True)) == {"A"}
    assert Contact.objects.get(email="p0@example.de").facts.filter(tag="jazz").exists()
