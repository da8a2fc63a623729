"""A real browser: Anna logs an observation after a meeting, reviews the facts, saves."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, wait_until_htmx_binds
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_anna_logs_an_observation_and_keeps_the_facts_she_wants(page, manager):
    julia = ContactFactory.create(
        first_name="Julia",
        last_name="Schneider",
        owner=manager,
        organization=OrganizationFactory(name="Hanseatic Logistics"),
    )
    sign_in(page, "anna")

    page.get_by_role("link", name="Log observation").click()
    search = page.get_by_role("searchbox", name="Search contacts")
    # Typing before htmx has bound the box would send no search: wait until it has.
    wait_until_htmx_binds(page, "[name=contact_q]")
    with page.expect_response(re.compile(r"/contacts/picker")):
        search.fill("hanse")
    page.get_by_role("radio", name=re.compile("Julia Schneider")).check()
    page.get_by_label("What did you notice?").fill(
        "Her birthday is March 3rd. Loves hiking and jazz."
    )

    preview = page.locator("#fact-preview")
    expect(preview.get_by_text("Birthday: 3 March")).to_be_visible()
    expect(preview.get_by_text("Interest: Hiking")).to_be_visible()
    expect(preview.get_by_text("Interest: Jazz")).to_be_visible()
    preview.get_by_role("checkbox", name="Interest: Jazz").uncheck()
    page.get_by_role("button", name="Save observation").click()

    page.wait_for_url(re.compile(rf"/contacts/{julia.pk}/"))
    facts = page.locator("#facts")
    expect(facts.get_by_text("Birthday: 3 March")).to_be_visible()
    expect(facts.get_by_text("Interest: Hiking")).to_be_visible()
    expect(facts.get_by_text("Interest: Jazz")).to_have_count(0)
    expect(
        page.get_by_text("Observation about Julia Schneider saved with 2 fact(s).")
    ).to_be_visible()
