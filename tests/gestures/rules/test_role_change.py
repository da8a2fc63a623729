import datetime as dt

from .factories import TODAY, hiker, item, make_contact, noted, suggest

LONG_AGO = dt.date(2026, 6, 1)


def role_change(*, date=None, noted_on=LONG_AGO):
    return noted(
        "role_change", title="CFO", date=date, noted_on=noted_on, text="Just promoted to CFO."
    )


def test_dated_within_the_last_30_days_gets_a_congratulation_note():
    [draft] = suggest(make_contact(role_change(date=TODAY - dt.timedelta(days=30))))
    assert (draft.occasion, draft.kind) == ("role_change", "note")
    assert draft.occurrence_date == TODAY - dt.timedelta(days=30)
    # The date has passed: act today.
    assert draft.due_date == TODAY


def test_dated_31_days_ago_and_noted_long_ago_is_too_late():
    assert suggest(make_contact(role_change(date=TODAY - dt.timedelta(days=31)))) == []


def test_undated_noted_within_the_last_30_days():
    noted_on = TODAY - dt.timedelta(days=30)
    [draft] = suggest(make_contact(role_change(noted_on=noted_on)))
    assert draft.occurrence_date == noted_on
    assert draft.explanation.dated is False


def test_undated_noted_31_days_ago_is_too_late():
    assert suggest(make_contact(role_change(noted_on=TODAY - dt.timedelta(days=31)))) == []


def test_dated_long_ago_but_only_just_noted_is_news_to_congratulate():
    contact = make_contact(role_change(date=dt.date(2026, 12, 1), noted_on=TODAY))
    [draft] = suggest(contact)
    assert draft.occurrence_date == dt.date(2026, 12, 1)


def test_future_role_change_within_the_horizon_is_due_on_its_date():
    starts = TODAY + dt.timedelta(days=21)
    [draft] = suggest(make_contact(role_change(date=starts, noted_on=TODAY)))
    assert (draft.occurrence_date, draft.due_date) == (starts, starts)


def test_future_role_change_beyond_the_horizon_waits():
    starts = TODAY + dt.timedelta(days=22)
    assert suggest(make_contact(role_change(date=starts, noted_on=TODAY))) == []


def test_role_change_is_never_a_gift():
    gift = item(tags=("hiking",), occasions=("role_change",))
    [draft] = suggest(hiker(role_change(noted_on=TODAY)), catalog=[gift])
    assert draft.kind == "note"
