"""A contact's timeline on the contact page: one chronological list of observations (with
their facts), suggestions with their state, gestures and what came of them; what is coming
up on top, an approved gift included; need-to-know for Art. 9 notes; another team's contact
is a 404; queries that do not grow with the history."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Fact
from contacts.services import observation_create
from gestures.models import GestureOutcome, Suggestion
from tests.factories import ContactFactory, UserFactory, gesture_recorded, observation_recorded
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 16)


def at(day, hour=12):
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(at(TODAY), tick=False):
        yield


@pytest.fixture
def clara(manager):
    return ContactFactory.create(first_name="Clara", last_name="Weiss", owner=manager)


def observed(contact, author, text, day):
    with time_machine.travel(at(day, 9), tick=False):
        return observation_recorded(contact=contact, author=author, text=text, noted_on=day)


def suggested(contact, day, **fields):
    with time_machine.travel(at(day, 6), tick=False):
        return SuggestionFactory.create(contact=contact, **fields)


def done(contact, by, day, **fields):
    with time_machine.travel(at(day, 15), tick=False):
        return gesture_recorded(contact=contact, by=by, date=day, **fields)


def detail(client, user, contact):
    client.force_login(user)
    return client.get(reverse("contact_detail", args=[contact.pk]))


def test_everything_about_the_contact_in_one_list_newest_first(client, manager, clara):
    first = observed(clara, manager, "Met Clara at the fair.", dt.date(2026, 1, 10))
    idea = suggested(
        clara,
        dt.date(2026, 2, 1),
        kind="call",
        occasion="keep_in_touch",
        status=Suggestion.Status.DISMISSED,
        reason="not_relevant",
    )
    call = done(clara, manager, dt.date(2026, 2, 20), kind="call", note="Talked about sailing.")
    GestureOutcome.objects.create(gesture=call, result="thanked", recorded_by=manager)
    latest = observed(clara, manager, "Clara loves sailing.", dt.date(2026, 3, 2))

    response = detail(client, manager, clara)

    assert response.status_code == 200
    entries = response.context["timeline"].entries
    assert [(e.kind, e.day) for e in entries] == [
        ("observation", dt.date(2026, 3, 2)),
        ("gesture", dt.date(2026, 2, 20)),
        ("suggestion", dt.date(2026, 2, 1)),
        ("observation", dt.date(2026, 1, 10)),
    ]
    html = response.content.decode()
    positions = [
        html.index(f'data-entry="observation-{latest.pk}"'),
        html.index(f'data-entry="gesture-{call.pk}"'),
        html.index(f'data-entry="suggestion-{idea.pk}"'),
        html.index(f'data-entry="observation-{first.pk}"'),
    ]
    assert positions == sorted(positions)
    assert "Talked about sailing." in html
    assert "Dismissed" in html
    assert f'id="outcome-{call.pk}"' in html


def test_the_same_day_keeps_the_order_things_happened_in(client, manager, clara):
    day = dt.date(2026, 3, 10)
    note = observed(clara, manager, "Birthday coming up.", day)  # 09:00
    gesture = done(clara, manager, day, kind="note")  # 15:00

    entries = detail(client, manager, clara).context["timeline"].entries

    assert [(e.kind, (e.observation or e.gesture).pk) for e in entries] == [
        ("gesture", gesture.pk),
        ("observation", note.pk),
    ]


def test_coming_up_shows_the_approved_gift_the_open_suggestions_and_the_next_dates(
    client, manager, lead, clara
):
    note = observed(clara, manager, "Her birthday is on March 30, she turns 50.", TODAY)
    Fact.objects.create(
        observation=note, contact=clara, kind="birthday", month=3, day=30, year=1976
    )
    Fact.objects.create(
        observation=note, contact=clara, kind="birthday", month=9, day=1
    )  # too far ahead
    event = dt.date(2026, 3, 30)
    gift = GiftSuggestionFactory.create(
        contact=clara,
        gift_item=GiftItemFactory.create(name="Sailing book", price_eur=Decimal("30.00")),
        event_date=event,
        due_date=event - dt.timedelta(days=5),
        expires_on=event,
        status=Suggestion.Status.APPROVED,
        decided_by=lead,
    )
    call = SuggestionFactory.create(
        contact=clara, kind="call", occasion="keep_in_touch", due_date=TODAY
    )
    SuggestionFactory.create(contact=clara, status=Suggestion.Status.DONE)

    response = detail(client, manager, clara)

    timeline = response.context["timeline"]
    assert [v.suggestion for v in timeline.open_suggestions] == [call, gift]
    assert [v.suggestion for v in timeline.planned_gifts] == [gift]
    assert [(d.day, d.years) for d in timeline.upcoming_dates] == [(event, 50)]
    html = response.content.decode()
    assert "Gift planned" in html and "Sailing book" in html
    assert html.index('id="upcoming"') < html.index('id="timeline"')


def test_a_colleague_sees_a_sensitive_note_only_exists(client, manager, colleague, team, clara):
    author = UserFactory.create(username="carl", team=team)
    observation_create(
        contact=clara,
        author=author,
        text="Clara was in hospital with a heart condition.",
        noted_on=dt.date(2026, 3, 1),
    )
    illness = Fact.objects.get(contact=clara, kind="life_event")
    illness.date = TODAY + dt.timedelta(days=10)
    illness.save()

    seen_by_colleague = detail(client, colleague, clara)
    seen_by_owner = detail(client, manager, clara)

    html = seen_by_colleague.content.decode()
    assert "hospital" not in html
    assert "A sensitive note (GDPR Art. 9) exists." in html
    assert seen_by_colleague.context["timeline"].upcoming_dates == []
    assert "hospital" in seen_by_owner.content.decode()
    assert [d.fact for d in seen_by_owner.context["timeline"].upcoming_dates] == [illness]


def test_another_teams_contact_is_a_404(client, outsider, clara):
    assert detail(client, outsider, clara).status_code == 404


def test_only_the_owner_and_the_lead_may_change_entries(client, manager, colleague, clara):
    observed(clara, manager, "Clara loves sailing.", dt.date(2026, 3, 2))
    done(clara, manager, dt.date(2026, 3, 3), kind="call")

    mine = detail(client, manager, clara).context["timeline"].entries
    theirs = detail(client, colleague, clara).context["timeline"].entries

    assert all(entry.editable for entry in mine)
    assert not any(entry.editable for entry in theirs)


def history(contact, owner, n):
    for i in range(n):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=3 * i)
        observed(contact, owner, f"Noted {i}.", day)
        suggested(contact, day, occasion="milestone")
        gesture = done(contact, owner, day, kind="note", value_eur=Decimal("2"))
        GestureOutcome.objects.create(gesture=gesture, result="thanked", recorded_by=owner)


def count_queries(client, user, contact):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("contact_detail", args=[contact.pk]))
    assert response.status_code == 200
    return len(queries), response


def test_the_page_runs_as_many_queries_for_3_entries_as_for_90(client, manager, clara):
    history(clara, manager, 1)
    few, _ = count_queries(client, manager, clara)
    history(clara, manager, 29)

    many, response = count_queries(client, manager, clara)

    assert len(response.context["timeline"].entries) == 90
    assert many == few
