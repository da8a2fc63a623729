"""A real browser at phone size (390 x 844, the page fixture's): Anna logs an observation
after a meeting, confirms a suggestion on her home and takes it back with Undo, without a
reload; the counts follow and the undo is in the suggestion's history."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gestures.models import Suggestion, SuggestionTransition
from gestures.services import UNDO_REASON
from tests.e2e.conftest import sign_in, wait_until_htmx_binds
from tests.factories import ContactFactory
from tests.gestures.factories import SuggestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_anna_logs_an_observation_confirms_and_undoes_on_a_phone(page, manager):
    julia = ContactFactory.create(first_name="Julia", last_name="Schneider", owner=manager)
    note = SuggestionFactory.create(
        contact=julia, event_date=timezone.localdate() + dt.timedelta(days=3)
    )
    sign_in(page, "anna")
    assert page.viewport_size == {"width": 390, "height": 844}

    # "Log observation" is one tap away, outside the menu.
    page.get_by_role("link", name="Log observation").click()
    wait_until_htmx_binds(page, "[name=contact_q]")
    with page.expect_response(re.compile(r"/contacts/picker")):
        page.get_by_role("searchbox", name="Search contacts").fill("Schneider")
    page.get_by_role("radio", name=re.compile("Julia Schneider")).check()
    page.get_by_label("What did you notice?").fill("Loves hiking in the Alps.")
    page.get_by_role("button", name="Save observation").click()
    page.wait_for_url(re.compile(rf"/contacts/{julia.pk}/"))
    expect(page.get_by_text("Observation about Julia Schneider saved")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto("/")
    heading = page.locator("#open-suggestions")
    expect(heading).to_have_text("1 open suggestion for your contacts")
    page.evaluate("window.__marker = 1")
    card = page.locator(f"#suggestion-{note.pk}")
    card.get_by_role("button", name="Confirm", exact=True).click()
    expect(card.locator(".chip-status-confirmed")).to_have_text("To do")

    card.get_by_role("button", name="Undo").click()
    expect(page.locator("#messages")).to_contain_text("Undone")
    expect(card.locator(".chip-status-confirmed")).to_have_count(0)
    expect(card.get_by_role("button", name="Confirm", exact=True)).to_be_visible()
    expect(heading).to_have_text("1 open suggestion for your contacts")
    assert page.evaluate("window.__marker") == 1  # no reload

    note.refresh_from_db()
    assert note.status == Suggestion.Status.PENDING
    assert SuggestionTransition.objects.filter(suggestion=note, reason=UNDO_REASON).count() == 1
