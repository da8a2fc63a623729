"""The appropriateness guard as plain data: periods of care, symbolism, dislikes, budget."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from gestures.rules import ScanSettings, explanation_parts, render_explanation, suggest_for_contact
from gestures.rules.guard import care_period_on, item_exclusion

from .factories import INTEREST_NAMES, TODAY, item, make_contact, noted

WINE = replace(
    item("WINE", tags=("wine",), occasions=("birthday", "anniversary"), contains_alcohol=True),
    symbols=frozenset({"celebratory", "alcohol"}),
)
BIRTHDAY_IN_4 = TODAY + dt.timedelta(days=4)


def wine_lover(*facts, **fields):
    return make_contact(
        noted("interest", tag="wine", text="Loves a good wine."),
        noted(
            "birthday",
            month=BIRTHDAY_IN_4.month,
            day=BIRTHDAY_IN_4.day,
            text=f"Her birthday is on {BIRTHDAY_IN_4:%B} {BIRTHDAY_IN_4.day}.",
        ),
        *facts,
        **fields,
    )


def mother_died(days_ago: int = 7):
    return noted(
        "life_event",
        event="bereavement",
        person="parent",
        date=TODAY - dt.timedelta(days=days_ago),
        noted_on=TODAY - dt.timedelta(days=1),
        text="Her mother passed away last week.",
    )


def suggest(contact, *, catalog=(WINE,), settings=None, budget=None, today=TODAY):
    return suggest_for_contact(
        contact=contact,
        gestures=[],
        existing=[],
        catalog=list(catalog),
        settings=settings or ScanSettings(),
        today=today,
        interest_names=INTEREST_NAMES,
        budget_left_eur=budget,
    )


def text_of(draft, language="en"):
    return render_explanation(
        draft.explanation, language=language, today=TODAY, interest_names=INTEREST_NAMES
    )


def test_without_a_bereavement_the_wine_lover_gets_wine_for_her_birthday():
    (draft,) = suggest(wine_lover())
    assert draft.kind == "gift"
    assert draft.gift_item_id == WINE.id


def test_mother_died_last_week_birthday_in_four_days_a_note_not_wine_and_care_first():
    drafts = suggest(wine_lover(mother_died()))

    assert [(d.occasion, d.kind) for d in drafts] == [("life_event", "note"), ("birthday", "note")]
    birthday = drafts[1]
    assert birthday.gift_item_id is None
    assert birthday.explanation.fallback_reason == "care_period"
    reasons = [note.reason for note in birthday.explanation.guard]
    assert reasons == ["care_period", "care_item"]
    assert birthday.explanation.guard[1].sku == "WINE"
    text = text_of(birthday)
    assert "A personal note only: after a bereavement in the family (parent)" in text
    assert "Left out: WINE (en) (celebratory and alcohol) does not suit the period of care." in text


def test_the_care_period_explained_in_german():
    birthday = suggest(wine_lover(mother_died()))[1]
    text = text_of(birthday, "de")
    assert "Nur eine persönliche Karte: Nach einem Trauerfall in der Familie (Elternteil)" in text
    left_out = (
        "Weggelassen: WINE (de) (festlich und Alkohol) passt nicht in die Zeit der Rücksicht."
    )
    assert left_out in text


def test_after_the_care_period_the_birthday_has_its_gift_again():
    # Six weeks by default: a bereavement 46 days before today is past its care.
    (draft, *_rest) = [d for d in suggest(wine_lover(mother_died(46))) if d.occasion == "birthday"]
    assert draft.kind == "gift"
    # A period of care of five days has ended before today and before the birthday.
    shorter = ScanSettings(care_period_days=5)
    drafts = suggest(wine_lover(mother_died()), settings=shorter)
    assert [d.kind for d in drafts if d.occasion == "birthday"] == ["gift"]


def test_a_birthday_call_in_the_care_period_becomes_a_note():
    tomorrow = TODAY + dt.timedelta(days=1)
    contact = make_contact(
        noted("birthday", month=tomorrow.month, day=tomorrow.day), mother_died(), tier="B"
    )
    birthday = [d for d in suggest(contact, catalog=()) if d.occasion == "birthday"]
    assert [d.kind for d in birthday] == ["note"]


def test_illness_then_anniversary_a_personal_note_that_does_not_name_the_illness():
    day = TODAY + dt.timedelta(days=10)
    contact = make_contact(
        noted("interest", tag="wine"),
        noted("anniversary", subject="work", month=day.month, day=day.day, year=day.year - 10),
        noted("life_event", event="illness", date=TODAY - dt.timedelta(days=3), sensitive=True),
    )
    drafts = suggest(contact)
    anniversary = next(d for d in drafts if d.occasion == "anniversary")

    assert anniversary.kind == "note"
    assert anniversary.gift_item_id is None
    assert anniversary.explanation.sensitive
    assert drafts[0].occasion == "life_event"
    text = text_of(anniversary)
    assert "illness" not in text
    assert "after a hard time on" in text


def test_no_call_without_an_occasion_during_the_care_period():
    contact = make_contact(
        noted("life_event", event="bereavement", date=TODAY - dt.timedelta(days=35)),
        last_touch=TODAY - dt.timedelta(days=100),
    )
    # The life event's own window (30 days) is over; the care period (42) is not.
    assert [d.occasion for d in suggest(contact, catalog=())] == []
    later = suggest(contact, catalog=(), today=TODAY + dt.timedelta(days=10))
    assert [d.occasion for d in later] == ["keep_in_touch"]


def test_a_dislike_excludes_the_item_and_says_so_an_interest_alone_does_not():
    atlas = item("ATLAS", tags=("reading", "hiking"))
    novel = item("NOVEL", tags=("reading",), price="30.00")
    day = TODAY + dt.timedelta(days=10)
    reader = make_contact(
        noted("interest", tag="reading"),
        noted("interest", tag="hiking"),
        noted("birthday", month=day.month, day=day.day),
    )
    (draft,) = suggest(reader, catalog=(atlas, novel))
    assert draft.gift_item_id == atlas.id
    assert draft.explanation.guard == ()

    disliking = replace(
        reader, facts=(*reader.facts, noted("dislike", tag="hiking", text="Hates hiking.")[0])
    )
    (draft,) = suggest(disliking, catalog=(atlas, novel))
    assert draft.gift_item_id == novel.id
    (note,) = draft.explanation.guard
    assert (note.reason, note.sku, note.what) == ("disliked", "ATLAS", ("hiking",))
    assert "Left out: ATLAS (en) — recorded dislike: Hiking." in text_of(draft)
    assert "Weggelassen: ATLAS (de) — notierte Abneigung: Wandern." in text_of(draft, "de")


def test_symbolism_unsuitable_for_one_occasion_only():
    clock = replace(
        item("CLOCK", tags=("hiking",)),
        symbols=frozenset({"clocks"}),
        unsuitable_for=frozenset({"birthday"}),
    )
    for_birthday = item_exclusion(clock, occasion="birthday", dislikes=frozenset(), care=None)
    assert for_birthday is not None and for_birthday.reason == "symbolism"
    assert item_exclusion(clock, occasion="anniversary", dislikes=frozenset(), care=None) is None
    # The catalog asks whatever the occasion: the occasion's own mark does not count there.
    assert item_exclusion(clock, occasion=None, dislikes=frozenset(), care=None) is None
    parts = explanation_parts(
        replace(suggest(wine_lover())[0].explanation, guard=(for_birthday,)),
        language="en",
        today=TODAY,
        interest_names=INTEREST_NAMES,
    )
    assert parts.guard == (
        "Left out: CLOCK (en) — clocks and watches: unsuitable for this occasion (Birthday).",
    )


def test_care_leaves_out_celebratory_and_alcoholic_items_not_others():
    care = care_period_on(wine_lover(mother_died()), care_period_days=42, days=(TODAY,))
    assert care is not None
    tea = item("TEA", tags=("tea",))
    champagne = replace(item("FIZZ", tags=("wine",)), symbols=frozenset({"celebratory"}))
    assert item_exclusion(tea, occasion=None, dislikes=frozenset(), care=care) is None
    fizz = item_exclusion(champagne, occasion=None, dislikes=frozenset(), care=care)
    assert fizz is not None and fizz.what == ("celebratory",)
    beer = item("BEER", tags=("beer",), contains_alcohol=True)
    excluded = item_exclusion(beer, occasion=None, dislikes=frozenset(), care=care)
    assert excluded is not None and excluded.what == ("alcohol",)


def test_the_month_s_budget_spent_turns_the_gift_into_a_note_that_says_so():
    settings = ScanSettings(monthly_gift_budget_eur=Decimal("100"))
    (draft,) = suggest(wine_lover(), settings=settings, budget=Decimal("100"))
    assert draft.kind == "gift"

    (draft,) = suggest(wine_lover(), settings=settings, budget=Decimal("5"))
    assert draft.kind == "note"
    assert draft.explanation.fallback_reason == "monthly_budget"
    assert draft.explanation.guard[-1].reason == "budget"
    assert "this month's gift budget of €100.00 is spent (€5.00 left)" in text_of(draft)
    assert "Das Geschenkbudget dieses Monats von 100,00" in text_of(draft, "de")


def test_a_cheaper_item_within_the_budget_is_still_proposed():
    cheap = item("CARD", tags=("wine",), price="4.00", occasions=("birthday",))
    settings = ScanSettings(monthly_gift_budget_eur=Decimal("100"))
    (draft,) = suggest(wine_lover(), catalog=(WINE, cheap), settings=settings, budget=Decimal("5"))
    assert draft.gift_item_id == cheap.id


def test_the_explanation_with_its_guard_notes_survives_storage():
    birthday = suggest(wine_lover(mother_died()))[1]
    stored = type(birthday.explanation).from_json(birthday.explanation.as_json())
    assert stored == birthday.explanation
