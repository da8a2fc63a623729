import datetime as dt

import pytest

from .factories import TODAY, hiker, item, make_contact, noted, suggest

GIFT = item("PICNIC", tags=("hiking",), occasions=("life_event",), lead_time_days=3)


def life_event(event: str, *, date=None, noted_on=dt.date(2027, 2, 1), text=""):
    return noted("life_event", event=event, date=date, noted_on=noted_on, text=text)


@pytest.mark.parametrize("event", ["wedding", "birth", "graduation", "retirement"])
def test_upcoming_happy_event_gets_a_gift_when_an_item_fits(event):
    on = TODAY + dt.timedelta(days=10)
    [draft] = suggest(hiker(life_event(event, date=on)), catalog=[GIFT])
    assert (draft.occasion, draft.kind, draft.gift_item_id) == ("life_event", "gift", GIFT.id)
    assert draft.due_date == on - dt.timedelta(days=3)


def test_move_gets_a_note_and_no_gift():
    [draft] = suggest(hiker(life_event("move", date=TODAY + dt.timedelta(days=10))), catalog=[GIFT])
    assert draft.kind == "note"


@pytest.mark.parametrize("event", ["bereavement", "illness"])
def test_bereavement_and_illness_get_a_personal_note_only(event):
    # Tier A, interests and a fitting item, on the day itself: still never a gift, never a call.
    everything = item("ANY", tags=("hiking",), occasions=("any",), lead_time_days=0)
    [draft] = suggest(hiker(life_event(event, date=TODAY), tier="A"), catalog=[GIFT, everything])
    assert draft.kind == "note"
    assert draft.gift_item_id is None
    assert draft.explanation.fallback_reason == "personal_only"


def test_bereavement_ranks_above_a_birthday():
    birthday = noted("birthday", month=3, day=5)
    drafts = suggest(make_contact(birthday, life_event("bereavement", date=TODAY)))
    assert [d.occasion for d in drafts] == ["life_event", "birthday"]


@pytest.mark.parametrize(("offset", "suggested"), [(-31, False), (-30, True), (0, True),
                                                   (21, True), (22, False)])  # fmt: skip
def test_window_from_the_horizon_before_to_30_days_after(offset, suggested):
    contact = make_contact(life_event("move", date=TODAY + dt.timedelta(days=offset)))
    assert bool(suggest(contact)) is suggested


def test_undated_event_counts_from_when_it_was_noted():
    [draft] = suggest(make_contact(life_event("birth", noted_on=TODAY - dt.timedelta(days=5))))
    assert draft.occurrence_date == TODAY - dt.timedelta(days=5)
    assert draft.explanation.dated is False
    assert suggest(make_contact(life_event("birth", noted_on=TODAY - dt.timedelta(days=31)))) == []


def test_past_happy_event_gets_a_note_because_no_gift_can_arrive_before_it():
    [draft] = suggest(
        hiker(life_event("wedding", date=TODAY - dt.timedelta(days=2))), catalog=[GIFT]
    )
    assert draft.kind == "note"
    assert draft.due_date == TODAY
    assert draft.explanation.fallback_reason == "no_eligible_item"


def test_sensitive_fact_marks_the_explanation():
    fact = noted("life_event", event="illness", date=TODAY, sensitive=True, text="Is in hospital.")
    [draft] = suggest(make_contact(fact))
    assert draft.explanation.sensitive is True


def test_a_childs_graduation_is_an_occasion():
    on = TODAY + dt.timedelta(days=10)
    graduation = noted("life_event", event="graduation", date=on, person="child")
    [draft] = suggest(hiker(graduation), catalog=[GIFT])
    assert (draft.occasion, draft.kind) == ("life_event", "gift")
