"""A real browser: Lena opens her approval queue and approves a gift without a page reload,
then rejects another one with a reason."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gestures.models import Suggestion
from gestures.rules import Explanation, GiftReason
from gestures.services import suggestion_confirm
from tests.e2e.conftest import open_menu, sign_in
from tests.factories import ContactFactory, OrganizationFactory
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def awaiting_gift(owner, first_name, gift_name):
    event = timezone.localdate() + dt.timedelta(days=12)
    suggestion = GiftSuggestionFactory.create(
        contact=ContactFactory.create(
            owner=owner,
            first_name=first_name,
            last_name="Schneider",
            organization=OrganizationFactory.create(name="Hanseatic Logistics"),
        ),
        gift_item=GiftItemFactory.create(name=gift_name, price_eur=Decimal("42.00")),
        event_date=event,
        due_date=event - dt.timedelta(days=4),
        expires_on=event,
        explanation=Explanation(
            occasion="birthday",
            kind="gift",
            event_date=event,
            quotes=(("Loves single malt.", timezone.localdate(), "Anna Example"),),
            gift=GiftReason(
                sku=gift_name.upper(),
                name_en=gift_name,
                name_de=gift_name,
                price_eur=Decimal("42.00"),
                matched_interests=("whisky",),
                interest_labels=(("whisky", "Whisky", "Whisky"),),
                allowance_year=event.year,
                allowance_limit_eur=Decimal("50.00"),
                remaining_allowance_eur=Decimal("50.00"),
            ),
        ).as_json(),
    )
    suggestion_confirm(suggestion=suggestion, by=owner)
    return suggestion


def test_lena_approves_a_gift_in_her_queue_without_a_reload(page, lead, manager):
    approve_me = awaiting_gift(manager, "Julia", "Whisky tasting")
    reject_me = awaiting_gift(manager, "Jonas", "Cigar box")
    sign_in(page, "lena")

    open_menu(page).get_by_role("link", name="Team", exact=True).click()
    queue = page.locator("#approvals")
    expect(queue.get_by_role("heading", name="Waiting for your approval")).to_be_visible()
    page.evaluate("window.__marker = 'still the same page'")

    upcoming = page.locator("#upcoming")
    julia_row = upcoming.get_by_role("row").filter(has_text="Julia Schneider")
    expect(julia_row).to_contain_text("Awaiting approval")
    expect(upcoming.get_by_role("row").filter(has_text="Cigar box")).to_have_count(1)

    card = page.locator(f"#approval-{approve_me.pk}")
    expect(card.get_by_text("Whisky tasting", exact=True)).to_be_visible()
    expect(card.get_by_text("€42.00", exact=True)).to_be_visible()
    expect(
        card.get_by_text("It matches the recorded interests: Whisky.", exact=False)
    ).to_be_visible()
    expect(card.get_by_text("“Loves single malt.”", exact=False)).to_be_visible()
    card.get_by_role("button", name="Approve").click()

    expect(card.get_by_role("status")).to_contain_text("Approved")
    expect(page.get_by_text("Approved: the gift for Julia Schneider.")).to_be_visible()
    # The upcoming table follows the decision without a reload.
    expect(julia_row).to_contain_text("Approved")
    assert page.evaluate("window.__marker") == "still the same page"

    other = page.locator(f"#approval-{reject_me.pk}")
    other.get_by_text("Reject…").click()
    other.get_by_label("Why not? The account manager reads this.").fill(
        "Cigars do not suit a health insurer."
    )
    other.get_by_role("button", name="Reject").click()
    expect(other.get_by_role("status")).to_contain_text("Reason: Cigars do not suit")
    # The rejected gift leaves the upcoming table (a note for the birthday takes its place).
    expect(upcoming.get_by_role("row").filter(has_text="Cigar box")).to_have_count(0)
    assert page.evaluate("window.__marker") == "still the same page"

    approve_me.refresh_from_db()
    reject_me.refresh_from_db()
    assert approve_me.status == Suggestion.Status.APPROVED
    assert reject_me.status == Suggestion.Status.REJECTED
    assert reject_me.reason_text == "Cigars do not suit a health insurer."
