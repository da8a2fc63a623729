"""A real browser: Anna finds the scan's draft for Nora's birthday on the card, writes it in
her own words without a page reload, marks the note done, and prints the final text."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contacts.services import observation_create
from gestures.models import Gesture, Suggestion
from gestures.scan import contact_rescan
from tests.e2e.conftest import sign_in
from tests.factories import ContactFactory, gesture_recorded

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_anna_edits_the_draft_and_marks_the_note_done(page, manager, noras_birthday):
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

    card.locator("summary", has_text="Mark done").click()
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
