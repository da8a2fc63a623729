"""A real browser: Anna writes the note's draft in her own words and marks the note done;
two weeks later (the clock moved on) her dashboard asks what came of it, one click records it
without a page reload, and later she corrects it on the contact's page to "felt wrong", with
why."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gestures.models import Gesture, GestureOutcome
from tests.conftest import TICKING_FROM
from tests.e2e.conftest import open_action, sign_in
from tests.e2e.test_dashboard import hiker
from tests.gestures.factories import SuggestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_anna_edits_a_draft_marks_the_note_done_and_records_what_came_of_it_two_weeks_later(
    page, manager, ticking_clock
):
    nora = hiker(manager, "Nora")
    note = SuggestionFactory.create(
        contact=nora,
        event_date=TICKING_FROM.date() + dt.timedelta(days=5),
        draft="Dear Nora Berg,\n\nhappy birthday!\n\nWarm regards,",
        draft_variant="birthday.warm",
    )
    sign_in(page, "anna")

    card = page.locator(f"#suggestion-{note.pk}")
    draft = card.locator(".suggestion-draft")
    draft.locator("summary").click()
    own_words = "Dear Nora,\n\nhappy birthday, and many good hikes this year!\n\nAnna"
    draft.locator("textarea[name=draft]").fill(own_words)
    draft.get_by_role("button", name="Save draft").click()
    expect(page.locator("#messages")).to_contain_text("Draft saved")
    open_action(card, "Mark done").get_by_role("button", name="Record as done").click()
    expect(card).to_contain_text("done and recorded")
    gesture = Gesture.objects.get(suggestion=note)
    assert gesture.date == TICKING_FROM.date()
    assert gesture.card_text == own_words

    # The next days nothing is asked yet.
    # Sessions last twelve hours: each of those days Anna signs in again.
    ticking_clock.move_to(TICKING_FROM + dt.timedelta(days=13))
    sign_in(page, "anna")
    page.goto("/gestures/")
    expect(page.get_by_role("heading", name="My gestures")).to_be_visible()
    expect(page.locator("#outcome-requests")).to_have_count(0)

    # Two weeks later the dashboard asks.
    ticking_clock.move_to(TICKING_FROM + dt.timedelta(days=14))
    sign_in(page, "anna")
    page.goto("/gestures/")
    asked = page.locator("#outcome-requests")
    expect(asked.get_by_role("heading", name="What came of it?")).to_be_visible()
    item = asked.locator(f"#outcome-request-{gesture.pk}")
    expect(item).to_contain_text("Nora Berg")
    expect(item).to_contain_text("Handwritten note")
    expect(item).to_contain_text("done on 23 November 2026")
    page.evaluate("window.__marker = 'same page'")

    item.get_by_role("button", name="Thanked").click()
    expect(item.locator(".outcome-recorded")).to_contain_text("What came of it: Thanked")
    expect(item.locator(".outcome-recorded")).to_contain_text("recorded by")
    assert page.evaluate("window.__marker") == "same page"
    outcome = GestureOutcome.objects.get(gesture=gesture)
    assert (outcome.result, outcome.recorded_by) == ("thanked", manager)

    # Next week it is asked no more; on Nora's page Anna corrects it.
    ticking_clock.move_to(TICKING_FROM + dt.timedelta(days=21))
    sign_in(page, "anna")
    page.goto("/gestures/")
    expect(page.get_by_role("heading", name="My gestures")).to_be_visible()
    expect(page.locator("#outcome-requests")).to_have_count(0)
    page.goto(f"/contacts/{nora.pk}/")
    block = page.locator(f"#outcome-{gesture.pk}")
    expect(block).to_contain_text("What came of it: Thanked")
    block.locator("summary", has_text="Change what came of it").click()
    block.get_by_role("button", name="Felt wrong").click()
    expect(block.get_by_role("alert")).to_contain_text("Say in a few words why it felt wrong")
    block.get_by_label("Why it felt wrong (or any note)").fill("Her mother had just died.")
    block.get_by_role("button", name="Felt wrong").click()
    expect(block.locator(".outcome-recorded")).to_contain_text("Felt wrong")
    expect(block).to_contain_text("Her mother had just died.")

    outcome.refresh_from_db()
    assert (outcome.result, outcome.note) == ("felt_wrong", "Her mother had just died.")
    recorded_on = timezone.localtime(outcome.recorded_at).date()
    assert recorded_on == (TICKING_FROM + dt.timedelta(days=21)).date()
