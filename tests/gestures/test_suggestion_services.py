"""The decisions on suggestions: which moves are allowed, what each records, and the gestures
they leave behind."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from contacts.models import Fact
from gestures.models import Gesture, ScanConfiguration, Suggestion, SuggestionTransition
from gestures.rules import Explanation
from gestures.services import (
    SuggestionTransitionError,
    gesture_log,
    suggestion_approve,
    suggestion_confirm,
    suggestion_dismiss,
    suggestion_mark_done,
    suggestion_reject,
    suggestion_snooze,
    suggestion_swap_gift,
)
from relcrm.models import OutboxTask
from tests.factories import (
    ContactFactory,
    OrganizationFactory,
    gesture_recorded,
    observation_recorded,
)
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

TODAY = dt.date(2026, 11, 23)
BIRTHDAY = dt.date(2026, 12, 10)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.fixture
def pinned_clock():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def contact(manager):
    return ContactFactory.create(owner=manager, first_name="Clara", last_name="Weiss")


def note_for(contact, **fields):
    fields.setdefault("event_date", BIRTHDAY)
    return SuggestionFactory.create(contact=contact, **fields)


def gift_for(contact, price="19.90", **fields):
    fields.setdefault("event_date", BIRTHDAY)
    item = fields.pop("gift_item", None) or GiftItemFactory.create(price_eur=Decimal(price))
    return GiftSuggestionFactory.create(contact=contact, gift_item=item, **fields)


def transitions(suggestion):
    return list(
        SuggestionTransition.objects.filter(suggestion=suggestion).values_list(
            "from_status", "to_status", "by__username", "reason", "reason_text"
        )
    )


# -- confirm ----------------------------------------------------------------------------


def test_confirming_a_note_makes_it_to_do_and_records_who(contact, manager):
    suggestion = note_for(contact)

    result = suggestion_confirm(suggestion=suggestion, by=manager)

    suggestion.refresh_from_db()
    assert result.status == suggestion.status == Suggestion.Status.CONFIRMED
    assert suggestion.decided_by == manager
    assert suggestion.decided_at is not None
    assert transitions(suggestion) == [("pending", "confirmed", "anna", "", "")]


def test_a_gift_below_the_threshold_becomes_to_do(contact, manager):
    suggestion = gift_for(contact, price="24.99")

    assert suggestion_confirm(suggestion=suggestion, by=manager).status == "confirmed"


def test_a_gift_at_the_threshold_goes_to_the_team_leads_queue(contact, manager):
    suggestion = gift_for(contact, price="25.00")

    result = suggestion_confirm(suggestion=suggestion, by=manager)

    assert result.status == Suggestion.Status.AWAITING_APPROVAL
    assert result.needs_approval


def test_the_threshold_comes_from_the_scan_settings(contact, manager):
    ScanConfiguration.objects.update_or_create(
        pk=1, defaults={"approval_threshold_eur": Decimal("15")}
    )
    suggestion = gift_for(contact, price="19.90")

    assert suggestion_confirm(suggestion=suggestion, by=manager).status == "awaiting_approval"


def test_a_gift_for_a_compliance_flagged_contact_needs_approval_whatever_its_price(manager):
    flagged = ContactFactory.create(owner=manager, compliance_review=True)
    gift = gift_for(flagged, price="5.00")
    note = note_for(flagged)

    assert suggestion_confirm(suggestion=gift, by=manager).status == "awaiting_approval"
    # The approval rule is about gifts (docs/suggestions.md); a note is just to do.
    assert suggestion_confirm(suggestion=note, by=manager).status == "confirmed"


def test_confirming_twice_is_refused_with_a_message(contact, manager):
    suggestion = note_for(contact)
    suggestion_confirm(suggestion=suggestion, by=manager)

    with pytest.raises(SuggestionTransitionError) as refused:
        suggestion_confirm(suggestion=suggestion, by=manager)

    assert "cannot become" in refused.value.messages[0]
    assert len(transitions(suggestion)) == 1


def test_a_stale_instance_is_checked_against_the_stored_status(contact, manager):
    suggestion = note_for(contact)
    stale = Suggestion.objects.get(pk=suggestion.pk)
    suggestion_dismiss(suggestion=suggestion, by=manager, reason="not_relevant")

    with pytest.raises(SuggestionTransitionError):
        suggestion_confirm(suggestion=stale, by=manager)

    assert Suggestion.objects.get(pk=suggestion.pk).status == "dismissed"


# -- dismiss ----------------------------------------------------------------------------


def test_dismissing_keeps_the_reason(contact, manager):
    suggestion = gift_for(contact)

    suggestion_dismiss(suggestion=suggestion, by=manager, reason="too_expensive")

    suggestion.refresh_from_db()
    assert suggestion.status == "dismissed"
    assert suggestion.reason == "too_expensive"
    assert transitions(suggestion) == [("pending", "dismissed", "anna", "too_expensive", "")]


def test_other_needs_a_text(contact, manager):
    suggestion = note_for(contact)

    with pytest.raises(SuggestionTransitionError):
        suggestion_dismiss(suggestion=suggestion, by=manager, reason="other", reason_text="  ")
    suggestion_dismiss(
        suggestion=suggestion, by=manager, reason="other", reason_text=" We met yesterday. "
    )

    suggestion.refresh_from_db()
    assert (suggestion.reason, suggestion.reason_text) == ("other", "We met yesterday.")


def test_an_unknown_reason_is_refused(contact, manager):
    with pytest.raises(SuggestionTransitionError):
        suggestion_dismiss(suggestion=note_for(contact), by=manager, reason="bored")


def test_dismissing_asks_for_a_rescan_after_the_commit(
    contact, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        suggestion_dismiss(suggestion=note_for(contact), by=manager, reason="wrong_timing")

    assert len(callbacks) == 1
    # Recorded in the outbox with the dismissal, sent by the callback.
    assert list(OutboxTask.objects.values_list("task", "args")) == [
        ("gestures.rescan_contact", [contact.pk, TODAY.isoformat()])
    ]


# -- snooze -----------------------------------------------------------------------------


def test_snoozing_until_a_later_day(contact, manager):
    suggestion = note_for(contact)

    suggestion_snooze(suggestion=suggestion, by=manager, until=TODAY + dt.timedelta(days=7))

    suggestion.refresh_from_db()
    assert suggestion.status == "snoozed"
    assert suggestion.snoozed_until == dt.date(2026, 11, 30)


@pytest.mark.parametrize("until", [TODAY, TODAY - dt.timedelta(days=1)])
def test_snoozing_needs_a_day_after_today(contact, manager, until):
    suggestion = note_for(contact)

    with pytest.raises(SuggestionTransitionError):
        suggestion_snooze(suggestion=suggestion, by=manager, until=until)

    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_snoozing_past_the_last_sensible_day_is_refused(contact, manager):
    suggestion = note_for(contact)

    with pytest.raises(SuggestionTransitionError, match="no longer makes sense"):
        suggestion_snooze(suggestion=suggestion, by=manager, until=BIRTHDAY + dt.timedelta(days=1))


# -- mark done and log ------------------------------------------------------------------


def test_marking_a_note_done_records_the_gesture_with_its_text(contact, manager):
    suggestion = note_for(contact)

    gesture = suggestion_mark_done(
        suggestion=suggestion, by=manager, date=TODAY, note="Happy birthday, Clara!"
    )

    suggestion.refresh_from_db()
    assert suggestion.status == "done"
    assert (gesture.kind, gesture.date, gesture.note, gesture.suggestion) == (
        "note",
        TODAY,
        "Happy birthday, Clara!",
        suggestion,
    )
    assert gesture.value_eur is None


def test_a_done_gift_counts_its_price_unless_told_otherwise(contact, manager):
    cheap = gift_for(contact, price="19.90", status="confirmed")
    other = gift_for(contact, price="12.00", status="confirmed", source_ref=cheap.source_ref + 1)

    first = suggestion_mark_done(suggestion=cheap, by=manager, date=TODAY)
    second = suggestion_mark_done(
        suggestion=other, by=manager, date=TODAY, value_eur=Decimal("10.50")
    )

    assert (first.kind, first.gift_item, first.value_eur) == (
        "gift",
        cheap.gift_item,
        Decimal("19.90"),
    )
    assert second.value_eur == Decimal("10.50")


def test_a_new_gift_cannot_skip_confirmation(contact, manager):
    suggestion = gift_for(contact, price="30.00")

    with pytest.raises(SuggestionTransitionError, match="Confirm the gift first"):
        suggestion_mark_done(suggestion=suggestion, by=manager, date=TODAY)

    assert not Gesture.objects.exists()


def test_a_gift_awaiting_approval_cannot_be_marked_done(contact, manager):
    suggestion = gift_for(contact, price="30.00", status="awaiting_approval")

    with pytest.raises(SuggestionTransitionError):
        suggestion_mark_done(suggestion=suggestion, by=manager, date=TODAY)


def test_an_approved_gift_can_be_marked_done(contact, manager):
    suggestion = gift_for(contact, price="30.00", status="approved")

    suggestion_mark_done(suggestion=suggestion, by=manager, date=TODAY)

    assert Suggestion.objects.get(pk=suggestion.pk).status == "done"


def test_a_gesture_cannot_be_dated_in_the_future(contact, manager):
    with pytest.raises(SuggestionTransitionError, match="future"):
        suggestion_mark_done(
            suggestion=note_for(contact), by=manager, date=TODAY + dt.timedelta(days=1)
        )


def test_a_call_can_be_logged_without_a_suggestion(
    contact, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        gesture = gesture_log(
            contact=contact, by=manager, kind="call", date=TODAY, note="Talked about skiing."
        )

    assert (gesture.kind, gesture.suggestion, gesture.by) == ("call", None, manager)
    assert len(callbacks) == 1


def test_a_gift_cannot_be_logged_directly(contact, manager):
    with pytest.raises(SuggestionTransitionError):
        gesture_log(contact=contact, by=manager, kind="gift", date=TODAY)


# -- approve and reject -----------------------------------------------------------------


def test_the_team_lead_approves_what_awaits_approval(contact, manager, lead):
    suggestion = gift_for(contact, price="30.00")
    suggestion_confirm(suggestion=suggestion, by=manager)

    suggestion_approve(suggestion=suggestion, by=lead)

    assert [t[:3] for t in transitions(suggestion)] == [
        ("pending", "awaiting_approval", "anna"),
        ("awaiting_approval", "approved", "lena"),
    ]


def test_only_what_awaits_approval_can_be_approved(contact, lead):
    with pytest.raises(SuggestionTransitionError):
        suggestion_approve(suggestion=gift_for(contact), by=lead)


def test_a_rejection_needs_and_keeps_its_reason(contact, lead):
    suggestion = gift_for(contact, price="30.00", status="awaiting_approval")

    with pytest.raises(SuggestionTransitionError):
        suggestion_reject(suggestion=suggestion, by=lead, reason_text="")
    suggestion_reject(suggestion=suggestion, by=lead, reason_text="Too soon after the last one.")

    suggestion.refresh_from_db()
    assert suggestion.status == "rejected"
    assert suggestion.reason_text == "Too soon after the last one."


# -- swap -------------------------------------------------------------------------------


@pytest.fixture
def hiker(manager):
    contact = ContactFactory.create(owner=manager, first_name="Hanna", last_name="Berg")
    observation = observation_recorded(
        contact=contact,
        author=manager,
        text="Loves hiking in the Alps.",
        noted_on=dt.date(2026, 10, 1),
    )
    Fact.objects.create(observation=observation, contact=contact, kind="interest", tag="hiking")
    return contact


def test_swapping_for_an_eligible_gift_updates_price_and_explanation(hiker, manager):
    suggestion = gift_for(hiker, gift_item=GiftItemFactory.create(tags=["hiking"], sku="MAP"))
    better = GiftItemFactory.create(
        tags=["hiking"], sku="SOCKS", name="Hiking socks", price_eur=Decimal("18.00")
    )

    suggestion_swap_gift(suggestion=suggestion, by=manager, gift_item=better)

    suggestion.refresh_from_db()
    assert (suggestion.gift_item, suggestion.price_eur, suggestion.status) == (
        better,
        Decimal("18.00"),
        "pending",
    )
    explanation = Explanation.from_json(suggestion.explanation)
    assert explanation.gift is not None
    assert (explanation.gift.sku, explanation.gift.matched_interests) == ("SOCKS", ("hiking",))
    assert explanation.gift.remaining_allowance_eur == Decimal("50.00")
    assert any("Loves hiking" in quote[0] for quote in explanation.quotes)
    assert transitions(suggestion) == [
        ("pending", "pending", "anna", "gift_swapped", "MAP → SOCKS")
    ]


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"tags": ["golf"]}, "matches none of the recorded interests"),
        ({"tags": ["hiking"], "price_eur": Decimal("60.00")}, "allowance"),
        ({"tags": ["hiking"], "lead_time_days": 30}, "arrive in time"),
        ({"tags": ["hiking"], "active": False}, "no longer in the catalog"),
        ({"tags": ["hiking"], "occasions": ["milestone"]}, "does not suit the occasion"),
    ],
)
def test_swapping_for_an_ineligible_gift_is_refused_with_the_reason(hiker, manager, fields, why):
    suggestion = gift_for(hiker, gift_item=GiftItemFactory.create(tags=["hiking"]))
    original = suggestion.gift_item

    with pytest.raises(SuggestionTransitionError, match=why):
        suggestion_swap_gift(
            suggestion=suggestion, by=manager, gift_item=GiftItemFactory.create(**fields)
        )

    assert Suggestion.objects.get(pk=suggestion.pk).gift_item == original


def test_a_gift_given_before_cannot_be_swapped_in(hiker, manager):
    given = GiftItemFactory.create(tags=["hiking"])
    gesture_recorded(
        contact=hiker, kind="gift", date=dt.date(2025, 5, 1), gift_item=given, by=manager
    )
    suggestion = gift_for(hiker, gift_item=GiftItemFactory.create(tags=["hiking"]))

    with pytest.raises(SuggestionTransitionError, match="given to this contact before"):
        suggestion_swap_gift(suggestion=suggestion, by=manager, gift_item=given)


def test_the_organizations_lower_limit_counts(manager):
    organization = OrganizationFactory.create(gift_limit_eur=Decimal("20"))
    contact = ContactFactory.create(owner=manager, organization=organization)
    observation = observation_recorded(
        contact=contact, author=manager, text="Hikes.", noted_on=dt.date(2026, 10, 1)
    )
    Fact.objects.create(observation=observation, contact=contact, kind="interest", tag="hiking")
    suggestion = gift_for(contact, gift_item=GiftItemFactory.create(tags=["hiking"], price_eur=5))

    with pytest.raises(SuggestionTransitionError, match="allowance"):
        suggestion_swap_gift(
            suggestion=suggestion,
            by=manager,
            gift_item=GiftItemFactory.create(tags=["hiking"], price_eur=Decimal("22")),
        )


def test_a_confirmed_gift_swapped_above_the_threshold_goes_back_to_new(hiker, manager):
    suggestion = gift_for(
        hiker, gift_item=GiftItemFactory.create(tags=["hiking"]), status="confirmed"
    )
    dearer = GiftItemFactory.create(tags=["hiking"], price_eur=Decimal("35.00"))

    suggestion_swap_gift(suggestion=suggestion, by=manager, gift_item=dearer)

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.needs_approval) == ("pending", True)
    # Confirming it again is what sends it to the team lead.
    assert suggestion_confirm(suggestion=suggestion, by=manager).status == "awaiting_approval"


def test_a_confirmed_gift_swapped_below_the_threshold_stays_to_do(hiker, manager):
    suggestion = gift_for(
        hiker, gift_item=GiftItemFactory.create(tags=["hiking"]), status="confirmed"
    )

    suggestion_swap_gift(
        suggestion=suggestion,
        by=manager,
        gift_item=GiftItemFactory.create(tags=["hiking"], price_eur=9),
    )

    assert Suggestion.objects.get(pk=suggestion.pk).status == "confirmed"


@pytest.mark.parametrize("status", ["awaiting_approval", "approved", "dismissed"])
def test_only_new_or_confirmed_gifts_can_be_swapped(hiker, manager, status):
    suggestion = gift_for(hiker, gift_item=GiftItemFactory.create(tags=["hiking"]), status=status)

    with pytest.raises(SuggestionTransitionError):
        suggestion_swap_gift(
            suggestion=suggestion, by=manager, gift_item=GiftItemFactory.create(tags=["hiking"])
        )


def test_a_note_cannot_be_swapped(hiker, manager):
    with pytest.raises(SuggestionTransitionError):
        suggestion_swap_gift(
            suggestion=note_for(hiker),
            by=manager,
            gift_item=GiftItemFactory.create(tags=["hiking"]),
        )
