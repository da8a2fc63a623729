"""Tests of the bilingual fact extractor: pure functions, no database, no Django."""

from __future__ import annotations

import importlib
import re
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.extraction import (
    ExtractedFact,
    Extraction,
    TagTerms,
    Taxonomy,
    detect_language,
    extract,
    taxonomy_from_seed,
)
from contacts.extraction.vocabulary import Folded, folded
from tests.contacts.extraction_scoring import (
    DEVSET,
    TESTSET,
    DevsetReport,
    load_labelled,
    score,
)

NOTED = date(2026, 11, 21)
TAXONOMY = taxonomy_from_seed()


def facts(text: str, noted_on: date = NOTED, kind: str | None = None) -> list[dict[str, object]]:
    result = extract(text, noted_on=noted_on, taxonomy=TAXONOMY)
    found = [fact.as_json() for fact in result.facts]
    return [f for f in found if kind is None or f["kind"] == kind]


def tags(text: str, kind: str = "interest") -> list[object]:
    return [fact["tag"] for fact in facts(text, kind=kind)]


# --- birthdays ---------------------------------------------------------------------------


def test_english_birthday_without_year() -> None:
    assert facts("Her birthday is March 3rd.") == [
        {"kind": "birthday", "month": 3, "day": 3, "year": None, "sensitive": False}
    ]


def test_german_birthday_in_dotted_form() -> None:
    assert facts("Geburtstag: 14.06.", kind="birthday") == [
        {"kind": "birthday", "month": 6, "day": 14, "year": None, "sensitive": False}
    ]


def test_german_birthday_with_month_name() -> None:
    assert facts("Hat am 3. März Geburtstag.", kind="birthday")[0]["month"] == 3


def test_birth_year_from_born_on() -> None:
    assert facts("Born on 3 March 1980.")[0]["year"] == 1980


def test_birth_year_from_age_and_next_occurrence() -> None:
    # Noted 2026-11-21: the next 2 May is in 2027, so a 50th birthday means born 1977.
    assert facts("Turns 50 on May 2.")[0]["year"] == 1977


def test_february_29_is_kept_as_is() -> None:
    birthday = facts("Geburtstag ist am 29.02.")[0]
    assert (birthday["month"], birthday["day"]) == (2, 29)


def test_slashed_dates_are_day_first_unless_impossible() -> None:
    assert facts("She was born 12/05/1979.")[0]["month"] == 5
    assert facts("She was born 05/25/1979.")[0]["day"] == 25


def test_invalid_date_gives_no_birthday_and_no_error() -> None:
    assert facts("Geburtstag am 31. Februar laut Formular.") == []


def test_birthday_of_a_relative_is_kept_as_theirs() -> None:
    assert facts("Ihr Mann hat am 4. Juli Geburtstag.") == [
        {
            "kind": "birthday",
            "month": 7,
            "day": 4,
            "year": None,
            "person": "partner",
            "sensitive": False,
        }
    ]
    assert facts("Geburtstag ihres Bruders: 1. April")[0]["person"] == "sibling"
    assert "person" not in facts("Hat am 4. Juli Geburtstag.")[0]


def test_birthday_of_a_colleague_is_not_kept() -> None:
    assert facts("Her boss has his birthday on 4 July.") == []


def test_day_before_a_full_stop_stays_the_day() -> None:
    assert facts("Launch planned for March 10.")[0]["date"] == "2027-03-10"
    assert facts("Rollout planned for April 2. Loves golf.")[0]["date"] == "2027-04-02"


def test_shorthand_day_and_month_without_a_year() -> None:
    assert facts("bday 3/4")[0] | {} == {
        "kind": "birthday",
        "month": 4,
        "day": 3,
        "year": None,
        "sensitive": False,
    }
    assert facts("3/4 of the budget is spent") == []


# --- anniversaries -----------------------------------------------------------------------


def test_work_anniversary_start_year_from_next_occurrence() -> None:
    assert facts("10 years at Siemens on January 15") == [
        {
            "kind": "anniversary",
            "subject": "work",
            "month": 1,
            "day": 15,
            "year": 2017,
            "sensitive": False,
        }
    ]


def test_german_company_anniversary() -> None:
    assert facts("Firmenjubiläum am 1. April.") == [
        {
            "kind": "anniversary",
            "subject": "company",
            "month": 4,
            "day": 1,
            "year": None,
            "sensitive": False,
        }
    ]


def test_german_work_anniversary_with_count() -> None:
    fact = facts("Feiert am 1. Juli 25-jähriges Dienstjubiläum.")[0]
    assert (fact["subject"], fact["year"]) == ("work", 2002)


def test_customer_anniversary_from_since_date() -> None:
    fact = facts("They've been our customer since 14 March 2016.")[0]
    assert (fact["subject"], fact["month"], fact["day"], fact["year"]) == ("customer", 3, 14, 2016)


def test_wedding_anniversary_in_german() -> None:
    assert facts("Hochzeitstag am 12. Juni.")[0]["subject"] == "wedding"


def test_anniversary_without_a_day_is_no_fact() -> None:
    assert facts("Seit 10 Jahren bei Bosch.") == []
    assert facts("5 years as our customer in March.") == []


# --- role changes ------------------------------------------------------------------------


def test_english_promotion_title() -> None:
    assert facts("Just promoted to CFO!") == [
        {"kind": "role_change", "title": "CFO", "date": None, "sensitive": False}
    ]


def test_title_keeps_of_inside_but_stops_at_of_the() -> None:
    assert facts("New role as Head of Procurement.")[0]["title"] == "Head of Procurement"
    assert facts("Was appointed managing director of the Munich branch.")[0]["title"] == (
        "managing director"
    )


def test_german_employer_change_with_date_and_no_title() -> None:
    assert facts("Wechselt zum 1. Februar zu BASF.") == [
        {"kind": "role_change", "title": None, "date": "2027-02-01", "sensitive": False}
    ]


def test_german_future_title_with_date() -> None:
    assert facts("Wird ab 1. März Vertriebsleiterin.") == [
        {
            "kind": "role_change",
            "title": "Vertriebsleiterin",
            "date": "2027-03-01",
            "sensitive": False,
        }
    ]


def test_someone_elses_title_is_no_role_change() -> None:
    assert facts("He's running the project with the new CTO.") == []


# --- life events -------------------------------------------------------------------------


def test_english_bereavement() -> None:
    assert facts("Her father passed away.") == [
        {
            "kind": "life_event",
            "event": "bereavement",
            "date": None,
            "person": "parent",
            "sensitive": False,
        }
    ]


def test_german_move_in_two_weeks() -> None:
    assert facts("Zieht in zwei Wochen um.") == [
        {"kind": "life_event", "event": "move", "date": "2026-12-05", "sensitive": False}
    ]


def test_future_month_picks_next_occurrence() -> None:
    assert facts("Getting married in June!")[0]["date"] == "2027-06-01"


def test_past_tense_picks_last_occurrence() -> None:
    assert facts("He had a heart attack in September.")[0]["date"] == "2026-09-01"


def test_illness_is_sensitive() -> None:
    assert facts("Is recovering from surgery.")[0]["sensitive"] is True
    assert facts("Hatte einen Herzinfarkt.")[0]["sensitive"] is True


def test_starting_university_is_no_life_event() -> None:
    assert facts("Her daughter starts university in October.") == []


def test_german_retirement_end_of_month() -> None:
    assert facts("Geht Ende März in Rente.")[0] == {
        "kind": "life_event",
        "event": "retirement",
        "date": "2027-03-31",
        "sensitive": False,
    }


# --- relative dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Had a baby boy yesterday.", "2026-11-20"),
        ("Had a baby boy last week.", "2026-11-14"),
        ("Had a baby boy 3 days ago.", "2026-11-18"),
        ("Hat gestern einen Sohn bekommen.", "2026-11-20"),
        ("Hat vorgestern einen Sohn bekommen.", "2026-11-19"),
        ("Hat vor drei Tagen einen Sohn bekommen.", "2026-11-18"),
        ("Hat letzte Woche einen Sohn bekommen.", "2026-11-14"),
    ],
)
def test_relative_past_dates(text: str, expected: str) -> None:
    assert facts(text, kind="life_event")[0]["date"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Go-live today.", "2026-11-21"),
        ("Go-live tomorrow.", "2026-11-22"),
        ("Go-live next week.", "2026-11-28"),
        ("Go-live in two weeks.", "2026-12-05"),
        ("Go-live next month.", "2026-12-01"),
        ("Go-Live heute.", "2026-11-21"),
        ("Go-Live morgen.", "2026-11-22"),
        ("Go-Live übermorgen.", "2026-11-23"),
        ("Go-Live nächste Woche.", "2026-11-28"),
        ("Go-Live in zwei Wochen.", "2026-12-05"),
        ("Go-Live Anfang April.", "2027-04-01"),
    ],
)
def test_relative_future_dates(text: str, expected: str) -> None:
    assert facts(text, kind="milestone")[0]["date"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Her birthday is tomorrow.",
        "Sie hat morgen Geburtstag.",
        "Morgen hat sie Geburtstag.",
        "Morgen ist ihr Geburtstag.",
    ],
)
def test_a_birthday_tomorrow(text: str) -> None:
    [birthday] = facts(text, kind="birthday")
    assert (birthday["month"], birthday["day"]) == (11, 22)


def test_a_nearer_explicit_date_wins_over_a_sentence_opening_with_morgen() -> None:
    text = "Morgen ist ihre beste Zeit, Geburtstag hat sie am 3. März."
    [birthday] = facts(text, kind="birthday")
    assert (birthday["month"], birthday["day"]) == (3, 3)


# --- interests ---------------------------------------------------------------------------


def test_english_interest_through_word_form() -> None:
    assert tags("Loves hiking and goes on long hikes.") == ["hiking"]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Großer Jazz-Fan.", "jazz"),
        ("Jazzfan seit Jahren.", "jazz"),
        ("Fährt jedes Wochenende Rennrad.", "cycling"),
        ("Liest gern Krimis.", "reading"),
        ("Weinliebhaber, besonders Riesling.", "wine"),
        ("Hobbygärtner mit großem Garten.", "gardening"),
        ("Großer Golffan.", "golf"),
    ],
)
def test_german_compounds_and_word_forms(text: str, tag: str) -> None:
    assert tags(text) == [tag]


def test_contrast_keeps_only_the_preferred() -> None:
    assert tags("Hates golf, prefers tennis.") == ["tennis"]


def test_never_negates_what_follows() -> None:
    assert tags("Drinks tea, never coffee.") == ["tea"]


@pytest.mark.parametrize(
    "text",
    ["Kein Fußballfan.", "Mag keinen Kaffee.", "Not into wine anymore.", "Used to play golf."],
)
def test_negated_interests_are_dropped(text: str) -> None:
    assert tags(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "He drives a VW Golf.",
        "Urlaub am Golf von Neapel.",
        "Art der Zusammenarbeit war sehr angenehm.",
        "Her team is smart.",
        "Running the project with two teams.",
        "Spent an hour reading the contract.",
        "Wollen nächste Woche Kaffee trinken gehen.",
        "Travels a lot for work.",
    ],
)
def test_look_alikes_are_not_interests(text: str) -> None:
    assert tags(text) == []


def test_extractor_uses_the_taxonomy_it_is_given() -> None:
    padel = Taxonomy.build(
        [
            TagTerms(
                slug="padel",
                name_en="Padel",
                name_de="Padel",
                synonyms_en=["padel tennis"],
                synonyms_de=["Padelspieler"],
            )
        ]
    )
    result = extract("Loves padel tennis and golf.", noted_on=NOTED, taxonomy=padel)
    assert [fact.fields["tag"] for fact in result.facts] == ["padel"]


# --- constraints -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tag", "sensitive"),
    [
        ("Doesn't drink alcohol.", "no_alcohol", False),
        ("Trinkt keinen Alkohol.", "no_alcohol", False),
        ("Teetotal.", "no_alcohol", False),
        ("Allergic to nuts.", "nut_allergy", True),
        ("Nussallergie!", "nut_allergy", True),
        ("Isst kein Schweinefleisch.", "halal", True),
        ("Eats halal.", "halal", True),
        ("Keeps kosher.", "kosher", True),
        ("Hat Zöliakie.", "gluten_free", True),
        ("Celiac.", "gluten_free", True),
        ("Laktoseintolerant.", "lactose_free", True),
        ("Vegan.", "vegan", False),
        ("Vegetarierin.", "vegetarian", False),
        ("Company policy: no gifts.", "no_gifts", False),
        ("Darf keine Geschenke annehmen.", "no_gifts", False),
    ],
)
def test_constraints_and_their_sensitivity(text: str, tag: str, sensitive: bool) -> None:
    assert facts(text, kind="constraint") == [
        {"kind": "constraint", "tag": tag, "sensitive": sensitive}
    ]


def test_negated_diet_is_no_constraint() -> None:
    assert facts("Not vegetarian anymore.") == []
    assert facts("Ist kein Vegetarier mehr.") == []


def test_gift_limit_is_not_a_gift_ban() -> None:
    assert facts("No gifts above 35 EUR per internal rules.") == []


# --- milestones --------------------------------------------------------------------------


def test_english_milestone_with_label_and_date() -> None:
    assert facts("Project go-live on December 10.") == [
        {"kind": "milestone", "date": "2026-12-10", "label": "Project go-live", "sensitive": False}
    ]


def test_german_milestone_end_of_month() -> None:
    assert facts("Projektabschluss Ende Januar.") == [
        {"kind": "milestone", "date": "2027-01-31", "label": "Projektabschluss", "sensitive": False}
    ]


def test_contract_signed_today() -> None:
    assert facts("Contract signed today!")[0]["date"] == "2026-11-21"


# --- language, evidence, shape, robustness -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Her birthday is March 3rd.", "en"),
        ("Hat am 3. März Geburtstag.", "de"),
        ("Nussallergie!", "de"),
        ("Vegetarierin.", "de"),
        ("Teetotal, prefers sparkling water.", "en"),
        ("Meeting mit Herrn Huber: loves golf, Geburtstag am 3.5.", "de"),
        ("Call with Ms Weber – sie trinkt keinen Alkohol, big fan of jazz though.", "en"),  # noqa: RUF001
    ],
)
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_forced_language_wins() -> None:
    assert (
        extract(
            "Hat am 3. März Geburtstag.", noted_on=NOTED, taxonomy=TAXONOMY, language="en"
        ).language
        == "en"
    )


def test_evidence_is_the_sentence_the_fact_came_from() -> None:
    text = "Lunch with Anna. Her birthday is March 3rd, loves hiking."
    result = extract(text, noted_on=NOTED, taxonomy=TAXONOMY)
    assert {fact.evidence for fact in result.facts} == {"Her birthday is March 3rd, loves hiking"}
    assert all(fact.evidence in text for fact in result.facts)


def test_facts_come_in_text_order_without_duplicates() -> None:
    result = extract(
        "Loves golf. Vegan. Loves golf, really loves golf.", noted_on=NOTED, taxonomy=TAXONOMY
    )
    assert [fact.kind for fact in result.facts] == ["interest", "constraint"]


def test_as_json_shape() -> None:
    fact = extract("Go-live on 1 March.", noted_on=NOTED, taxonomy=TAXONOMY).facts[0]
    assert isinstance(fact, ExtractedFact)
    assert fact.as_json() == {
        "kind": "milestone",
        "date": "2027-03-01",
        "label": "Go-live",
        "sensitive": False,
    }


def test_empty_text_has_no_facts() -> None:
    assert extract("", noted_on=NOTED, taxonomy=TAXONOMY) == Extraction("en", ())
    assert extract("   \n ", noted_on=NOTED, taxonomy=TAXONOMY).facts == ()


def test_a_long_realistic_note_is_read_without_backtracking() -> None:
    # A guard against a pattern that backtracks on ordinary prose, not a speed figure (that
    # is bench/extraction.py): the note takes a fraction of a second of CPU time; a
    # catastrophic pattern takes minutes. CPU time, so other processes do not decide.
    note = " ".join(example["text"] for example in load_labelled())[:10_000]
    started = time.process_time()
    result = extract(note, noted_on=NOTED, taxonomy=TAXONOMY)
    assert time.process_time() - started < 10.0
    assert result.facts


def test_time_grows_linearly_with_the_number_of_sentences() -> None:
    # Grouping facts by sentence must not scan every match for every sentence.
    sentence = "Her husband hates golf, her son kam am Montag zur Welt, loves tea. "

    def seconds(copies: int) -> float:
        # The best of two runs, so a busy machine does not decide.
        times = []
        for _ in range(2):
            started = time.process_time()
            extract(sentence * copies, noted_on=NOTED, taxonomy=TAXONOMY)
            times.append(time.process_time() - started)
        return min(times)

    small, large = seconds(500), seconds(4_000)
    assert large < 8 * small * 1.8 + 0.3


@pytest.mark.parametrize("word", ["a", "Wanderfreund", "Jazzfan-"])
def test_a_megabyte_line_without_spaces_is_read_in_linear_time(word: str) -> None:
    line = word * (1_000_000 // len(word))
    # CPU time, not wall time: other processes on a busy machine must not make it fail.
    # Reading it takes about half a second; the quadratic reading took minutes.
    started = time.process_time()
    extract(line, noted_on=NOTED, taxonomy=TAXONOMY)
    assert time.process_time() - started < 10.0


def test_a_compound_of_a_normal_length_is_still_read() -> None:
    facts = extract("Er ist ein großer Jazzliebhaber.", noted_on=NOTED, taxonomy=TAXONOMY).facts
    assert [fact.fields.get("tag") for fact in facts] == ["jazz"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=10_000), noted_on=st.dates())
def test_any_text_and_date_return_without_error(text: str, noted_on: date) -> None:
    result = extract(text, noted_on=noted_on, taxonomy=TAXONOMY)
    assert result.language in {"en", "de"}
    for fact in result.facts:
        fact.as_json()


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            [
                "am",
                "29.02.",
                "31.",
                "Februar",
                "born",
                "turns",
                "50",
                "on",
                "May",
                "in",
                "zwei",
                "Wochen",
                "vor",
                "drei",
                "Tagen",
                "Ende",
                "März",
                "Jahre",
                "bei",
                "seit",
                "2016",
                "Kunde",
                "promoted",
                "to",
                "Head",
                "of",
                "golf",
                "nicht",
                "kein",
                "tea",
                "never",
                "hates",
                "Geburtstag",
                "wird",
                "ab",
                "1.",
                "wedding",
                "anniversary",
                "go-live",
                "signed",
                "last",
                "Friday",
                "9999-12-31",
                "12/05/1979",
                "Jubiläum",
                "zieht",
                "um",
                ",",
                ".",
                ";",
                "–",  # noqa: RUF001
                "(",
                ")",
            ]
        ),
        max_size=60,
    ),
    noted_on=st.dates(),
)
def test_date_heavy_word_salad_returns_without_error(words: list[str], noted_on: date) -> None:
    extract(" ".join(words), noted_on=noted_on, taxonomy=TAXONOMY)


# --- whose fact, dislikes ----------------------------------------------------------------


def test_a_relatives_interest_is_not_the_contacts() -> None:
    assert facts("Her husband is a big golf fan.") == [
        {"kind": "interest", "tag": "golf", "person": "partner", "sensitive": False}
    ]
    assert facts("Seine Frau liest viel, er wandert lieber.", kind="interest") == [
        {"kind": "interest", "tag": "reading", "person": "partner", "sensitive": False},
        {"kind": "interest", "tag": "hiking", "sensitive": False},
    ]


def test_a_relatives_constraint_carries_the_relative() -> None:
    assert facts("Sein Sohn hat eine Nussallergie.") == [
        {"kind": "constraint", "tag": "nut_allergy", "person": "child", "sensitive": True}
    ]


def test_births_are_of_a_child_or_grandchild() -> None:
    assert facts("Sein Sohn kam am Montag zur Welt.", kind="life_event") == [
        {
            "kind": "life_event",
            "event": "birth",
            "date": "2026-11-16",
            "person": "child",
            "sensitive": False,
        }
    ]
    assert facts("Became a grandmother last week.")[0]["person"] == "grandchild"
    assert facts("His daughter gave birth to twins.")[0]["person"] == "grandchild"


def test_dislikes_give_a_dislike_and_no_interest() -> None:
    assert facts("Can not stand golf.") == [{"kind": "dislike", "tag": "golf", "sensitive": False}]
    assert facts("Mag keine Schokolade.") == [
        {"kind": "dislike", "tag": "chocolate", "sensitive": False}
    ]
    assert facts("Hates golf, prefers tennis.") == [
        {"kind": "dislike", "tag": "golf", "sensitive": False},
        {"kind": "interest", "tag": "tennis", "sensitive": False},
    ]
    assert facts("Her husband hates sailing.") == [
        {"kind": "dislike", "tag": "sailing", "person": "partner", "sensitive": False}
    ]


def test_a_slip_is_read_but_the_facts_quote_the_note_as_typed() -> None:
    assert facts("golive 10.1.") == [
        {"kind": "milestone", "date": "2027-01-10", "label": "golive", "sensitive": False}
    ]
    result = extract("Launch am 3.3., Geburstag am 4.4.", noted_on=NOTED, taxonomy=TAXONOMY)
    assert [fact.kind for fact in result.facts] == ["milestone", "birthday"]
    assert {fact.evidence for fact in result.facts} == {"Launch am 3.3., Geburstag am 4.4"}


def _folded_patterns() -> list[Folded]:
    found: list[Folded] = []
    for name in ("dates", "dislikes", "events", "interests", "segmentation", "triggers"):
        for value in vars(importlib.import_module(f"contacts.extraction.{name}")).values():
            items = value if isinstance(value, tuple) else (value,)
            for item in items:
                candidate = item[1] if isinstance(item, tuple) and len(item) == 2 else item
                if isinstance(candidate, Folded):
                    found.append(candidate)
    return found


def test_folded_patterns_find_what_their_patterns_find() -> None:
    patterns = _folded_patterns()
    assert len(patterns) >= 20
    texts = [example["text"] for example in load_labelled()] + [
        "NEUE ROLLE ALS CFO ab 1. MÄRZ",
        "İstanbul: Geburtstag am 3. März, loves GOLF",  # lower() lengthens the dotted capital I
        "Straße, MASSE, ǅ and ﬁ ligatures: no longer a fan",
    ]
    for pattern in patterns:
        for text in texts:
            plain = pattern.pattern
            assert [(m.span(), m.groups()) for m in pattern.finditer(text)] == [
                (m.span(), m.groups()) for m in plain.finditer(text)
            ], (plain.pattern[:80], text)
            mine, theirs = pattern.search(text), plain.search(text)
            assert (mine and mine.span()) == (theirs and theirs.span()), (plain.pattern[:80], text)
            assert bool(pattern.match(text)) == bool(plain.match(text))


def test_a_folded_pattern_quotes_the_text_as_written() -> None:
    pattern = folded(re.compile(r"\b(?:neue\s+Rolle|promoted)\s+(?P<title>\S+)", re.IGNORECASE))
    found = pattern.search("Neue ROLLE Leiterin")
    assert found is not None and found["title"] == "Leiterin"
    assert pattern.search("nothing here") is None
    with pytest.raises(ValueError, match="case-insensitive"):
        folded(re.compile("case sensitive"))


# --- quality on the labelled sets --------------------------------------------------------


# Where the extractor stands on the held-back test set (F1 per kind, rounded down); the
# target is 0.95 overall and 0.90 for every kind (test_test_set_reaches_the_target).
TEST_SET_FLOOR = {
    "overall": 0.97,
    "birthday": 0.98,
    "anniversary": 0.95,
    "role_change": 1.00,
    "life_event": 0.98,
    "interest": 0.95,
    "dislike": 1.00,
    "constraint": 0.99,
    "milestone": 0.93,
}


def _reports() -> tuple[DevsetReport, DevsetReport]:
    dev = score(load_labelled(DEVSET), TAXONOMY)
    held_back = score(load_labelled(TESTSET), TAXONOMY)
    print(f"\ndevelopment set\n{dev.table()}\n\ntest set\n{held_back.table()}")
    print(f"\nF1 gap development - test: {dev.overall.f1 - held_back.overall.f1:+.3f}")
    return dev, held_back


def test_quality_on_the_development_and_the_test_set() -> None:
    """Per-kind figures on both sets and their gap; the test set is never used for tuning,
    so a change that only helps the development set shows as a wider gap."""
    dev, held_back = _reports()
    assert dev.observations >= 400 and held_back.observations >= 400
    assert dev.overall.f1 >= 0.95, "\n".join(dev.errors)
    figures = {"overall": held_back.overall, **held_back.per_kind}
    fallen = {
        kind: round(figures[kind].f1, 3)
        for kind, floor in TEST_SET_FLOOR.items()
        if figures[kind].f1 < floor
    }
    assert not fallen, f"below the floor on the test set: {fallen}\n" + "\n".join(held_back.errors)


def test_test_set_reaches_the_target() -> None:
    _, held_back = _reports()
    below = [k for k, s in held_back.per_kind.items() if s.f1 < 0.90]
    assert held_back.overall.f1 >= 0.95 and not below, "\n".join(held_back.errors)
