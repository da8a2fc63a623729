import datetime as dt

import pytest

from .factories import TODAY, make_contact, noted, suggest


def milestone(offset_days: int):
    return noted(
        "milestone",
        date=TODAY + dt.timedelta(days=offset_days),
        label="ERP go-live",
        text="Project go-live on the date.",
    )


@pytest.mark.parametrize(("offset", "suggested"), [(15, False), (14, True), (0, True),
                                                   (-7, True), (-8, False)])  # fmt: skip
def test_window_from_14_days_before_to_7_days_after(offset, suggested):
    drafts = suggest(make_contact(milestone(offset)))
    assert bool(drafts) is suggested


def test_milestone_is_a_handwritten_note_about_the_project():
    [draft] = suggest(make_contact(milestone(14)))
    assert (draft.occasion, draft.kind) == ("milestone", "note")
    assert draft.explanation.label == "ERP go-live"
    assert draft.due_date == TODAY + dt.timedelta(days=14)


def test_a_passed_milestone_is_due_today():
    [draft] = suggest(make_contact(milestone(-7)))
    assert draft.due_date == TODAY
