"""A real browser at phone size (390 x 844): Lena signs in, lands on her home, sees the gift
waiting for her first, approves it there without a reload, and the badge on her home entry
counts down. Then the month picker puts the month in the address, and a reload keeps it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gestures.models import Suggestion
from tests.e2e.conftest import sign_in
from tests.e2e.test_approval import awaiting_gift

pytestmark = pytest.mark.django_db(transaction=True)


def test_lena_approves_from_her_home_on_a_phone(page, lead, manager):
    waiting = awaiting_gift(manager, "Julia", "Whisky tasting")
    awaiting_gift(manager, "Jonas", "Cigar box")
    # Julia's gift is due this week, so it is also in "Due this week".
    Suggestion.objects.filter(pk=waiting.pk).update(due_date=timezone.localdate())
    sign_in(page, "lena")
    due_entry = page.locator("#due li").filter(has_text="Julia Schneider")
    expect(due_entry).to_contain_text("Awaiting approval")

    assert page.viewport_size == {"width": 390, "height": 844}
    badge = page.locator('#approval-counter [data-counter="approvals"]')
    expect(badge).to_have_text("2 waiting for your approval")
    queue = page.locator("#approvals")
    expect(queue.get_by_role("heading", name="Waiting for your approval")).to_be_visible()
    card = page.locator(f"#approval-{waiting.pk}")
    card.scroll_into_view_if_needed()
    expect(card.get_by_text("Whisky tasting", exact=True)).to_be_visible()
    page.evaluate("window.__marker = 'still the same page'")

    card.get_by_role("button", name="Approve").click()

    expect(card.get_by_role("status")).to_contain_text("Approved")
    expect(badge).to_have_text("1 waiting for your approval")
    expect(due_entry).to_contain_text("Approved")  # the list follows, without a reload
    assert page.evaluate("window.__marker") == "still the same page"
    waiting.refresh_from_db()
    assert waiting.status == Suggestion.Status.APPROVED
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_month_picker_puts_the_month_in_the_address(page, lead, manager):
    sign_in(page, "lena")

    section = page.locator("#month-overview")
    section.get_by_role("link", name="Previous month").click()
    page.wait_for_url("**/?month=*")
    month = page.url.split("month=")[1][:7]
    expect(page.locator("#month-input")).to_have_value(month)

    page.reload()

    expect(page.locator("#month-input")).to_have_value(month)
    assert page.locator("#approvals").count() == 1  # still her home, not the overview


def test_the_month_tables_are_not_clipped_on_a_laptop(page, lead, manager):
    from django.utils import timezone

    from gestures.services import suggestion_dismiss
    from tests.factories import ContactFactory
    from tests.gestures.factories import SuggestionFactory

    for reason in ("not_relevant", "wrong_timing", "too_expensive", "inappropriate", "other"):
        suggestion = SuggestionFactory.create(
            contact=ContactFactory.create(owner=manager),
            event_date=timezone.localdate(),
            due_date=timezone.localdate(),
        )
        suggestion_dismiss(
            suggestion=suggestion, by=manager, reason=reason, reason_text="Not for her."
        )
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "lena")

    for url in ("/", "/team/overview/"):
        page.goto(url)
        tables = page.locator("#month-overview .overflow-auto")
        assert tables.count() >= 2
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('#month-overview .overflow-auto')]
                .filter(box => box.scrollWidth > box.clientWidth + 1)
                .map(box => box.querySelector('caption, th')?.textContent.trim())"""
        )
        assert clipped == [], f"clipped on {url}"
