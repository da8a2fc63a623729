"""A real browser: Anna finds the scan's draft for Nora's birthday on the card, writes it in
her own words without a page reload, marks the note done, prints the final text, and two
weeks later records on her dashboard what came of it. The clock is pinned (it ticks from a
fixed moment, for the browser's waits)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from contacts.services import observation_create
from gestures.models import Gesture, GestureOutcome, Suggestion
from gestures.scan import contact_rescan
from tests.e2e.conftest import sign_in
from tests.factories import ContactFactory, gesture_recorded

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("pinned_clock")]

START = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def pinned_clock():
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture
def noras_birthday(manager):
    today = timezone.localdate()
    contact = ContactFactory.create(
        owner=manager, first_name="Nora", last_name="Berg", language="de", salutation="Frau"
    )
    gesture_recorded(contact=contact, kind="call", date=today, by=manager)
    birthday = today + dt.timedelta(days=10)
    observation_create(
        contact=contact,
        author=manager,
        text=f"Ihr Geburtstag ist am {birthday:%d.%m.}. Sie liebt Wandern.",
        noted_on=today - dt.timedelta(days=30),
        rescan=False,
    )
    contact_rescan(contact_id=contact.pk, today=today)
    return Suggestion.objects.get(contact=contact, occasion="birthday")


def test_anna_edits_the_draft_marks_the_note_done_and_records_what_came_of_it(
    page, manager, noras_birthday, pinned_clock
):
    suggestion = noras_birthday
    assert suggestion.kind == "note"
    assert suggestion.draft.startswith("Liebe Frau Berg,")
    sign_in(page, "anna")
    page.evaluate("window.__marker = 1")

    card = page.locator(f"#suggestion-{suggestion.pk}")
    draft = card.locator(".suggestion-draft")
    expect(draft.locator("summary")).to_contain_text("Liebe Frau Berg,")
    draft.locator("summary").click()
    textarea = draft.locator("textarea[name=draft]")
    expect(textarea).to_have_value(suggestion.draft)

    own_words = (
        "Liebe Frau Berg,\n\nalles Gute zum Geburtstag und viele schöne Touren beim Wandern!"
        "\n\nHerzliche Grüße\nAnna"
    )
    textarea.fill(own_words)
    draft.get_by_role("button", name="Save draft").click()
    expect(page.locator("#messages")).to_contain_text("Draft saved")
    expect(card.locator(".suggestion-draft textarea")).to_have_value(own_words)
    assert page.evaluate("window.__marker") == 1  # no reload
    suggestion.refresh_from_db()
    assert suggestion.draft == own_words

    card.locator(".suggestion-actions a", has_text="Mark done").click()
    card.get_by_role("button", name="Record as done").click()
    expect(card).to_contain_text("done and recorded")
    assert page.evaluate("window.__marker") == 1

    gesture = Gesture.objects.get(suggestion=suggestion)
    assert gesture.card_text == own_words
    assert gesture.draft_variant == suggestion.draft_variant != ""

    page.goto(f"/suggestions/{suggestion.pk}/card/")
    card_a6 = page.locator("article.card-a6")
    expect(card_a6).to_contain_text("viele schöne Touren beim Wandern")
    # Laid out A6 wide (105 mm at 96 dpi is about 397 px).
    width = card_a6.evaluate("element => element.getBoundingClientRect().width")
    assert 390 <= width <= 400

    # Not asked yet: the gesture was made today.
    page.goto("/gestures/")
    expect(page.locator("#outcome-requests")).to_have_count(0)

    # Two weeks later Anna signs in again and is asked what came of it.
    pinned_clock.move_to(START + dt.timedelta(days=14))
    page.context.clear_cookies()
    sign_in(page, "anna")
    request = page.locator(f"#outcome-request-{gesture.pk}")
    expect(request).to_contain_text("Nora Berg")
    page.evaluate("window.__marker = 2")
    request.get_by_role("button", name="Thanked").click()
    expect(request.locator(".outcome-recorded")).to_contain_text("Thanked")
    assert page.evaluate("window.__marker") == 2  # one click, no reload
    outcome = GestureOutcome.objects.get(gesture=gesture)
    assert (outcome.result, outcome.recorded_by) == ("thanked", manager)
    assert outcome.recorded_at.date() == (START + dt.timedelta(days=14)).date()
