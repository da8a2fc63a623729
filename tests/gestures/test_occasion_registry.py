"""The occasion registry as a whole: every registered occasion's daily pre-filter selects
every contact its rule finds a hit for, on every day of a span that crosses the year end,
December and a leap day; and the registry feeds the models' choices and the texts."""

import datetime as dt

import pytest
import time_machine

from contacts.models import Contact
from contacts.services import observation_create
from gestures.loaders import contact_inputs, scan_settings
from gestures.models import Occasion, Suggestion
from gestures.rules.occasions import OCCASIONS, HitContext
from gestures.scan import occasion_contact_ids
from tests.factories import ContactFactory, gesture_recorded

pytestmark = pytest.mark.django_db

# Every day of these spans is scanned.
SPANS = [
    (dt.date(2026, 11, 20), dt.date(2027, 1, 12)),  # December and the year end
    (dt.date(2028, 2, 15), dt.date(2028, 3, 5)),  # a leap day
]
NOTES = [
    (dt.date(2026, 3, 4), "Her birthday is on December 24th."),
    (dt.date(2026, 5, 1), "Sein Geburtstag ist am 29. Februar."),
    (dt.date(2026, 6, 1), "Birthday on January 3rd."),
    (dt.date(2026, 2, 1), "Celebrating 10 years at the company on December 30th."),
    (dt.date(2027, 6, 1), "Seit 2023 bei Bosch, Jubiläum am 1. März."),
    (dt.date(2026, 12, 3), "Seit gestern ist sie Bereichsleiterin."),
    (dt.date(2026, 11, 2), "Will become CFO on December 15."),
    (dt.date(2026, 12, 18), "Her daughter graduates next week."),
    (dt.date(2026, 11, 25), "His father passed away last week."),
    (dt.date(2028, 2, 20), "She got married last Saturday."),
    (dt.date(2026, 10, 1), "Go-live of the new ERP system on 2026-12-08."),
    (dt.date(2028, 1, 10), "Projektabschluss am 1. März 2028."),
    (dt.date(2026, 9, 14), "Loves sailing, we talked about the regatta."),
    (dt.date(2026, 12, 5), "Met at the Christmas market, she loves hiking."),
    (dt.date(2027, 1, 5), "Lunch in the new year, talked about the budget."),
]


def days():
    for first, last in SPANS:
        day = first
        while day <= last:
            yield day
            day += dt.timedelta(days=1)


@pytest.fixture
def contacts(manager):
    """Contacts with one note each, silent ones of every tier, and some in touch lately."""
    with time_machine.travel("2028-03-10 09:00 +01:00", tick=False):
        for index, (noted_on, text) in enumerate(NOTES):
            contact = ContactFactory.create(owner=manager, tier="ABC"[index % 3])
            observation_create(
                contact=contact, author=manager, text=text, noted_on=noted_on, rescan=False
            )
        for tier in "ABC":
            ContactFactory.create(owner=manager, tier=tier)
            called = ContactFactory.create(owner=manager, tier=tier)
            gesture_recorded(contact=called, kind="call", date=dt.date(2026, 11, 1), by=manager)
            gesture_recorded(contact=called, kind="call", date=dt.date(2028, 1, 20), by=manager)
        for index, since in enumerate(
            [
                dt.date(2021, 12, 10),
                dt.date(2016, 1, 4),
                dt.date(2023, 2, 29 - 1),
                dt.date(2024, 2, 29),
            ]
        ):
            ContactFactory.create(owner=manager, tier="ABC"[index % 3], customer_since=since)
        archived = ContactFactory.create(owner=manager, tier="A", archived=True)
        observation_create(
            contact=archived,
            author=manager,
            text="Her birthday is on December 1st.",
            noted_on=dt.date(2026, 3, 1),
            rescan=False,
        )
    return list(Contact.objects.filter(archived=False).values_list("pk", flat=True))


def test_no_pre_filter_misses_a_contact_its_occasion_has_a_hit_for(contacts):
    settings = scan_settings()
    fired: dict[str, set[int]] = {name: set() for name in OCCASIONS}

    for today in days():
        inputs = contact_inputs(contacts, today=today)
        for name, rule in OCCASIONS.items():
            with_hits = {
                contact_id
                for contact_id, data in inputs.items()
                if list(
                    rule.hits(
                        HitContext(data.contact, data.gestures, data.existing, settings, today)
                    )
                )
            }
            selected = occasion_contact_ids([rule], today=today, settings=settings)
            missed = with_hits - selected
            assert not missed, f"{name} on {today}: the pre-filter misses contacts {missed}"
            fired[name] |= with_hits

    # The check is not vacuous: every occasion fired for someone on some day.
    assert all(fired.values()), {name: ids for name, ids in fired.items() if not ids}


def test_the_models_choices_and_the_catalogs_occasions_come_from_the_registry():
    assert [value for value, _label in Suggestion.Occasion.choices] == list(OCCASIONS)
    assert Occasion.values == [name for name, rule in OCCASIONS.items() if rule.in_catalog] + [
        "any"
    ]


def test_every_occasion_has_its_labels_and_texts_in_both_languages():
    from django.utils import translation

    for name, rule in OCCASIONS.items():
        assert rule.label_en and rule.label_de, name
        with translation.override("de"):
            assert str(rule.label) == rule.label_de
        with translation.override("en"):
            assert str(rule.label) == rule.label_en
