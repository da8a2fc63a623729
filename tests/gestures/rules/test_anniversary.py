import datetime as dt

import pytest

from gestures.rules.occasions.anniversary import is_round

from .factories import hiker, item, make_contact, noted, suggest


def anniversary(month: int, day: int, year: int | None, subject: str = "work"):
    return noted(
        "anniversary",
        month=month,
        day=day,
        year=year,
        subject=subject,
        text="Joined Siemens on March 10, 2017.",
    )


def test_anniversary_within_the_horizon_gets_a_note_with_its_years():
    [draft] = suggest(make_contact(anniversary(3, 10, 2020)))
    assert (draft.occasion, draft.kind) == ("anniversary", "note")
    assert draft.occurrence_date == dt.date(2027, 3, 10)
    assert draft.explanation.years == 7
    assert draft.explanation.subject == "work"


def test_anniversary_outside_the_horizon_is_not_suggested():
    assert suggest(make_contact(anniversary(4, 10, 2017))) == []


@pytest.mark.parametrize(("years", "round_"), [(1, True), (2, False), (5, True), (10, True),
                                              (12, False), (25, True), (0, False)])  # fmt: skip
def test_round_years(years, round_):
    assert is_round(years) is round_


def test_round_anniversary_ranks_above_a_non_round_one():
    round_ten = anniversary(3, 20, 2017, subject="customer")  # later, yet first
    seven = anniversary(3, 10, 2020)
    drafts = suggest(make_contact(round_ten, seven, tier="C"))
    assert [d.explanation.years for d in drafts] == [10, 7]
    assert drafts[0].score > drafts[1].score


def test_round_anniversary_gets_a_gift_when_an_item_fits():
    gift = item(tags=("hiking",), occasions=("anniversary",))
    [draft] = suggest(hiker(anniversary(3, 10, 2017), tier="C"), catalog=[gift])
    assert (draft.kind, draft.gift_item_id) == ("gift", gift.id)


def test_first_anniversary_is_round():
    gift = item(tags=("hiking",))
    [draft] = suggest(hiker(anniversary(3, 10, 2026), tier="C"), catalog=[gift])
    assert draft.kind == "gift"


def test_non_round_anniversary_gets_no_gift():
    [draft] = suggest(hiker(anniversary(3, 10, 2020)), catalog=[item(tags=("hiking",))])
    assert draft.kind == "note"


def test_without_a_first_year_it_is_a_note_and_not_round():
    [draft] = suggest(hiker(anniversary(3, 10, None)), catalog=[item(tags=("hiking",))])
    assert draft.kind == "note"
    assert draft.explanation.years is None


def test_founding_day_this_year_is_not_an_anniversary_yet():
    assert suggest(make_contact(anniversary(3, 10, 2027, subject="company"))) == []
