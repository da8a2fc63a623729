import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

import pytest

from gestures.rules import Explanation, GiftReason, describe_distance, format_date, format_money
from gestures.rules import render_explanation as render_with_names
from gestures.rules.gifts import pronoun_of

from .factories import INTEREST_NAMES, TODAY, gift_given, hiker, item, make_contact, noted, suggest


def render(explanation, language, *, today=TODAY, interest_names=INTEREST_NAMES):
    return render_with_names(
        explanation, language=language, today=today, interest_names=interest_names
    )


def birthday_draft():
    fact = noted("birthday", month=3, day=6, text="Her birthday is March 6th.")
    [draft] = suggest(make_contact(fact, tier="B"))
    return draft


def test_birthday_in_english():
    assert render(birthday_draft().explanation, "en") == (
        "Birthday on 6 March 2027 (in 5 days).\n"
        "Suggested: a handwritten note.\n"
        "“Her birthday is March 6th.” — noted by Anna Becker on 1 October 2026"
    )


def test_birthday_in_german():
    assert render(birthday_draft().explanation, "de") == (
        "Geburtstag am 6. März 2027 (in 5 Tagen).\n"
        "Vorschlag: eine handgeschriebene Karte.\n"
        "„Her birthday is March 6th.“ — notiert von Anna Becker am 1. Oktober 2026"
    )


def test_distance_is_counted_from_the_day_it_is_viewed():
    explanation = birthday_draft().explanation
    assert "(tomorrow)" in render(explanation, "en", today=dt.date(2027, 3, 5))
    assert "(heute)" in render(explanation, "de", today=dt.date(2027, 3, 6))


@pytest.mark.parametrize(
    ("offset", "en", "de"),
    [
        (0, "today", "heute"),
        (1, "tomorrow", "morgen"),
        (5, "in 5 days", "in 5 Tagen"),
        (-1, "yesterday", "gestern"),
        (-3, "3 days ago", "vor 3 Tagen"),
    ],
)
def test_distance(offset, en, de):
    day = TODAY + dt.timedelta(days=offset)
    assert describe_distance(day, today=TODAY, language="en") == en
    assert describe_distance(day, today=TODAY, language="de") == de


def test_dates_and_money_per_language():
    assert format_date(dt.date(2027, 3, 3), "en") == "3 March 2027"
    assert format_date(dt.date(2027, 3, 3), "de") == "3. März 2027"
    assert format_money(Decimal("1234.5"), "en") == "€1,234.50"
    assert format_money(Decimal("1234.5"), "de") == "1.234,50 €"


def gift_draft():
    contact = hiker(
        noted("birthday", month=6, day=10, text="Birthday on June 10."),
        noted("interest", tag="coffee", text="Drinks a lot of coffee.", author="Jonas Weber"),
        tier="A",
    )
    boots = item("BOOTS", tags=("hiking", "coffee"), price="24.90")
    # A gift this year, far enough back not to be too close to this one.
    earlier = gift_given(dt.date(2027, 1, 5), value="10.00")
    [draft] = suggest(contact, catalog=[boots], gestures=[earlier], today=dt.date(2027, 6, 1))
    assert draft.kind == "gift"
    return draft


def test_gift_reasons_in_english():
    text = render(gift_draft().explanation, "en")
    assert "Suggested gift: BOOTS (en) (€24.90)." in text
    # The interest as a sentence naming what was noted and when; no salutation: the name.
    assert ("It fits what Maria mentioned in October 2026 about Coffee and Hiking.") in text
    assert "Gift allowance 2027: €40.00 of €50.00 left before this gift." in text
    # The observations the gift is based on are quoted too.
    assert "“Drinks a lot of coffee.” — noted by Jonas Weber on 1 October 2026" in text
    assert "“Loves hiking.”" in text


def test_gift_reasons_in_german():
    text = render(gift_draft().explanation, "de")
    assert "Geschenkvorschlag: BOOTS (de) (24,90 €)." in text
    assert (
        "Es passt zu dem, was Maria im Oktober 2026 über Kaffee und Wandern erzählt hat."
    ) in text
    assert "Geschenkbudget 2027: noch 40,00 € von 50,00 € vor diesem Geschenk." in text
    assert "„Drinks a lot of coffee.“ — notiert von Jonas Weber am 1. Oktober 2026" in text


def test_interest_names_fall_back_to_those_stored_then_to_the_slug():
    explanation = gift_draft().explanation
    assert "Kaffee und Wandern" in render(explanation, "de", interest_names={})
    assert explanation.gift is not None
    bare = Explanation(
        occasion="birthday",
        kind="gift",
        event_date=TODAY,
        gift=GiftReason(
            sku="X",
            name_en="X",
            name_de="X",
            price_eur=Decimal(5),
            matched_interests=("board_games",),
            interest_labels=(),
            allowance_year=2027,
            allowance_limit_eur=Decimal(50),
            remaining_allowance_eur=Decimal(50),
        ),
    )
    assert "interests: board games." in render(bare, "en", interest_names={})


def test_anniversary_names_its_years():
    fact = noted("anniversary", subject="work", month=3, day=10, year=2017)
    [draft] = suggest(make_contact(fact))
    assert render(draft.explanation, "en").startswith(
        "10-year work anniversary on 10 March 2027 (in 9 days)."
    )
    assert render(draft.explanation, "de").startswith(
        "10-jähriges Dienstjubiläum am 10. März 2027 (in 9 Tagen)."
    )


def test_undated_role_change_says_when_it_was_noted():
    fact = noted("role_change", title="CFO", noted_on=TODAY - dt.timedelta(days=3))
    [draft] = suggest(make_contact(fact))
    assert render(draft.explanation, "en").startswith(
        "Role change to CFO, noted on 26 February 2027 (3 days ago).\n"
        "Suggested: a congratulation note."
    )
    assert render(draft.explanation, "de").startswith(
        "Rollenwechsel zu CFO, notiert am 26. Februar 2027 (vor 3 Tagen).\n"
        "Vorschlag: eine Glückwunschkarte."
    )


def test_milestone_refers_to_the_project():
    fact = noted("milestone", date=TODAY + dt.timedelta(days=14), label="ERP go-live")
    [draft] = suggest(make_contact(fact))
    assert render(draft.explanation, "en").startswith(
        "Project milestone “ERP go-live” on 15 March 2027 (in 14 days).\n"
        "Suggested: a handwritten note referring to the project."
    )
    assert render(draft.explanation, "de").startswith(
        "Projektmeilenstein „ERP go-live“ am 15. März 2027 (in 14 Tagen).\n"
        "Vorschlag: eine handgeschriebene Karte mit Bezug auf das Projekt."
    )


def test_bereavement_says_personal_note_only():
    fact = noted("life_event", event="bereavement", date=TODAY - dt.timedelta(days=1))
    [draft] = suggest(make_contact(fact))
    en, de = render(draft.explanation, "en"), render(draft.explanation, "de")
    assert en.startswith("Bereavement on 28 February 2027 (yesterday).")
    assert "A personal note only: no gift and no call for this occasion." in en
    assert de.startswith("Trauerfall am 28. Februar 2027 (gestern).")
    assert "Nur eine persönliche Karte: kein Geschenk und kein Anruf" in de


@pytest.mark.parametrize(
    ("contact_fields", "catalog", "en", "de"),
    [
        ({"do_not_gift": True}, [item()], "gifts to this contact are not allowed", "nicht erlaubt"),
        ({}, [], "no catalog item fits", "Kein Katalogartikel passt"),
    ],
)
def test_why_there_is_no_gift(contact_fields, catalog, en, de):
    contact = hiker(noted("birthday", month=3, day=10), tier="A", **contact_fields)
    [draft] = suggest(contact, catalog=catalog)
    assert en in render(draft.explanation, "en")
    assert de in render(draft.explanation, "de")


def test_keep_in_touch_since_and_never():
    [since] = suggest(make_contact(tier="B", last_touch=dt.date(2026, 12, 1)))
    assert render(since.explanation, "en") == (
        "Keep in touch: no gesture or observation since 1 December 2026 (90 days ago); "
        "tier B means every 60 days.\n"
        "Suggested: a call without a concrete occasion."
    )
    assert render(since.explanation, "de").startswith(
        "In Kontakt bleiben: keine Geste und keine Beobachtung seit 1. Dezember 2026 "
        "(vor 90 Tagen); Stufe B heißt alle 60 Tage.\n"
        "Vorschlag: ein Anruf ohne konkreten Anlass."
    )
    [never] = suggest(make_contact(tier="C", last_touch=None))
    assert "no gesture or observation recorded yet" in render(never.explanation, "en")


def test_an_unknown_language_reads_english():
    assert render(birthday_draft().explanation, "fr").startswith("Birthday on 6 March 2027")


def test_a_long_observation_is_shortened_in_the_quote():
    fact = noted("birthday", month=3, day=6, text="word " * 200)
    [draft] = suggest(make_contact(fact))
    quote_line = render(draft.explanation, "en").splitlines()[-1]
    assert "…”" in quote_line
    assert len(quote_line) < 350


@pytest.mark.parametrize("build", [birthday_draft, gift_draft])
def test_json_round_trip(build):
    explanation = build().explanation
    stored = json.loads(json.dumps(explanation.as_json()))
    assert Explanation.from_json(stored) == explanation


def test_json_round_trip_of_keep_in_touch():
    [draft] = suggest(make_contact(tier="B", last_touch=dt.date(2026, 12, 1)))
    data = json.loads(json.dumps(draft.explanation.as_json()))
    assert data["last_touch"] == "2026-12-01"
    assert Explanation.from_json(data) == draft.explanation


def test_json_uses_iso_dates_and_decimal_strings():
    data = gift_draft().explanation.as_json()
    assert data["event_date"] == "2027-06-10"
    assert data["gift"]["price_eur"] == "24.90"
    assert data["quotes"][0]["noted_on"] == "2026-10-01"


def test_the_parts_say_what_each_sentence_is_about():
    from gestures.rules import explanation_parts

    explanation = Explanation(
        occasion="birthday",
        kind="gift",
        event_date=TODAY + dt.timedelta(days=5),
        quotes=(("Loves hiking.", dt.date(2026, 10, 1), "Anna Becker"),),
        gift=GiftReason(
            sku="BOOTS",
            name_en="Hiking socks",
            name_de="Wandersocken",
            price_eur=Decimal("19.90"),
            matched_interests=("hiking",),
            interest_labels=(),
            allowance_year=2027,
            allowance_limit_eur=Decimal("50"),
            remaining_allowance_eur=Decimal("30"),
        ),
    )

    parts = explanation_parts(
        explanation, language="de", today=TODAY, interest_names=INTEREST_NAMES
    )

    assert parts.headline == "Geburtstag am 6. März 2027 (in 5 Tagen)."
    assert parts.gesture == ""
    assert parts.gift == "Geschenkvorschlag: Wandersocken (19,90 €)."
    assert parts.gift_interests == "Es passt zu den notierten Interessen: Wandern."
    assert (
        parts.gift_allowance == "Geschenkbudget 2027: noch 30,00 € von 50,00 € vor diesem Geschenk."
    )
    assert parts.fallback == ""
    assert parts.quotes == ("„Loves hiking.“ — notiert von Anna Becker am 1. Oktober 2026",)
    assert render(explanation, "de") == "\n".join(parts.lines())


@pytest.mark.parametrize(
    ("salutation", "en", "de"),
    [("Frau Dr.", "what she mentioned", "was sie im"), ("Herr", "what he mentioned", "was er im")],
)
def test_the_interest_sentence_uses_the_pronoun_the_salutation_gives(salutation, en, de):
    draft = gift_draft()
    gift = draft.explanation.gift
    assert gift is not None
    explanation = replace(draft.explanation, gift=replace(gift, pronoun=pronoun_of(salutation)))

    assert en in render(explanation, "en")
    assert de in render(explanation, "de")


def test_a_stored_explanation_without_the_note_keeps_the_plain_line():
    draft = gift_draft()
    gift = draft.explanation.gift
    assert gift is not None
    data = gift.as_json()
    for key in ("interest_noted_on", "pronoun", "first_name"):
        data.pop(key)
    explanation = replace(draft.explanation, gift=GiftReason.from_json(data))

    assert "It matches the recorded interests: Coffee and Hiking." in render(explanation, "en")
    assert GiftReason.from_json(gift.as_json()) == gift


def test_pronouns_from_salutations():
    assert [pronoun_of(s) for s in ("Frau", "Ms.", "Mrs", "Herr Prof.", "Mr", "Dr", "")] == [
        "she",
        "she",
        "she",
        "he",
        "he",
        "",
        "",
    ]
