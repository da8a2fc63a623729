"""Year-end greetings: in December, for contacts with something noted this year, referring
to this year's moments; never for a contact with nothing noted this year."""

import datetime as dt

import pytest

from gestures.rules import ScanSettings, render_explanation
from gestures.rules.drafts import render_draft, variant_keys

from .factories import INTEREST_NAMES, make_contact, noted, stored, suggest

DECEMBER = dt.date(2026, 12, 3)


def greeting(contact, *, today=DECEMBER, **kwargs):
    drafts = [d for d in suggest(contact, today=today, **kwargs) if d.occasion == "year_end"]
    assert len(drafts) <= 1
    return drafts[0] if drafts else None


def test_a_contact_with_a_note_this_year_gets_a_personal_year_end_note():
    met = noted(
        "interest", tag="golf", text="Played golf in Hamburg.", noted_on=dt.date(2026, 5, 2)
    )
    contact = make_contact(met, tier="B", last_touch=DECEMBER)

    draft = greeting(contact)

    assert (draft.kind, draft.source_fact_id, draft.gift_item_id) == ("note", None, None)
    assert draft.occurrence_date == dt.date(2026, 12, 20)
    assert (draft.due_date, draft.expires_on) == (dt.date(2026, 12, 20), dt.date(2026, 12, 31))
    assert draft.observation_ids == (met[1].id,)
    assert [quote[0] for quote in draft.explanation.quotes] == ["Played golf in Hamburg."]


@pytest.mark.parametrize(
    "noted_on",
    [dt.date(2025, 12, 30), dt.date(2025, 6, 1), dt.date(2026, 12, 10)],
    ids=["last year", "long ago", "after today"],
)
def test_nothing_noted_this_year_up_to_today_means_no_greeting(noted_on):
    contact = make_contact(noted("interest", tag="golf", noted_on=noted_on), last_touch=DECEMBER)

    assert greeting(contact) is None


@pytest.mark.parametrize("today", [dt.date(2026, 11, 30), dt.date(2027, 1, 1)])
def test_only_in_december(today):
    contact = make_contact(noted("interest", tag="golf", noted_on=dt.date(2026, 11, 2)))

    assert greeting(contact, today=today) is None


def test_it_refers_to_this_years_moments_but_not_to_hard_or_sensitive_ones():
    contact = make_contact(
        noted(
            "milestone",
            label="ERP go-live",
            date=dt.date(2026, 9, 8),
            text="ERP go-live on September 8.",
            noted_on=dt.date(2026, 8, 1),
        ),
        noted("role_change", title="CFO", text="Promoted to CFO.", noted_on=dt.date(2026, 4, 2)),
        noted(
            "life_event",
            event="graduation",
            text="Her son graduated.",
            noted_on=dt.date(2026, 7, 1),
        ),
        noted("life_event", event="illness", sensitive=True, noted_on=dt.date(2026, 10, 1)),
        noted(
            "milestone", label="Old project", date=dt.date(2025, 5, 1), noted_on=dt.date(2026, 1, 5)
        ),
        last_touch=DECEMBER,
    )

    draft = greeting(contact)
    text = render_explanation(
        draft.explanation, language="en", today=DECEMBER, interest_names=INTEREST_NAMES
    ).splitlines()
    german = render_explanation(
        draft.explanation, language="de", today=DECEMBER, interest_names=INTEREST_NAMES
    ).splitlines()

    assert text[:3] == [
        "Year-end greetings on 20 December 2026 (in 17 days).",
        "Suggested: a personal year-end note that recalls this year's moments.",
        "This year: role change to CFO, graduation and project milestone “ERP go-live”"
        " (8 September 2026).",
    ]
    assert german[2] == (
        "Dieses Jahr: Rollenwechsel zu CFO, Abschluss und Projektmeilenstein „ERP go-live“"
        " (8. September 2026)."
    )
    assert len(draft.explanation.quotes) == 3  # the three most recent of this year's notes
    assert "Illness" not in " ".join(text) and "Old project" not in " ".join(text)


def test_it_counts_against_the_caps_and_is_not_suggested_twice():
    contact = make_contact(noted("interest", tag="golf", noted_on=dt.date(2026, 3, 1)))
    two_open = [
        stored("birthday", 1, dt.date(2026, 12, 10)),
        stored("milestone", 2, dt.date(2026, 12, 12)),
    ]

    assert greeting(contact, existing=two_open) is None
    assert greeting(contact, settings=ScanSettings(max_open_per_contact=0)) is None
    done = [stored("year_end", None, dt.date(2026, 12, 20), status="dismissed")]
    assert greeting(contact, today=dt.date(2026, 12, 15), existing=done) is None


def _drafts(contact, suggestion):
    keys = variant_keys(suggestion, contact, interest_names=INTEREST_NAMES, today=DECEMBER)
    return {
        key: render_draft(
            key, draft=suggestion, contact=contact, interest_names=INTEREST_NAMES, today=DECEMBER
        )
        for key in keys
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "What stays with me from this year: role change to CFO and project milestone"),
        ("de", "Von diesem Jahr bleibt mir in Erinnerung: Rollenwechsel zu CFO und Projekt"),
    ],
)
def test_every_draft_recalls_this_years_moments(language, expected):
    contact = make_contact(
        noted(
            "milestone", label="ERP go-live", date=dt.date(2026, 9, 8), noted_on=dt.date(2026, 8, 1)
        ),
        noted("role_change", title="CFO", noted_on=dt.date(2026, 4, 2)),
        noted("interest", tag="golf", noted_on=dt.date(2026, 6, 1)),
        language=language,
        last_touch=DECEMBER,
    )

    texts = _drafts(contact, greeting(contact))

    assert len(texts) >= 3
    for text in texts.values():
        assert expected in text
        assert "8 September" not in text and "8. September" not in text  # a card names no dates


def test_without_moments_a_draft_recalls_what_was_noted_this_year():
    interest = make_contact(noted("interest", tag="golf", noted_on=dt.date(2026, 6, 1)))
    for text in _drafts(interest, greeting(interest)).values():
        assert "I remember you telling me in June about golf." in text

    contact = make_contact(
        noted("constraint", tag="no_alcohol", noted_on=dt.date(2026, 10, 1)),
        language="de",
        last_touch=DECEMBER,
    )
    texts = _drafts(contact, greeting(contact))
    assert texts
    for text in texts.values():
        assert "Ich denke gern an unser Gespräch im Oktober zurück." in text


def test_a_moment_from_a_note_with_a_sensitive_fact_is_not_recalled():
    milestone, observation = noted(
        "milestone", label="Clinic opening", date=dt.date(2026, 9, 8), noted_on=dt.date(2026, 8, 1)
    )
    sensitive = noted("constraint", tag="diabetic", sensitive=True)[0]._replace(
        observation_id=observation.id
    )
    contact = make_contact((milestone, observation), (sensitive, observation), last_touch=DECEMBER)

    draft = greeting(contact)

    assert draft.explanation.moments == ()
    assert not any("Clinic" in text for text in _drafts(contact, draft).values())
