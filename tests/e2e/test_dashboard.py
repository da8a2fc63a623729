"""A real browser on "My gestures": Anna confirms, dismisses, swaps and marks done, each
without a page reload, and the counters in the navigation follow; in German, the page
speaks German with German dates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contacts.models import Fact
from gestures.models import Gesture, Suggestion
from gestures.rules import format_date
from tests.e2e.conftest import open_action, open_menu, sign_in
from tests.factories import ContactFactory, OrganizationFactory, observation_recorded
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def hiker(owner, first_name):
    contact = ContactFactory.create(
        owner=owner,
        first_name=first_name,
        last_name="Berg",
        organization=OrganizationFactory.create(name=f"{first_name} GmbH"),
    )
    observation = observation_recorded(
        contact=contact,
        author=owner,
        text="Loves hiking in the Alps.",
        noted_on=timezone.localdate() - dt.timedelta(days=20),
    )
    Fact.objects.create(observation=observation, contact=contact, kind="interest", tag="hiking")
    return contact


@pytest.fixture
def anna_s_day(manager):
    today = timezone.localdate()
    soon = today + dt.timedelta(days=10)
    note = SuggestionFactory.create(contact=hiker(manager, "Nora"), event_date=soon)
    dismissable = GiftSuggestionFactory.create(
        contact=hiker(manager, "Dora"),
        event_date=soon,
        gift_item=GiftItemFactory.create(
            name="Trail map", tags=["hiking"], price_eur=Decimal("19")
        ),
    )
    swappable = GiftSuggestionFactory.create(
        contact=hiker(manager, "Sara"),
        event_date=soon,
        gift_item=GiftItemFactory.create(name="Compass", tags=["hiking"], price_eur=Decimal("15")),
    )
    GiftItemFactory.create(name="Hiking socks", tags=["hiking"], price_eur=Decimal("12"))
    return {"note": note, "dismissable": dismissable, "swappable": swappable}


def test_anna_decides_on_her_suggestions_without_a_reload(page, manager, anna_s_day):
    note, dismissable, swappable = (anna_s_day[k] for k in ("note", "dismissable", "swappable"))
    sign_in(page, "anna")
    expect(page.get_by_role("heading", name="My gestures")).to_be_visible()
    page.evaluate("window.__marker = 1")
    open_badge = page.locator('#nav-counters [data-counter="open"]')
    expect(open_badge).to_have_text("3 open")

    # Confirm the note: it becomes "to do".
    card = page.locator(f"#suggestion-{note.pk}")
    card.get_by_role("button", name="Confirm", exact=True).click()
    expect(card.locator(".chip-status-confirmed")).to_have_text("To do")
    expect(page.locator("#messages")).to_contain_text("Confirmed")

    # Dismiss a gift, with a reason; the open counter follows.
    card = page.locator(f"#suggestion-{dismissable.pk}")
    form = open_action(card, "Dismiss")
    form.get_by_label("Too expensive").check()
    form.get_by_role("button", name="Dismiss").click()
    expect(card).to_contain_text("dismissed (Too expensive)")
    expect(open_badge).to_have_text("2 open")

    # Swap a gift for another eligible one.
    card = page.locator(f"#suggestion-{swappable.pk}")
    form = open_action(card, "Other gift")
    form.get_by_label("Hiking socks").check()
    form.get_by_role("button", name="Swap gift").click()
    expect(card.locator(".suggestion-gift-name")).to_contain_text("Hiking socks")
    expect(page.locator("#messages")).to_contain_text("Gift changed to Hiking socks.")

    # Mark the confirmed note done, with what was written.
    card = page.locator(f"#suggestion-{note.pk}")
    form = open_action(card, "Mark done")
    form.get_by_label("What you wrote (optional)").fill("Happy birthday, Nora!")
    form.get_by_role("button", name="Record as done").click()
    expect(card).to_contain_text("done and recorded")
    expect(open_badge).to_have_text("1 open")

    assert page.evaluate("window.__marker") == 1
    assert Suggestion.objects.get(pk=dismissable.pk).reason == "too_expensive"
    assert Suggestion.objects.filter(pk=swappable.pk, gift_item__name="Hiking socks").exists()
    assert Gesture.objects.get(suggestion=note).note == "Happy birthday, Nora!"


def test_the_dashboard_in_german(page, manager):
    manager.language = "de"
    manager.save()
    event = timezone.localdate() + dt.timedelta(days=10)
    SuggestionFactory.create(contact=hiker(manager, "Greta"), event_date=event)

    sign_in(page, "anna")

    card = page.locator(".suggestion-card").first
    expect(card).to_contain_text(format_date(event, "de"))  # e.g. "3. Dezember 2026"
    expect(card).to_contain_text("in 10 Tagen")
    expect(card).to_contain_text("Vorschlag: eine handgeschriebene Karte.")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    open_menu(page)
    expect(page.get_by_role("link", name="Startseite")).to_be_visible()
    expect(page.get_by_role("heading", name="Meine Gesten", level=1)).to_be_visible()
    expect(card.get_by_role("button", name="Bestätigen")).to_be_visible()
    expect(card).to_contain_text("Fällig")
    expect(card).not_to_contain_text("Confirm")
