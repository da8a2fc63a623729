"""Customer anniversaries: round years as our customer from Contact.customer_since."""

import datetime as dt
from dataclasses import replace

import pytest

from gestures.rules import render_explanation

from .factories import INTEREST_NAMES, TODAY, hiker, item, make_contact, suggest


def customer(since: dt.date | None, *, tier="B", contact=None, **fields):
    return replace(contact or make_contact(tier=tier, **fields), customer_since=since)


@pytest.mark.parametrize("years", [1, 5, 10, 15, 30])
def test_a_round_year_within_the_horizon_gets_a_note(years):
    [draft] = suggest(customer(dt.date(2027 - years, 3, 10)))

    assert (draft.occasion, draft.kind) == ("customer_anniversary", "note")
    assert draft.occurrence_date == dt.date(2027, 3, 10)
    assert (draft.due_date, draft.expires_on) == (dt.date(2027, 3, 10), dt.date(2027, 3, 10))
    assert draft.source_fact_id is None
    assert draft.explanation.years == years


@pytest.mark.parametrize("years", [0, 2, 3, 4, 6, 11])
def test_other_years_get_nothing(years):
    assert suggest(customer(dt.date(2027 - years, 3, 10))) == []


def test_nothing_without_a_customer_since_date_or_beyond_the_horizon():
    assert suggest(customer(None)) == []
    beyond = TODAY + dt.timedelta(days=22)
    assert suggest(customer(beyond.replace(year=2022))) == []


def test_tier_a_gets_a_gift_at_five_ten_fifteen_years_when_one_fits():
    catalog = [item("BOOTS", tags=("hiking",), occasions=("customer_anniversary",))]

    [five] = suggest(customer(dt.date(2022, 3, 10), contact=hiker(tier="A")), catalog=catalog)
    [one] = suggest(customer(dt.date(2026, 3, 10), contact=hiker(tier="A")), catalog=catalog)
    [tier_b] = suggest(customer(dt.date(2022, 3, 10), contact=hiker(tier="B")), catalog=catalog)

    assert (five.kind, five.gift_item_id) == ("gift", catalog[0].id)
    assert five.due_date == dt.date(2027, 3, 7)  # three days' delivery
    assert (one.kind, tier_b.kind) == ("note", "note")


def test_an_item_for_anniversaries_only_does_not_suit_it():
    catalog = [item("BOOTS", tags=("hiking",), occasions=("anniversary",))]

    [draft] = suggest(customer(dt.date(2017, 3, 10), contact=hiker(tier="A")), catalog=catalog)

    assert (draft.kind, draft.explanation.fallback_reason) == ("note", "no_eligible_item")


def test_a_feb_29_start_comes_round_on_feb_28_in_a_common_year():
    today = dt.date(2029, 2, 20)
    [draft] = suggest(customer(dt.date(2024, 2, 29), last_touch=today), today=today)

    assert (draft.occurrence_date, draft.explanation.years) == (dt.date(2029, 2, 28), 5)


def test_over_the_year_end():
    today = dt.date(2027, 12, 28)
    [draft] = suggest(customer(dt.date(2018, 1, 3), last_touch=today), today=today)

    assert (draft.occurrence_date, draft.explanation.years) == (dt.date(2028, 1, 3), 10)


def test_the_explanation_in_both_languages():
    [draft] = suggest(customer(dt.date(2022, 3, 6)))

    assert render_explanation(
        draft.explanation, language="en", today=TODAY, interest_names=INTEREST_NAMES
    ) == ("5 years as our customer on 6 March 2027 (in 5 days).\nSuggested: a handwritten note.")
    assert render_explanation(
        draft.explanation, language="de", today=TODAY, interest_names=INTEREST_NAMES
    ) == (
        "5 Jahre Kunde bei uns am 6. März 2027 (in 5 Tagen).\n"
        "Vorschlag: eine handgeschriebene Karte."
    )
