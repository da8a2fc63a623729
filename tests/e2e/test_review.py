"""A real browser: Anna reviews what is due. Keep swaps the row in place and the count in
the navigation goes down; delete asks first, then the observation is gone with its facts."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contacts.models import Fact, Observation
from contacts.services import observation_create
from privacy.models import ObservationReview
from tests.e2e.conftest import sign_in
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)

KEPT = "Plays the cello in the city orchestra."
DELETED = "Allergic to hazelnuts, mentioned at the kick-off."


def test_anna_keeps_one_observation_and_deletes_another(page, live_server, manager):
    today = timezone.localdate()
    contact = ContactFactory.create(first_name="Greta", last_name="Prüfer", owner=manager)
    observation_create(
        contact=contact, author=manager, text=KEPT, noted_on=today - dt.timedelta(days=800)
    )
    deleted = observation_create(
        contact=contact, author=manager, text=DELETED, noted_on=today - dt.timedelta(days=400)
    )
    sign_in(page, "anna")

    page.goto(f"{live_server.url}/review/")
    counter = page.locator('[data-counter="review_due"]')
    expect(counter).to_have_text("2 due for review")
    expect(page.get_by_text("keeps protecting while it waits for review")).to_be_visible()

    page.locator(".review-item", has_text=KEPT).get_by_role("button", name="Keep").click()
    expect(page.get_by_text("Kept: confirmed as still true today.")).to_be_visible()
    expect(counter).to_have_text("1 due for review")
    assert ObservationReview.objects.get().reviewed_on == today

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".review-item", has_text=DELETED).get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Deleted, with its facts and its history.")).to_be_visible()
    expect(counter).to_have_text("0 due for review")
    assert not Observation.objects.filter(pk=deleted.pk).exists()
    assert not Fact.objects.filter(observation_id=deleted.pk).exists()

    page.reload()
    expect(page.get_by_text("Nothing is due for review.")).to_be_visible()
