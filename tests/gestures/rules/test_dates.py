import datetime as dt

import pytest

from gestures.rules import days_until, next_occurrence, occurrence_in_year
from gestures.rules.dates import is_within, yearly_date
from gestures.rules.types import FactInfo


def test_next_occurrence_counts_today():
    assert next_occurrence(3, 3, dt.date(2027, 3, 3)) == dt.date(2027, 3, 3)


def test_next_occurrence_later_this_year():
    assert next_occurrence(3, 3, dt.date(2027, 1, 10)) == dt.date(2027, 3, 3)


def test_next_occurrence_passed_yesterday_is_next_year():
    assert next_occurrence(3, 3, dt.date(2027, 3, 4)) == dt.date(2028, 3, 3)


def test_next_occurrence_wraps_over_the_year_end():
    assert next_occurrence(1, 3, dt.date(2027, 12, 28)) == dt.date(2028, 1, 3)
    assert days_until(dt.date(2028, 1, 3), dt.date(2027, 12, 28)) == 6


def test_feb_29_falls_on_feb_28_in_a_common_year():
    assert next_occurrence(2, 29, dt.date(2027, 2, 1)) == dt.date(2027, 2, 28)


def test_feb_29_stays_in_a_leap_year():
    assert next_occurrence(2, 29, dt.date(2028, 2, 1)) == dt.date(2028, 2, 29)


def test_feb_29_after_feb_28_of_a_common_year_is_next_leap_day():
    # On Mar 1, 2027 this year's (Feb 28) has passed; 2028 is a leap year.
    assert next_occurrence(2, 29, dt.date(2027, 3, 1)) == dt.date(2028, 2, 29)


def test_occurrence_in_year_rejects_a_month_that_does_not_exist():
    with pytest.raises(ValueError, match="not a day of the year"):
        occurrence_in_year(13, 1, 2027)


def test_days_until_is_negative_once_passed():
    assert days_until(dt.date(2027, 2, 26), dt.date(2027, 3, 1)) == -3


@pytest.mark.parametrize(
    ("offset", "inside"), [(-8, False), (-7, True), (0, True), (14, True), (15, False)]
)
def test_is_within_is_inclusive_at_both_edges(offset, inside):
    today = dt.date(2027, 3, 1)
    day = today + dt.timedelta(days=offset)
    assert is_within(day, today=today, days_before=14, days_after=7) is inside


def test_yearly_date_from_month_and_day_or_from_a_full_date():
    assert yearly_date(FactInfo(id=1, observation_id=1, kind="birthday", month=2, day=29)) == (
        2,
        29,
    )
    with_date = FactInfo(id=1, observation_id=1, kind="birthday", date=dt.date(1980, 6, 14))
    assert yearly_date(with_date) == (6, 14)


@pytest.mark.parametrize(("month", "day"), [(None, 3), (3, None), (4, 31), (0, 1), (2, 30)])
def test_yearly_date_of_an_impossible_day_is_none(month, day):
    assert (
        yearly_date(FactInfo(id=1, observation_id=1, kind="birthday", month=month, day=day)) is None
    )
