"""The scan service: what it selects, what it stores, what it ages, and that it is idempotent."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command

from contacts.models import Contact, Fact
from contacts.services import observation_create
from gestures.loaders import contact_inputs
from gestures.models import ScanRun, Suggestion
from gestures.rules import suggest_for_contact
from gestures.scan import ScanContext, due_contact_ids, scan_day
from tests.factories import ContactFactory, gesture_recorded
from tests.gestures.factories import GiftItemFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def observe(contact, text, *, noted_on=TODAY, author=None):
    return observation_create(
        contact=contact, author=author or contact.owner, text=text, noted_on=noted_on, rescan=False
    )


@pytest.fixture
def contact(manager):
    return ContactFactory.create(owner=manager, first_name="Clara", last_name="Brandt", tier="B")


def touch(contact, day=TODAY):
    """A call today, so the contact is not due for keep in touch."""
    gesture_recorded(contact=contact, kind="call", date=day, by=contact.owner)


def test_a_birthday_in_the_horizon_becomes_a_suggestion_quoting_its_observation(contact):
    touch(contact)
    observation = observe(contact, "Her birthday is on December 1st.")

    report = scan_day(today=TODAY)

    suggestion = Suggestion.objects.get(contact=contact)
    assert (suggestion.occasion, suggestion.kind) == ("birthday", "note")
    assert suggestion.event_date == dt.date(2026, 12, 1)
    assert suggestion.expires_on == dt.date(2026, 12, 1)
    assert suggestion.observation_ids == [observation.pk]
    assert suggestion.explanation["quotes"][0]["text"] == "Her birthday is on December 1st."
    assert report.created == 1


def test_a_second_scan_of_the_same_day_creates_nothing_and_looks_at_nobody(contact, colleague):
    observe(contact, "Her birthday is on December 1st.")
    ContactFactory.create_batch(3, owner=colleague, tier="A")

    first = scan_day(today=TODAY)
    second = scan_day(today=TODAY)

    # The birthday, and a call for each of the three silent contacts.
    assert first.created == Suggestion.objects.count() == 4
    assert (second.created, second.contacts) == (0, 0)
    assert ScanRun.objects.filter(day=TODAY, finished_at__isnull=False).count() == 2


def test_a_birthday_beyond_the_horizon_is_not_selected(contact):
    touch(contact)
    observe(contact, "Her birthday is on December 20th.")

    assert due_contact_ids(today=TODAY, settings=ScanContext.load(TODAY).settings) == []
    assert scan_day(today=TODAY).created == 0


def test_a_feb_29_birthday_is_celebrated_on_feb_28_in_a_common_year(contact):
    touch(contact, dt.date(2027, 2, 20))
    observe(contact, "Her birthday is on February 29th.", noted_on=dt.date(2026, 11, 1))

    scan_day(today=dt.date(2027, 2, 20))

    assert Suggestion.objects.get(contact=contact).event_date == dt.date(2027, 2, 28)


def test_a_birthday_across_the_year_end_is_suggested_in_december(contact):
    touch(contact, dt.date(2026, 12, 20))
    observe(contact, "Sein Geburtstag ist am 3. Januar.", noted_on=dt.date(2026, 6, 1))

    scan_day(today=dt.date(2026, 12, 20))

    # In December the contact also gets a year-end greeting for what was noted this year.
    assert Suggestion.objects.get(contact=contact, occasion="birthday").event_date == dt.date(
        2027, 1, 3
    )


def test_a_dismissed_suggestion_never_returns(contact, manager):
    touch(contact)
    observe(contact, "Her birthday is on December 1st.")
    scan_day(today=TODAY)
    Suggestion.objects.update(status="dismissed", reason="not_relevant")

    for day in range(5):
        scan_day(today=TODAY + dt.timedelta(days=day))

    assert Suggestion.objects.filter(contact=contact, occasion="birthday").count() == 1


def test_pending_suggestions_expire_after_their_day_and_snoozed_ones_come_back(contact):
    touch(contact)
    observe(contact, "Her birthday is on November 25th.")
    observe(contact, "Congratulations: she is now Head of Procurement.")
    scan_day(today=TODAY)
    birthday = Suggestion.objects.get(occasion="birthday")
    role = Suggestion.objects.get(occasion="role_change")
    role.status, role.snoozed_until = "snoozed", dt.date(2026, 11, 26)
    role.save()

    report = scan_day(today=dt.date(2026, 11, 26))

    birthday.refresh_from_db()
    role.refresh_from_db()
    assert birthday.status == "expired"
    assert role.status == "pending"
    assert (report.expired, report.returned) == (1, 1)


def test_a_silent_contact_is_due_for_a_call_and_a_recent_observation_keeps_it_quiet(
    contact, manager
):
    quiet = ContactFactory.create(owner=manager, tier="A")
    observe(quiet, "Talked about the new tender.", noted_on=TODAY - dt.timedelta(days=10))

    scan_day(today=TODAY)

    assert Suggestion.objects.get().contact == contact
    assert Suggestion.objects.get().occasion == "keep_in_touch"
    assert Suggestion.objects.get().expires_on == TODAY + dt.timedelta(days=14)


def test_archived_contacts_are_left_alone(contact):
    observe(contact, "Her birthday is on December 1st.")
    Contact.objects.filter(pk=contact.pk).update(archived=True)

    assert scan_day(today=TODAY).created == 0


def test_a_gift_is_chosen_from_the_catalog_for_a_tier_a_birthday(manager):
    contact = ContactFactory.create(owner=manager, tier="A")
    touch(contact)
    observe(contact, "She loves hiking in the Alps. Her birthday is on December 1st.")
    book = GiftItemFactory(sku="HIKE-GUIDE", price_eur=Decimal("19.90"), tags=["hiking"])

    scan_day(today=TODAY)

    gift = Suggestion.objects.get(contact=contact)
    assert (gift.kind, gift.gift_item, gift.price_eur) == ("gift", book, Decimal("19.90"))
    assert gift.due_date == dt.date(2026, 11, 28)  # three days' delivery before the birthday
    assert gift.needs_approval is False


def test_the_selection_misses_no_contact_the_rules_would_suggest_something_for(team, manager):
    """Every contact with a suggestion due on a day is among the selected ones, over a year
    of days including the year end and Feb 28 (selection is only a shortcut)."""
    texts = [
        "Her birthday is on January 2nd.",
        "Sein Geburtstag ist am 29. Februar.",
        "Celebrating 10 years at the company on March 1st.",
        "Seit gestern ist er Bereichsleiter.",
        "She got married last week.",
        "Go-live of the new ERP system on 2027-02-15.",
        "Loves sailing.",
    ]
    for index, text in enumerate(texts):
        contact = ContactFactory.create(owner=manager, tier="ABC"[index % 3])
        observe(contact, text, noted_on=dt.date(2026, 12, 20))
    context_days = [dt.date(2026, 12, 10) + dt.timedelta(days=n) for n in range(0, 120, 3)]
    ids = list(Contact.objects.values_list("pk", flat=True))
    suggested_somewhere = set()

    for today in context_days:
        context = ScanContext.load(today)
        inputs = contact_inputs(ids, today=today)
        wanted = {
            contact_id
            for contact_id, data in inputs.items()
            if suggest_for_contact(
                contact=data.contact,
                gestures=data.gestures,
                existing=data.existing,
                catalog=context.catalog,
                settings=context.settings,
                today=today,
                interest_names=context.interest_names,
            )
        }
        assert wanted <= set(due_contact_ids(today=today, settings=context.settings)), today
        suggested_somewhere |= wanted

    assert len(suggested_somewhere) == len(texts)


def test_the_caps_hold_two_open_suggestions_per_contact(contact):
    touch(contact)
    observe(contact, "Her birthday is on November 30th.")
    observe(contact, "Celebrating 5 years at the company on December 2nd.")
    observe(contact, "She is now Head of Procurement.")

    scan_day(today=TODAY)

    assert Suggestion.objects.filter(contact=contact).count() == 2


def test_the_command_prints_the_designed_json(contact):
    touch(contact)
    observe(contact, "Her birthday is on December 1st.")
    out = io.StringIO()

    call_command("scan_gestures", "--today", "2026-11-23", "--json", stdout=out)

    payload = json.loads(out.getvalue())
    assert payload["created"] == 1 and payload["expired"] == 0
    (record,) = payload["open"]
    assert set(record) == {
        "id",
        "contact",
        "kind",
        "occasion",
        "event_date",
        "due_date",
        "gift_item",
        "price_eur",
        "status",
        "explanation",
        "draft",
        "excluded",
        "observations",
    }
    assert record["contact"] == contact.external_id
    assert record["excluded"] == []  # nothing the guard left out
    assert record["draft"].startswith("Dear Clara Brandt,\n\n")
    assert (record["occasion"], record["event_date"], record["status"]) == (
        "birthday",
        "2026-12-01",
        "pending",
    )
    assert record["observations"] == [f"observation-{Fact.objects.get().observation_id}"]
    assert "Birthday" in record["explanation"] and "in 8 days" in record["explanation"]


def test_the_command_refuses_a_date_it_cannot_read():
    with pytest.raises(CommandError, match="not a date"):
        call_command("scan_gestures", "--today", "23.11.2026")


@time_machine.travel(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC), tick=False)
def test_the_command_scans_today_by_default(contact):
    touch(contact)
    observe(contact, "Her birthday is on December 1st.")

    call_command("scan_gestures", stdout=io.StringIO())

    assert ScanRun.objects.get().day == TODAY


def test_a_gift_that_felt_wrong_is_not_proposed_to_that_contact_again(manager):
    from gestures.loaders import catalog_items, scan_settings
    from gestures.outcomes import gesture_outcome_record
    from gestures.rules import gift_ineligibility

    contact = ContactFactory.create(owner=manager, tier="A")
    touch(contact)
    observe(contact, "She loves hiking in the Alps. Her birthday is on December 1st.")
    guide = GiftItemFactory.create(sku="HIKE-GUIDE", price_eur=Decimal("19.90"), tags=["hiking"])
    socks = GiftItemFactory.create(sku="HIKE-SOCKS", price_eur=Decimal("24.00"), tags=["hiking"])
    given = gesture_recorded(
        contact=contact, kind="gift", date=dt.date(2026, 3, 2), by=manager, gift_item=guide
    )
    gesture_outcome_record(
        gesture=given, by=manager, result="felt_wrong", note="She had two already."
    )

    inputs = contact_inputs([contact.pk], today=TODAY)[contact.pk]
    assert inputs.contact.felt_wrong_item_ids == frozenset({guide.pk})
    scan_day(today=TODAY)

    gift = Suggestion.objects.get(contact=contact)
    assert (gift.kind, gift.gift_item) == ("gift", socks)
    (guide_info,) = [i for i in catalog_items() if i.id == guide.pk]
    why_not = gift_ineligibility(
        guide_info,
        contact=inputs.contact,
        gestures=inputs.gestures,
        settings=scan_settings(),
        occasion="birthday",
        event_date=dt.date(2026, 12, 1),
        today=TODAY,
    )
    assert why_not == "felt_wrong"  # not merely "given before"


def test_an_outcome_that_did_not_feel_wrong_excludes_nothing_new(manager):
    from gestures.outcomes import gesture_outcome_record

    contact = ContactFactory.create(owner=manager, tier="A")
    guide = GiftItemFactory.create(sku="HIKE-GUIDE", tags=["hiking"])
    given = gesture_recorded(
        contact=contact, kind="gift", date=dt.date(2026, 3, 2), by=manager, gift_item=guide
    )
    gesture_outcome_record(gesture=given, by=manager, result="thanked")
    assert contact_inputs([contact.pk], today=TODAY)[contact.pk].contact.felt_wrong_item_ids == (
        frozenset()
    )
