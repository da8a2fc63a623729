import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from gestures.rules import (
    GestureInfo,
    ScanSettings,
    annual_gift_limit,
    eligible_gifts,
    gift_ineligibility,
    gift_proposal,
    propose_gift,
    remaining_allowance,
)

from .factories import INTEREST_NAMES, TODAY, gift_given, hiker, item, make_contact, noted

EVENT = TODAY + dt.timedelta(days=10)
SETTINGS = ScanSettings()


def why_not(gift, contact=None, *, gestures=(), occasion="birthday", event_date=EVENT):
    return gift_ineligibility(
        gift,
        contact=contact or hiker(),
        gestures=list(gestures),
        settings=SETTINGS,
        occasion=occasion,
        event_date=event_date,
        today=TODAY,
    )


def ranked(contact, catalog, *, gestures=()):
    return eligible_gifts(
        contact=contact,
        gestures=list(gestures),
        catalog=catalog,
        settings=SETTINGS,
        occasion="birthday",
        event_date=EVENT,
        today=TODAY,
    )


def constrained(*tags: str):
    return hiker(*(noted("constraint", tag=tag) for tag in tags))


def test_a_fitting_item_is_eligible():
    gift = item(tags=("hiking", "travel"))
    assert why_not(gift) is None
    assert (
        gift_ineligibility(
            gift,
            contact=hiker(),
            gestures=[],
            settings=SETTINGS,
            occasion="birthday",
            event_date=EVENT,
            today=TODAY,
        )
        is None
    )


def test_inactive_item():
    assert why_not(item(active=False)) == "inactive"


def test_out_of_stock_item_and_unlimited_stock():
    assert why_not(item(stock=0)) == "out_of_stock"
    assert why_not(item(stock=1)) is None
    assert why_not(item(stock=None)) is None


def test_item_must_suit_the_occasion():
    assert why_not(item(occasions=("anniversary",))) == "wrong_occasion"
    assert why_not(item(occasions=("birthday",))) is None
    assert why_not(item(occasions=("any",))) is None


def test_lead_time_must_leave_time_to_arrive():
    assert why_not(item(lead_time_days=10)) is None  # arrives on the day
    assert why_not(item(lead_time_days=11)) == "too_late"


def test_item_must_match_an_interest():
    assert why_not(item(tags=("golf",))) == "no_matching_interest"
    assert why_not(item(tags=("hiking",)), make_contact()) == "no_matching_interest"


def test_never_the_same_item_twice():
    gift = item()
    earlier = gift_given(dt.date(2023, 5, 1), item_id=gift.id)
    assert why_not(gift, gestures=[earlier]) == "given_before"


def test_annual_allowance_counts_earlier_gifts_of_the_year():
    gestures = [
        gift_given(dt.date(2027, 1, 15), value="18.00"),
        gift_given(dt.date(2027, 2, 1), value="12.00"),
    ]
    assert why_not(item(price="20.00"), gestures=gestures) is None
    assert why_not(item(price="20.01"), gestures=gestures) == "over_allowance"


def test_allowance_is_per_calendar_year_of_the_event():
    last_year = [gift_given(dt.date(2026, 12, 20), value="45.00")]
    assert why_not(item(price="40.00"), gestures=last_year) is None
    # A Jan 3 event is next year's allowance, even when it is chosen in December.
    this_year = [gift_given(dt.date(2027, 12, 1), value="45.00")]
    contact = hiker()
    assert (
        gift_ineligibility(
            item(price="40.00"),
            contact=contact,
            gestures=this_year,
            settings=SETTINGS,
            occasion="birthday",
            event_date=dt.date(2028, 1, 3),
            today=dt.date(2027, 12, 20),
        )
        is None
    )


def test_remaining_allowance_never_goes_below_zero_and_ignores_other_gestures():
    contact = make_contact()
    gestures = [
        gift_given(dt.date(2027, 1, 1), value="60.00"),
        GestureInfo(
            kind="meeting", date=dt.date(2027, 1, 2), gift_item_id=None, value_eur=Decimal(99)
        ),
    ]
    assert (
        remaining_allowance(contact=contact, gestures=gestures, settings=SETTINGS, year=2027) == 0
    )
    assert (
        remaining_allowance(contact=contact, gestures=gestures, settings=SETTINGS, year=2026) == 50
    )


def test_organization_lower_limit_applies():
    contact = hiker(organization_gift_limit_eur=Decimal("30"))
    assert why_not(item(price="30.00"), contact) is None
    assert why_not(item(price="35.00"), contact) == "over_allowance"


def test_organization_higher_limit_does_not_raise_the_default():
    contact = hiker(organization_gift_limit_eur=Decimal("100"))
    assert why_not(item(price="60.00"), contact) == "over_allowance"


@pytest.mark.parametrize(
    ("contact_fields", "reason"),
    [
        ({"do_not_gift": True}, "do_not_gift"),
        ({"organization_gift_policy": "no_gifts"}, "organization_no_gifts"),
        ({"organization_kind": "public_sector"}, "public_sector"),
    ],
)
def test_contact_level_exclusions_rule_out_every_gift(contact_fields, reason):
    contact = hiker(**contact_fields)
    assert why_not(item(), contact) == reason
    assert ranked(contact, [item(), item("B2")]) == []


def test_no_gifts_constraint_rules_out_every_gift():
    assert why_not(item(), constrained("no_gifts")) == "no_gifts_constraint"


@pytest.mark.parametrize("constraint", ["no_alcohol", "halal"])
def test_alcohol_excluded_by_no_alcohol_and_by_halal(constraint):
    wine = item(tags=("hiking",), contains_alcohol=True)
    assert why_not(wine, constrained(constraint)) == "contains_alcohol"
    assert why_not(item(tags=("hiking",)), constrained(constraint)) is None
    assert why_not(wine) is None


@pytest.mark.parametrize(
    ("constraint", "fits", "does_not_fit"),
    [
        ("vegan", ("vegan",), ("vegetarian",)),
        ("vegetarian", ("vegan",), ()),
        ("vegetarian", ("vegetarian",), ("gluten_free",)),
        ("gluten_free", ("gluten_free",), ("vegan",)),
        ("lactose_free", ("vegan",), ("vegetarian",)),
        ("lactose_free", ("lactose_free",), ()),
        ("nut_allergy", ("nut_free",), ("vegan", "gluten_free")),
        ("halal", ("halal",), ("kosher",)),
        ("kosher", ("kosher",), ("halal",)),
    ],
)
def test_dietary_constraints_need_the_label_on_food(constraint, fits, does_not_fit):
    contact = constrained(constraint)
    assert why_not(item(food=True, dietary=fits), contact) is None
    assert why_not(item(food=True, dietary=does_not_fit), contact) == "dietary"


def test_dietary_constraints_do_not_apply_to_non_food():
    assert why_not(item(food=False), constrained("vegan", "nut_allergy", "kosher")) is None


def test_every_dietary_constraint_must_hold():
    contact = constrained("vegan", "nut_allergy")
    assert why_not(item(food=True, dietary=("vegan",)), contact) == "dietary"
    assert why_not(item(food=True, dietary=("vegan", "nut_free")), contact) is None


def test_more_matched_interests_rank_first():
    contact = hiker(noted("interest", tag="coffee"))
    one = item("A-ONE", tags=("hiking",), price="5.00")
    two = item("Z-TWO", tags=("hiking", "coffee"), price="30.00")
    # Both interests were noted the same day, so they are listed by slug.
    assert [(i.sku, m) for i, m in ranked(contact, [one, two])] == [
        ("Z-TWO", ("coffee", "hiking")),
        ("A-ONE", ("hiking",)),
    ]


def test_more_recently_noted_interest_ranks_first():
    contact = make_contact(
        noted("interest", tag="golf", noted_on=dt.date(2025, 1, 1)),
        noted("interest", tag="coffee", noted_on=dt.date(2027, 2, 1)),
    )
    golf = item("A-GOLF", tags=("golf",), price="5.00")
    coffee = item("B-COFFEE", tags=("coffee",), price="30.00")
    assert [i.sku for i, _ in ranked(contact, [golf, coffee])] == ["B-COFFEE", "A-GOLF"]


def test_matched_interests_are_listed_most_recent_first():
    contact = make_contact(
        noted("interest", tag="golf", noted_on=dt.date(2025, 1, 1)),
        noted("interest", tag="coffee", noted_on=dt.date(2027, 2, 1)),
    )
    [(_, matched)] = ranked(contact, [item(tags=("golf", "coffee", "wine"))])
    assert matched == ("coffee", "golf")


def test_ties_break_by_lower_price_then_sku():
    cheap = item("Z-CHEAP", price="10.00")
    dear = item("A-DEAR", price="20.00")
    same_price = item("B-SAME", price="10.00")
    assert [i.sku for i, _ in ranked(hiker(), [dear, cheap, same_price])] == [
        "B-SAME",
        "Z-CHEAP",
        "A-DEAR",
    ]


# -- the gift proposer and the annual limit ----------------------------------------------


def propose(contact, catalog, *, gestures=(), own=()):
    return propose_gift(
        contact=contact,
        gestures=list(gestures),
        catalog=catalog,
        settings=SETTINGS,
        occasion="birthday",
        event_date=EVENT,
        today=TODAY,
        own_observation_ids=list(own),
        interest_names=INTEREST_NAMES,
    )


def test_the_proposal_is_the_best_ranked_item_with_its_reason_due_date_and_allowance():
    birthday = noted("birthday", month=3, day=11, text="Birthday on March 11.")
    hiking = noted("interest", tag="hiking", text="Loves hiking.")
    contact = make_contact(birthday, hiking)
    boots = item("BOOTS", tags=("hiking",), price="30.00", lead_time_days=4)
    catalog = [item("TEA", tags=("tea",)), boots]

    proposal = propose(
        contact, catalog, gestures=[gift_given(TODAY, value="5.00")], own=[birthday[1].id]
    )

    assert proposal.item == boots
    assert proposal.due_date == EVENT - dt.timedelta(days=4)
    assert proposal.needs_approval  # 30 EUR is above the 25 EUR threshold
    assert proposal.observation_ids == (birthday[1].id, hiking[1].id)
    assert [quote[0] for quote in proposal.quotes] == ["Birthday on March 11.", "Loves hiking."]
    assert proposal.reason.matched_interests == ("hiking",)
    assert proposal.reason.interest_labels == (("hiking", "Hiking", "Wandern"),)
    assert (proposal.reason.allowance_limit_eur, proposal.reason.remaining_allowance_eur) == (
        Decimal(50),
        Decimal(45),
    )


def test_without_a_proposal_the_reason_says_why():
    catalog = [item("BOOTS", tags=("hiking",))]

    assert propose(make_contact(do_not_gift=True), catalog) == "gifts_excluded"
    assert propose(make_contact(), catalog) == "no_interest"
    assert propose(hiker(), [item("TEA", tags=("tea",))]) == "no_eligible_item"


def test_a_due_date_is_never_before_today():
    contact = hiker()
    late = item("BOOTS", tags=("hiking",), lead_time_days=10)

    proposal = gift_proposal(
        late,
        contact=contact,
        gestures=[],
        settings=SETTINGS,
        event_date=EVENT,
        today=TODAY,
        own_observation_ids=[],
        interest_names=INTEREST_NAMES,
    )

    assert proposal.due_date == TODAY


@pytest.mark.parametrize(
    ("organization_limit", "limit"),
    [(None, "50"), (Decimal("35"), "35"), (Decimal("80"), "50"), (Decimal("0"), "0")],
)
def test_the_annual_limit_is_the_default_or_the_organizations_lower_one(organization_limit, limit):
    assert annual_gift_limit(
        default_eur=Decimal("50"), organization_limit_eur=organization_limit
    ) == Decimal(limit)


def test_a_relatives_interest_is_no_gift_idea():
    partner_golfer = make_contact(
        noted("interest", tag="golf", person="partner", text="Her husband is a golf fan.")
    )
    assert why_not(item(tags=("golf",)), partner_golfer) == "no_matching_interest"


def test_a_relatives_constraint_is_not_the_contacts():
    gift = item(tags=("hiking",), contains_alcohol=True)
    assert why_not(gift, hiker(noted("constraint", tag="no_alcohol", person="partner"))) is None
    assert why_not(gift, hiker(noted("constraint", tag="no_alcohol"))) == "contains_alcohol"


def test_a_disliked_item_is_left_out_even_if_it_suits_an_interest():
    gift = item(tags=("hiking", "chocolate"))
    contact = hiker(
        noted("interest", tag="chocolate", text="Loves chocolate."),
        noted("dislike", tag="chocolate", text="Mag keine Schokolade mehr."),
    )
    assert why_not(gift, contact) == "disliked"
    assert why_not(item(tags=("hiking",)), contact) is None
    assert [g.sku for g, _ in ranked(contact, [gift, item(sku="BOOTS", tags=("hiking",))])] == [
        "BOOTS"
    ]


def test_a_dislike_is_not_an_interest():
    contact = make_contact(noted("dislike", tag="golf", text="Can not stand golf."))
    assert why_not(item(tags=("golf",)), contact) == "no_matching_interest"


def test_an_item_that_felt_wrong_is_never_proposed_to_that_contact_again():
    wine, book = item("WINE-1", tags=("hiking",)), item("BOOK-2", tags=("hiking",))
    hurt = replace(hiker(), felt_wrong_item_ids=frozenset({wine.id}))
    # Said before any other reason, also before "given before".
    earlier = gift_given(dt.date(2026, 1, 5), item_id=wine.id)
    assert why_not(wine, hurt, gestures=[earlier]) == "felt_wrong"
    assert why_not(wine, hurt) == "felt_wrong"
    assert why_not(book, hurt) is None
    assert [entry[0].sku for entry in ranked(hurt, [wine, book])] == ["BOOK-2"]
    # Another contact may still get it.
    assert why_not(wine, hiker()) is None
