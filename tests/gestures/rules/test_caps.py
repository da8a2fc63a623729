import datetime as dt

import pytest

from gestures.rules import ScanSettings

from .factories import (
    TODAY,
    gift_given,
    hiker,
    item,
    make_contact,
    noted,
    stored,
    stored_like,
    suggest,
)

ALL_STATUSES = [
    "pending", "confirmed", "awaiting_approval", "approved", "rejected",
    "snoozed", "dismissed", "done", "expired",
]  # fmt: skip
OPEN_STATUSES = ["pending", "confirmed", "awaiting_approval", "approved", "snoozed"]
CLOSED_STATUSES = ["rejected", "dismissed", "done", "expired"]


def three_occasions():
    return make_contact(
        noted("milestone", date=TODAY + dt.timedelta(days=2), label="Go-live"),
        noted("birthday", month=3, day=10),
        noted("life_event", event="bereavement", date=TODAY - dt.timedelta(days=3)),
        tier="B",
    )


def test_at_most_two_new_suggestions_the_most_important_first():
    drafts = suggest(three_occasions())
    assert [d.occasion for d in drafts] == ["life_event", "birthday"]


@pytest.mark.parametrize("status", OPEN_STATUSES)
def test_open_suggestions_take_up_room(status):
    one_open = [stored("role_change", 999, dt.date(2027, 2, 20), status=status)]
    assert [d.occasion for d in suggest(three_occasions(), existing=one_open)] == ["life_event"]
    two_open = [*one_open, stored("milestone", 998, dt.date(2027, 2, 21), status=status)]
    assert suggest(three_occasions(), existing=two_open) == []


def test_closed_suggestions_take_no_room():
    closed = [
        stored("role_change", 900 + i, dt.date(2027, 2, 20), status=status)
        for i, status in enumerate(CLOSED_STATUSES)
    ]
    assert len(suggest(three_occasions(), existing=closed)) == 2


def test_max_open_per_contact_from_the_settings():
    assert len(suggest(three_occasions(), settings=ScanSettings(max_open_per_contact=3))) == 3


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_a_stored_key_in_any_status_is_not_suggested_again(status):
    contact = make_contact(noted("birthday", month=3, day=10))
    [draft] = suggest(contact)
    assert suggest(contact, existing=[stored_like(draft, status=status)]) == []


def two_gift_occasions():
    return hiker(
        noted("birthday", month=3, day=10),
        noted("anniversary", subject="work", month=3, day=12, year=2017),
        tier="A",
    )


GIFTS = [item("G-1", tags=("hiking",), price="10.00"), item("G-2", tags=("hiking",), price="12.00")]


def test_at_most_one_open_gift_the_other_occasion_falls_back_to_its_note():
    drafts = suggest(two_gift_occasions(), catalog=GIFTS)
    assert sorted(d.kind for d in drafts) == ["gift", "note"]
    [note] = [d for d in drafts if d.kind == "note"]
    assert note.explanation.fallback_reason == "gift_cap"
    assert note.gift_item_id is None


def test_an_open_gift_suggestion_leaves_no_room_for_another_gift():
    open_gift = stored("life_event", 999, dt.date(2027, 6, 1), status="approved", kind="gift")
    [draft] = suggest(
        hiker(noted("birthday", month=3, day=10)), catalog=GIFTS, existing=[open_gift]
    )
    assert draft.kind == "note"
    assert draft.explanation.fallback_reason == "gift_cap"


def test_one_gift_per_90_days_counts_gifts_given():
    contact = hiker(noted("birthday", month=3, day=10))
    birthday = dt.date(2027, 3, 10)
    within = gift_given(birthday - dt.timedelta(days=89), value="5.00")
    assert suggest(contact, catalog=GIFTS, gestures=[within])[0].kind == "note"
    apart = gift_given(birthday - dt.timedelta(days=90), value="5.00")
    assert suggest(contact, catalog=GIFTS, gestures=[apart])[0].kind == "gift"


def test_a_closed_gift_suggestion_does_not_count_but_its_gift_gesture_does():
    contact = hiker(noted("birthday", month=3, day=10))
    rejected = stored("anniversary", 999, dt.date(2027, 2, 1), status="rejected", kind="gift")
    assert suggest(contact, catalog=GIFTS, existing=[rejected])[0].kind == "gift"


def test_output_is_ordered_by_score_then_due_date_then_occasion_then_fact():
    on = TODAY + dt.timedelta(days=5)
    first = noted("milestone", date=on, label="Phase 2", fact_id=501)
    second = noted("milestone", date=on, label="Phase 1", fact_id=502)
    drafts = suggest(make_contact(second, first))
    assert [d.source_fact_id for d in drafts] == [501, 502]
    assert drafts == suggest(make_contact(first, second))


def test_same_score_earlier_due_date_first():
    # Beyond 30 days away nearness adds nothing, so both score the same.
    wide = ScanSettings(horizon_days=40)
    later = noted("birthday", month=4, day=5, fact_id=601)
    sooner = noted("birthday", month=3, day=31, fact_id=602)
    drafts = suggest(make_contact(later, sooner, tier="C"), settings=wide)
    assert drafts[0].score == drafts[1].score
    assert [d.source_fact_id for d in drafts] == [602, 601]
