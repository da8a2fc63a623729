"""A real browser: Lena erases a person from their page with the typed name and a reason;
the gift stays in her ledger under the pseudonym."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contacts.models import Contact
from contacts.services import observation_create
from gestures.models import Gesture
from privacy.models import Erasure
from tests.e2e.conftest import sign_in
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_lena_erases_a_person_and_the_ledger_keeps_the_gift(page, live_server, lead, manager):
    today = timezone.localdate()
    contact = ContactFactory.create(first_name="Greta", last_name="Vergessen", owner=manager)
    observation_create(contact=contact, author=manager, text="Greta loves sailing.", noted_on=today)
    Gesture.objects.create(
        contact=contact,
        kind="gift",
        date=today - dt.timedelta(days=3),
        value_eur=Decimal("19.50"),
        note="Sailing calendar",
        by=manager,
    )
    sign_in(page, "lena")

    page.goto(f"{live_server.url}/contacts/{contact.pk}/")
    page.get_by_role("button", name="Erase this person").click()
    page.get_by_label("Type the person's full name to confirm").fill("Greta Vergesen")
    page.get_by_label("Reason").fill("Request by e-mail")
    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_text("That is not the name of this person.")).to_be_visible()
    assert Contact.objects.get(pk=contact.pk).erased_at is None

    page.get_by_label("Type the person's full name to confirm").fill("Greta Vergessen")
    page.get_by_role("button", name="Erase this person").click()

    pseudonym = Erasure.objects.get().pseudonym
    expect(page.get_by_text(f"Their gifts stay in the ledger as {pseudonym}.")).to_be_visible()
    page.goto(f"{live_server.url}/team/ledger/?year={(today - dt.timedelta(days=3)).year}")
    expect(page.get_by_role("link", name=pseudonym).first).to_be_visible()
    expect(page.get_by_text("Greta")).to_have_count(0)
