"""No dead ends on the dashboard: a rejected birthday gift falls back to a note for the same
occasion, linked from the "not approved" notice; a call without an occasion has a real
heading in English and German, and at most one a day is on an account manager's page;
"Other gift" only when another gift fits."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contacts.models import Fact
from gestures.models import Suggestion
from gestures.services import suggestion_confirm, suggestion_dismiss, suggestion_reject
from tests.factories import ContactFactory, observation_recorded
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
DASHBOARD = reverse("dashboard")


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def birthday_gift(owner, *, tags=("hiking",)):
    contact = ContactFactory.create(owner=owner, first_name="Julia", last_name="Berger")
    event = TODAY + dt.timedelta(days=14)
    return GiftSuggestionFactory.create(
        contact=contact,
        occasion="birthday",
        gift_item=GiftItemFactory.create(price_eur=Decimal("38.00"), tags=list(tags)),
        price_eur=Decimal("38.00"),
        event_date=event,
        due_date=event - dt.timedelta(days=5),
        expires_on=event,
    )


# -- a rejected gift ------------------------------------------------------------------------


def test_a_rejected_birthday_gift_falls_back_to_a_note_for_the_same_birthday(client, lead, manager):
    gift = birthday_gift(manager)
    suggestion_confirm(suggestion=gift, by=manager)
    suggestion_reject(suggestion=gift, by=lead, reason_text="Too much this year.")

    note = Suggestion.objects.get(replaces=gift)
    assert (note.kind, note.occasion, note.event_date, note.status) == (
        Suggestion.Kind.NOTE,
        "birthday",
        gift.event_date,
        Suggestion.Status.PENDING,
    )
    assert note.contact == gift.contact and note.gift_item is None

    client.force_login(manager)
    html = client.get(DASHBOARD).content.decode()
    notice = html[html.index('class="rejected-notice"') :]
    notice = notice[: notice.index("</section>")]
    assert "Too much this year." in notice
    # The notice leads to the note: an action, not only news.
    link = f'?contact={gift.contact_id}#suggestion-{note.pk}">Write a note instead</a>'
    assert link in notice
    assert f'id="suggestion-{note.pk}"' in html  # the note is a card on her page


def test_the_notice_links_to_the_contact_once_the_note_is_closed(client, lead, manager):
    gift = birthday_gift(manager)
    suggestion_confirm(suggestion=gift, by=manager)
    suggestion_reject(suggestion=gift, by=lead, reason_text="No.")
    suggestion_dismiss(
        suggestion=Suggestion.objects.get(replaces=gift), by=manager, reason="not_relevant"
    )
    client.force_login(manager)

    html = client.get(DASHBOARD).content.decode()

    assert "Write a note instead" not in html
    assert f'href="{reverse("contact_detail", args=[gift.contact_id])}">Open the contact' in html


def test_a_gift_rejected_after_its_day_leaves_no_note(client, lead, manager):
    gift = birthday_gift(manager)
    suggestion_confirm(suggestion=gift, by=manager)
    with time_machine.travel(dt.datetime(2026, 12, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        suggestion_reject(suggestion=gift, by=lead, reason_text="Too late anyway.")

    assert not Suggestion.objects.filter(replaces=gift).exists()


# -- calls without an occasion --------------------------------------------------------------


def call(owner, name, *, score=1.0):
    contact = ContactFactory.create(owner=owner, first_name=name, last_name="Quiet")
    return SuggestionFactory.create(
        contact=contact,
        kind=Suggestion.Kind.CALL,
        occasion="keep_in_touch",
        event_date=TODAY,
        due_date=TODAY,
        expires_on=TODAY + dt.timedelta(days=14),
        score=score,
    )


def occasion_headings(html):
    return re.findall(r'<p class="suggestion-occasion">\s*<strong>(.*?)</strong>', html)


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Keep in touch"), ("de", "In Kontakt bleiben")]
)
def test_a_call_has_a_heading_in_both_languages_never_the_key(client, manager, language, heading):
    manager.language = language
    manager.save()
    call(manager, "Karl")
    client.force_login(manager)

    html = client.get(DASHBOARD).content.decode()

    assert occasion_headings(html) == [heading]
    assert ">keep_in_touch<" not in html


def test_one_call_a_day_per_account_manager_the_rest_wait(client, manager, colleague):
    best = call(manager, "Best", score=9.0)
    waiting = [call(manager, f"Waiting{i}", score=float(i)) for i in range(5)]
    bens = call(colleague, "Bens")
    client.force_login(manager)

    html = client.get(DASHBOARD).content.decode()

    assert f'id="suggestion-{best.pk}"' in html
    assert not any(f'id="suggestion-{s.pk}"' in html for s in waiting)
    assert f'id="suggestion-{bens.pk}"' not in html

    # Decided today, no other call comes up the same day ...
    client.post(reverse("suggestion_dismiss", args=[best.pk]), {"reason": "not_relevant"})
    html = client.get(DASHBOARD).content.decode()
    assert not any(f'id="suggestion-{s.pk}"' in html for s in waiting)
    # ... the next best comes the next day.
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC), tick=False):
        html = client.get(DASHBOARD).content.decode()
    shown = [s for s in waiting if f'id="suggestion-{s.pk}"' in html]
    assert shown == [waiting[-1]]
    # Another account manager has her own call of the day.
    client.force_login(colleague)
    assert f'id="suggestion-{bens.pk}"' in client.get(DASHBOARD).content.decode()


# -- "Other gift" -----------------------------------------------------------------------------


def test_other_gift_only_when_another_gift_fits(client, manager):
    contact = ContactFactory.create(owner=manager, first_name="Clara", last_name="Weiss")
    observation = observation_recorded(
        contact=contact, author=manager, text="Loves hiking.", noted_on=dt.date(2026, 10, 1)
    )
    Fact.objects.create(observation=observation, contact=contact, kind="interest", tag="hiking")
    item = GiftItemFactory.create(price_eur=Decimal("19.90"), tags=["hiking"], name="Trail map")
    gift = GiftSuggestionFactory.create(
        contact=contact, gift_item=item, event_date=dt.date(2026, 12, 10)
    )
    client.force_login(manager)
    swap_form = reverse("suggestion_action_form", args=[gift.pk, "swap"])

    alone = client.get(DASHBOARD).content.decode()
    GiftItemFactory.create(price_eur=Decimal("15.00"), tags=["hiking"], name="Hiking socks")
    with_another = client.get(DASHBOARD).content.decode()

    assert swap_form not in alone and ">Other gift<" not in alone
    assert swap_form in with_another and ">Other gift<" in with_another
