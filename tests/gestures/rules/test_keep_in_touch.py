import datetime as dt

import pytest

from gestures.rules import GestureInfo

from .factories import TODAY, make_contact, noted, stored, suggest


def silent_for(days: int | None, tier: str):
    last = TODAY - dt.timedelta(days=days) if days is not None else None
    return make_contact(tier=tier, last_touch=last)


@pytest.mark.parametrize(("tier", "cadence"), [("A", 30), ("B", 60), ("C", 120)])
def test_call_once_silent_longer_than_the_tier_cadence(tier, cadence):
    assert suggest(silent_for(cadence, tier)) == []
    [draft] = suggest(silent_for(cadence + 1, tier))
    assert (draft.occasion, draft.kind) == ("keep_in_touch", "call")
    assert (draft.source_fact_id, draft.occurrence_date, draft.due_date) == (None, TODAY, TODAY)
    assert draft.explanation.cadence_days == cadence


def test_never_in_touch_counts_as_silent():
    [draft] = suggest(silent_for(None, "C"))
    assert draft.explanation.last_touch is None


def test_a_recent_gesture_counts_as_touch():
    call = GestureInfo(
        kind="call", date=TODAY - dt.timedelta(days=3), gift_item_id=None, value_eur=None
    )
    assert suggest(silent_for(None, "A"), gestures=[call]) == []


def test_not_when_another_occasion_is_suggested_today():
    contact = make_contact(noted("birthday", month=3, day=10), tier="A", last_touch=None)
    assert [d.occasion for d in suggest(contact)] == ["birthday"]


def test_not_while_another_suggestion_is_open():
    open_note = stored("milestone", 7, TODAY, status="snoozed")
    assert suggest(silent_for(None, "A"), existing=[open_note]) == []


def test_closed_suggestions_do_not_hold_it_back():
    done = stored("milestone", 7, TODAY - dt.timedelta(days=100), status="done")
    assert suggest(silent_for(None, "A"), existing=[done])


def test_a_dismissed_one_does_not_come_back_the_next_day():
    dismissed = stored("keep_in_touch", None, TODAY - dt.timedelta(days=1), status="dismissed")
    assert suggest(silent_for(None, "A"), existing=[dismissed]) == []


def test_after_a_whole_cadence_it_may_come_again():
    dismissed = stored("keep_in_touch", None, TODAY - dt.timedelta(days=31), status="dismissed")
    assert suggest(silent_for(None, "A"), existing=[dismissed])


def test_no_call_without_occasion_while_someone_grieves():
    died_on = TODAY - dt.timedelta(days=20)
    bereavement = noted("life_event", event="bereavement", date=died_on)
    contact = make_contact(bereavement, tier="A", last_touch=None)
    # Its note was dismissed; the contact is silent, yet no call comes while they grieve.
    note = stored("life_event", bereavement[0].id, died_on, status="dismissed")
    assert suggest(contact, existing=[note]) == []


def test_the_call_quotes_the_last_thing_noted_but_never_a_sensitive_note():
    older = noted("interest", tag="hiking", text="Loves hiking.", noted_on=dt.date(2026, 9, 1))
    latest = noted("interest", tag="golf", text="Took up golf.", noted_on=dt.date(2026, 10, 2))
    allergy = noted(
        "constraint",
        tag="nut_allergy",
        text="Allergic to nuts.",
        noted_on=dt.date(2026, 10, 20),
        sensitive=True,
    )
    contact = make_contact(older, latest, allergy, tier="A", last_touch=dt.date(2026, 10, 20))

    [draft] = suggest(contact)

    assert draft.explanation.quotes == (("Took up golf.", dt.date(2026, 10, 2), "Anna Becker"),)


def test_the_call_without_anything_noted_quotes_nothing():
    [draft] = suggest(silent_for(None, "C"))
    assert draft.explanation.quotes == ()
