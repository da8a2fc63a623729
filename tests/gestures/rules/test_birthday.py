import datetime as dt

from gestures.rules import ScanSettings

from .factories import TODAY, hiker, item, make_contact, noted, suggest


def birthday(month: int, day: int, **fields):
    return noted("birthday", month=month, day=day, text="Her birthday is soon.", **fields)


def test_birthday_within_the_horizon_gets_a_note():
    contact = make_contact(birthday(3, 10), tier="B")
    [draft] = suggest(contact)
    assert (draft.occasion, draft.kind) == ("birthday", "note")
    assert draft.occurrence_date == dt.date(2027, 3, 10)
    assert draft.due_date == dt.date(2027, 3, 10)
    assert draft.source_fact_id == contact.facts[0].id
    assert draft.observation_ids == (contact.facts[0].observation_id,)


def test_horizon_is_inclusive_and_ends_there():
    last_day = TODAY + dt.timedelta(days=21)
    assert suggest(make_contact(birthday(last_day.month, last_day.day), tier="B"))
    day_after = TODAY + dt.timedelta(days=22)
    assert suggest(make_contact(birthday(day_after.month, day_after.day), tier="B")) == []


def test_a_shorter_horizon_from_the_settings():
    contact = make_contact(birthday(3, 10), tier="B")
    assert suggest(contact, settings=ScanSettings(horizon_days=7)) == []


def test_birthday_over_the_year_end():
    today = dt.date(2027, 12, 28)
    [draft] = suggest(make_contact(birthday(1, 3), tier="B", last_touch=today), today=today)
    assert draft.occurrence_date == dt.date(2028, 1, 3)


def test_feb_29_birthday_is_suggested_for_feb_28_in_a_common_year():
    today = dt.date(2027, 2, 20)
    [draft] = suggest(make_contact(birthday(2, 29), tier="B", last_touch=today), today=today)
    assert draft.occurrence_date == dt.date(2027, 2, 28)


def test_birthday_yesterday_is_not_suggested():
    assert suggest(make_contact(birthday(2, 28), tier="A")) == []


def test_birthday_today_or_tomorrow_is_a_call_because_a_note_would_arrive_late():
    assert suggest(make_contact(birthday(3, 1), tier="B"))[0].kind == "call"
    assert suggest(make_contact(birthday(3, 3), tier="B"))[0].kind == "call"
    assert suggest(make_contact(birthday(3, 4), tier="B"))[0].kind == "note"


def test_tier_a_birthday_gets_a_gift_when_an_item_fits():
    gift = item("BOOTS", tags=("hiking",), occasions=("birthday",), price="20.00")
    [draft] = suggest(hiker(birthday(3, 10), tier="A"), catalog=[gift])
    assert (draft.kind, draft.gift_item_id, draft.price_eur) == ("gift", gift.id, gift.price_eur)
    # Ordered three days ahead so it arrives on the day.
    assert draft.due_date == dt.date(2027, 3, 7)


def test_tier_b_and_c_birthdays_get_no_gift():
    gift = item(tags=("hiking",))
    for tier in ("B", "C"):
        [draft] = suggest(hiker(birthday(3, 10), tier=tier), catalog=[gift])
        assert draft.kind == "note"
        assert draft.explanation.fallback_reason is None


def test_gift_that_cannot_arrive_in_time_becomes_a_note():
    late = item(tags=("hiking",), lead_time_days=10)
    [draft] = suggest(hiker(birthday(3, 10), tier="A"), catalog=[late])
    assert (draft.kind, draft.gift_item_id) == ("note", None)
    assert draft.explanation.fallback_reason == "no_eligible_item"


def test_no_interest_no_gift():
    [draft] = suggest(make_contact(birthday(3, 10), tier="A"), catalog=[item(tags=("hiking",))])
    assert draft.kind == "note"
    assert draft.explanation.fallback_reason == "no_interest"


def test_the_same_birthday_noted_twice_is_one_suggestion_quoting_both():
    first = birthday(3, 10, noted_on=dt.date(2026, 5, 1))
    second = noted("birthday", month=3, day=10, text="Geburtstag am 10.03.", author="Jonas Weber")
    [draft] = suggest(make_contact(first, second, tier="B"))
    assert draft.source_fact_id == min(first[0].id, second[0].id)
    assert set(draft.observation_ids) == {first[1].id, second[1].id}
    assert len(draft.explanation.quotes) == 2


def test_conflicting_birthdays_are_separate_suggestions():
    drafts = suggest(make_contact(birthday(3, 10), birthday(3, 12), tier="B"))
    assert [d.occurrence_date for d in drafts] == [dt.date(2027, 3, 10), dt.date(2027, 3, 12)]


def test_a_relatives_birthday_is_not_the_contacts():
    assert suggest(make_contact(birthday(3, 10, person="partner"), tier="B")) == []
