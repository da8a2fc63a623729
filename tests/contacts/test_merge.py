"""Likely duplicates and merging two contacts: everything moves, the history says so."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from contacts.duplicates import Person, duplicate_pairs, name_normalize
from contacts.models import Contact, Fact, Observation
from contacts.selectors import duplicates_for_team
from contacts.services import contact_merge, observation_create
from gestures.models import Gesture, Suggestion, SuggestionTransition
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 23)


def _suggestion(contact, **fields):
    values = {
        "kind": "note",
        "occasion": "keep_in_touch",
        "event_date": DAY,
        "due_date": DAY,
        "expires_on": DAY + dt.timedelta(days=14),
    }
    values.update(fields)
    return Suggestion.objects.create(contact=contact, **values)


def test_names_are_compared_without_case_accents_or_umlaut_spellings():
    assert name_normalize("Jürgen", "Müller-Groß") == name_normalize("juergen", "mueller gross")
    assert name_normalize("José", "Núñez") == "jose nunez"
    people = [
        Person(1, 1, name_normalize("Anna", "Schmidt"), "anna@example.com", 10),
        Person(2, 1, name_normalize("Anna", "Schmitt"), "", 10),  # similar, same organization
        Person(3, 1, name_normalize("Anna", "Schmidt"), "", 11),  # same name, other organization
        Person(4, 1, name_normalize("Max", "Weber"), "ANNA@example.com".casefold(), None),
        Person(5, 2, name_normalize("Anna", "Schmidt"), "anna@example.com", 10),  # other team
        Person(6, 1, name_normalize("Anna", "Schmidt"), "", 10),
    ]
    pairs = {(p.first, p.second): p.reason for p in duplicate_pairs(people)}
    assert pairs == {
        (1, 4): "email",
        (1, 2): "similar_name",
        (1, 6): "name",
        (2, 6): "similar_name",
    }


def test_duplicates_for_team_leads_see_only_their_team(lead, outsider):
    acme = OrganizationFactory.create(name="ACME")
    a = ContactFactory.create(owner=lead, first_name="Anna", last_name="Schmidt", organization=acme)
    b = ContactFactory.create(owner=lead, first_name="Anna", last_name="Schmitt", organization=acme)
    ContactFactory.create(owner=outsider, first_name="Anna", last_name="Schmidt", organization=acme)
    pairs = duplicates_for_team(user=lead)
    assert [(p.first, p.second, p.reason) for p in pairs] == [(a, b, "similar_name")]


def test_merge_moves_every_related_row_and_records_it(lead, manager):
    acme = OrganizationFactory.create(name="ACME")
    keep = ContactFactory.create(
        owner=manager,
        first_name="Anna",
        last_name="Schmidt",
        organization=acme,
        email="",
        phone="",
        external_id=None,
    )
    other = ContactFactory.create(
        owner=manager,
        first_name="Anna",
        last_name="Schmitt",
        organization=acme,
        email="anna@example.com",
        phone="+49 1",
        external_id="crm-9",
        do_not_gift=True,
    )
    observation_create(contact=keep, author=manager, text="Loves golf.", noted_on=DAY, rescan=False)
    moved = observation_create(
        contact=other,
        author=manager,
        text="Her birthday is March 3rd. Loves jazz.",
        noted_on=DAY,
        rescan=False,
    )
    fact = other.facts.get(kind="birthday")
    suggestion = _suggestion(
        other,
        occasion="birthday",
        source_fact=fact,
        source_ref=fact.pk,
        event_date=dt.date(2027, 3, 3),
        due_date=dt.date(2027, 3, 3),
        expires_on=dt.date(2027, 3, 3),
    )
    SuggestionTransition.objects.create(
        suggestion=suggestion, from_status="pending", to_status="confirmed", by=manager
    )
    gesture = Gesture.objects.create(
        contact=other, kind="call", date=DAY, by=manager, suggestion=suggestion
    )
    other.title = "CFO"
    other.save()  # one more version in the history
    other_versions = other.history.count()
    keep_versions = keep.history.count()
    totals = (
        Observation.objects.count(),
        Fact.objects.count(),
        Suggestion.objects.count(),
        Gesture.objects.count(),
        SuggestionTransition.objects.count(),
    )

    other_pk = other.pk
    contact_merge(keep=keep, other=other, by=lead)

    assert not Contact.objects.filter(pk=other_pk).exists()
    assert (
        Observation.objects.count(),
        Fact.objects.count(),
        Suggestion.objects.count(),
        Gesture.objects.count(),
        SuggestionTransition.objects.count(),
    ) == totals
    assert set(keep.observations.values_list("pk", flat=True)) >= {moved.pk}
    assert keep.facts.filter(pk=fact.pk).exists()
    assert Suggestion.objects.get(pk=suggestion.pk).contact_id == keep.pk
    assert Gesture.objects.get(pk=gesture.pk).contact_id == keep.pk
    keep.refresh_from_db()
    # Blank fields are filled from the merged contact; its id and "no gifts" carry over.
    assert (keep.email, keep.phone, keep.external_id, keep.do_not_gift) == (
        "anna@example.com",
        "+49 1",
        "crm-9",
        True,
    )
    assert (keep.first_name, keep.last_name) == ("Anna", "Schmidt")
    latest = keep.history.latest()
    assert latest.history_user == lead
    assert latest.history_change_reason == f"merged Anna Schmitt (#{other_pk})"
    # The merged contact's earlier versions are now in the kept one's history.
    assert keep.history.count() == keep_versions + other_versions + 1
    # The observations' history follows too.
    assert Observation.history.filter(id=moved.pk).exclude(contact_id=keep.pk).count() == 0


def test_merge_resolves_the_same_call_suggested_for_both(lead, manager):
    keep = ContactFactory.create(owner=manager)
    other = ContactFactory.create(owner=manager)
    kept_call = _suggestion(keep)
    done_call = _suggestion(other, status="done")
    Gesture.objects.create(contact=other, kind="call", date=DAY, by=manager, suggestion=done_call)
    contact_merge(keep=keep, other=other, by=lead)
    # The one someone acted on stays.
    assert list(Suggestion.objects.filter(contact=keep)) == [done_call]
    assert not Suggestion.objects.filter(pk=kept_call.pk).exists()


def test_merge_is_refused_across_teams_and_with_itself(lead, outsider):
    mine = ContactFactory.create(owner=lead)
    theirs = ContactFactory.create(owner=outsider)
    with pytest.raises(ValidationError, match="different teams"):
        contact_merge(keep=mine, other=theirs, by=lead)
    with pytest.raises(ValidationError, match="itself"):
        contact_merge(keep=mine, other=mine, by=lead)
    assert Contact.objects.filter(pk=theirs.pk).exists()
