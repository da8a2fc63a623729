"""Note drafts as plain data: language and form of address, the occasion and what was
noted, sober wording in hard moments, nothing of a special-category note, and the variant
chooser's spread and exclusions."""

import datetime as dt
from dataclasses import replace

import pytest

from gestures.rules import ScanSettings, suggest_for_contact
from gestures.rules.drafts import (
    FORMS,
    choose_variant,
    draft_for,
    occasion_variants,
    occasions_without_drafts,
    render_draft,
    variant_keys,
)
from gestures.rules.occasions import OCCASIONS

from .factories import INTEREST_NAMES, TODAY, item, make_contact, noted

MONTH = TODAY.replace(day=1)


def _suggestions(contact, *, catalog=()):
    return suggest_for_contact(
        contact=contact,
        gestures=(),
        existing=(),
        catalog=list(catalog),
        settings=ScanSettings(),
        today=TODAY,
        interest_names=INTEREST_NAMES,
    )


def _draft(contact, *, used=None, excluded=frozenset(), catalog=()):
    suggestion = _suggestions(contact, catalog=catalog)[0]
    note = draft_for(
        suggestion,
        contact=contact,
        month=MONTH,
        used=used or {},
        excluded=excluded,
        interest_names=INTEREST_NAMES,
        today=TODAY,
    )
    return suggestion, note


def _birthday_contact(*, language="en", address="formal", salutation="", tier="B"):
    contact = make_contact(
        noted("birthday", month=3, day=14, noted_on=dt.date(2026, 10, 5)),
        noted("interest", tag="hiking", noted_on=dt.date(2026, 10, 12)),
        language=language,
        tier=tier,
    )
    return replace(contact, address=address, salutation=salutation)


def _texts_of_every_variant(contact, suggestion):
    keys = variant_keys(suggestion, contact, interest_names=INTEREST_NAMES, today=TODAY)
    assert keys
    return {
        key: render_draft(
            key, draft=suggestion, contact=contact, interest_names=INTEREST_NAMES, today=TODAY
        )
        for key in keys
    }


def test_every_occasion_that_suggests_a_note_has_drafts_in_every_form():
    assert occasions_without_drafts() == ["keep_in_touch"]
    for name in OCCASIONS:
        for variant in occasion_variants(name):
            assert set(variant.texts) == set(FORMS)
            assert variant.key.startswith(f"{name}.")


def test_german_with_sie_names_the_birthday_and_what_was_noted():
    contact = _birthday_contact(language="de", salutation="Frau")
    suggestion, note = _draft(contact)
    assert note is not None
    assert note.text.startswith("Liebe Frau Schmidt,\n\n")
    texts = _texts_of_every_variant(contact, suggestion)
    for text in texts.values():
        assert "Geburtstag" in text
        assert " du " not in text and " dir " not in text and " dich " not in text
    # The interest noted in October is named, as the contact will remember it.
    assert any("im Oktober 2026 von Wandern erzählt haben" in text for text in texts.values())
    assert any("am 14. März 2027" in text for text in texts.values())


def test_german_with_du_addresses_by_first_name():
    contact = _birthday_contact(language="de", address="informal")
    suggestion, note = _draft(contact)
    assert note is not None
    assert note.text.startswith("Hallo Maria,\n\n")
    for text in _texts_of_every_variant(contact, suggestion).values():
        assert " Sie " not in text and " Ihnen " not in text and "Ihr " not in text
        assert "Geburtstag" in text
    assert note.text.rstrip().endswith("Liebe Grüße")


def test_english_by_title_and_surname_or_by_first_name():
    formal = _birthday_contact(salutation="Dr")
    _suggestion, note = _draft(formal)
    assert note is not None
    assert note.text.startswith("Dear Dr Schmidt,\n\n")
    informal = _birthday_contact(address="informal", salutation="Dr")
    _suggestion, note = _draft(informal)
    assert note is not None
    assert note.text.startswith("Dear Maria,\n\n")
    # Without a salutation a formal address uses the full name.
    _suggestion, note = _draft(_birthday_contact())
    assert note is not None
    assert note.text.startswith("Dear Maria Schmidt,\n\n")
    texts = _texts_of_every_variant(formal, _suggestion)
    assert all("birthday" in text.casefold() for text in texts.values())
    assert any("in October 2026 about hiking" in text for text in texts.values())


def test_a_gift_card_refers_to_the_matched_interest_and_says_a_gift_comes_with_it():
    contact = _birthday_contact(tier="A")
    suggestion, note = _draft(contact, catalog=[item(tags=("hiking",))])
    assert suggestion.kind == "gift"
    assert note is not None
    assert "A small gift comes with this card" in note.text


def test_a_call_has_no_draft():
    contact = make_contact(noted("birthday", month=3, day=2), tier="B")
    suggestion, note = _draft(contact)
    assert suggestion.kind == "call"
    assert note is None


def test_the_same_inputs_give_the_same_draft():
    contact = _birthday_contact(language="de")
    first = _draft(contact, used={"birthday.wishes": 1})[1]
    again = _draft(contact, used={"birthday.wishes": 1})[1]
    assert first == again


def test_a_team_gets_every_variant_before_any_repeats_in_a_month():
    keys = [v.key for v in occasion_variants("birthday")]
    used: dict[str, int] = {}
    chosen = []
    for contact_id in range(1, len(keys) * 3 + 1):
        key = choose_variant(keys, contact_id=contact_id, month=MONTH, used=used)
        assert key is not None
        used[key] = used.get(key, 0) + 1
        chosen.append(key)
    assert len(set(chosen[: len(keys)])) == len(keys)
    assert set(used.values()) == {3}


def test_the_chooser_leaves_out_excluded_variants():
    keys = [v.key for v in occasion_variants("birthday")]
    excluded = frozenset(keys[:-1])
    for contact_id in range(1, 20):
        assert (
            choose_variant(keys, contact_id=contact_id, month=MONTH, used={}, excluded=excluded)
            == keys[-1]
        )
    assert (
        choose_variant(keys, contact_id=1, month=MONTH, used={}, excluded=frozenset(keys)) is None
    )


def test_different_contacts_and_months_start_from_different_variants():
    keys = [v.key for v in occasion_variants("birthday")]
    firsts = {choose_variant(keys, contact_id=i, month=MONTH, used={}) for i in range(1, 30)}
    assert len(firsts) > 1


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("address", ["formal", "informal"])
def test_bereavement_is_worded_soberly_without_the_interest(language, address):
    contact = replace(
        make_contact(
            noted("life_event", event="bereavement", date=TODAY - dt.timedelta(days=3)),
            noted("interest", tag="golf", noted_on=dt.date(2026, 11, 2)),
            language=language,
        ),
        address=address,
    )
    suggestion = _suggestions(contact)[0]
    texts = _texts_of_every_variant(contact, suggestion)
    assert len(texts) >= 3
    for text in texts.values():
        assert "Golf" not in text and "golf" not in text
        assert "!" not in text
        assert text.rstrip().endswith(
            {"en": "sympathy,", "de": "Anteilnahme" if address == "formal" else "bei dir"}[language]
        )


def test_nothing_of_a_special_category_note_is_put_into_a_draft():
    # Illness is a special category (health); the same observation also named an interest.
    illness, observation = noted(
        "life_event",
        event="illness",
        date=TODAY - dt.timedelta(days=2),
        sensitive=True,
        text="Has been diagnosed with diabetes; loves golf.",
    )
    interest = noted("interest", tag="golf")[0]._replace(
        observation_id=observation.id, id=illness.id + 1000
    )
    contact = make_contact((illness, observation), language="de")
    contact = replace(contact, facts=(*contact.facts, interest))
    suggestion = _suggestions(contact)[0]
    assert suggestion.explanation.event == "illness"
    for text in _texts_of_every_variant(contact, suggestion).values():
        for word in ("diabetes", "Diabetes", "Golf", "Krankheit", "diagnos"):
            assert word not in text


def test_a_milestone_from_a_special_category_note_is_not_named():
    milestone, observation = noted(
        "milestone",
        label="Kur in Bad Wörishofen",
        date=TODAY + dt.timedelta(days=5),
        text="Geht nach der Reha zur Kur in Bad Wörishofen.",
    )
    health = noted("constraint", tag="no_alcohol")[0]._replace(
        observation_id=observation.id, sensitive=True, id=milestone.id + 1000
    )
    contact = make_contact((milestone, observation), language="de")
    contact = replace(contact, facts=(*contact.facts, health))
    suggestion = _suggestions(contact)[0]
    assert suggestion.occasion == "milestone"
    texts = _texts_of_every_variant(contact, suggestion)
    assert all("Wörishofen" not in text for text in texts.values())
    # Without that observation the label is named.
    plain = make_contact((milestone, observation), language="de")
    assert any("Wörishofen" in text for text in _texts_of_every_variant(plain, suggestion).values())


def test_a_role_change_names_the_new_role_and_when_it_was_heard():
    contact = make_contact(
        noted("role_change", title="CFO", noted_on=TODAY - dt.timedelta(days=3)), language="de"
    )
    suggestion = _suggestions(contact)[0]
    texts = _texts_of_every_variant(contact, suggestion)
    assert any("dass Sie jetzt CFO sind" in text for text in texts.values())
    assert all("im Februar" in text or "CFO" in text for text in texts.values())
