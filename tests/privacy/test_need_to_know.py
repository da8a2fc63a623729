"""Need-to-know for Art. 9 notes on the contact page: the owner, the note's author, the
team lead and admins read it; another account manager of the team sees only that a
sensitive note exists, in the timeline and in the facts."""

import datetime as dt

import pytest
from django.urls import reverse

from contacts.services import observation_create
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

SENSITIVE = "Clara is allergic to nuts, she told me at lunch."
PLAIN = "Clara loves hiking."


@pytest.fixture
def clara(manager, team):
    author = UserFactory.create(username="carl", team=team)
    clara = ContactFactory.create(first_name="Clara", owner=manager)
    observation_create(contact=clara, author=author, text=SENSITIVE, noted_on=dt.date(2026, 5, 1))
    observation_create(contact=clara, author=manager, text=PLAIN, noted_on=dt.date(2026, 5, 2))
    return clara


def page(client, user, contact):
    client.force_login(user)
    response = client.get(reverse("contact_detail", args=[contact.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_colleague_sees_that_a_sensitive_note_exists_not_what_it_says(client, clara, colleague):
    html = page(client, colleague, clara)

    assert "lunch" not in html and "Nut allergy" not in html
    assert "A sensitive note (GDPR Art. 9) exists." in html
    assert PLAIN in html


@pytest.mark.parametrize("who", ["anna", "carl", "lena", "admin"])
def test_owner_author_team_lead_and_admin_read_it(client, clara, lead, admin_user, who):
    from contacts.models import User

    html = page(client, User.objects.get(username=who), clara)

    assert SENSITIVE in html
    assert "A sensitive note (GDPR Art. 9) exists." not in html


# -- every page and partial, the API, the calendar feed and the digest ---------------------

WALK_TODAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
SECRET = "Hazelnut allergy since childhood, Clara told me over a long lunch."
# What would give the note away: its words, and the fact read in it in both languages.
GIVEAWAYS = ("Hazelnut", "long lunch", "Nut allergy", "Nussallergie", "nut_allergy")
# Searches for a word of the note (echoed in the search fields, so not one of the above).
SEARCHES = {"q": "childhood", "contact_q": "childhood", "who": "childhood"}


@pytest.fixture
def walk_world(manager, lead, outsider, colleague):
    """The route walk's world, its observation an Art. 9 note by the owner (Anna) that a
    suggestion quotes; Ben, her colleague, with a calendar feed, a token and a digest."""
    import time_machine

    from api.services import api_token_create
    from gestures.calendar import calendar_feed_create
    from tests.gestures.factories import SuggestionFactory
    from tests.relcrm.app_walk import team_world_create

    world = team_world_create(manager, lead, outsider)
    with time_machine.travel(WALK_TODAY, tick=False):
        contact = world["contact"]
        note = observation_create(
            contact=contact, author=manager, text=SECRET, noted_on=WALK_TODAY.date()
        )
        assert note.facts.filter(sensitive=True, tag="nut_allergy").exists()
        quoting = SuggestionFactory.create(
            contact=contact, status="confirmed", observation_ids=[note.pk]
        )
        quoting.explanation = {
            **quoting.explanation,
            "quotes": [{"text": SECRET, "noted_on": "2026-11-23", "author": "Anna"}],
        }
        quoting.save()
        bens = ContactFactory.create(owner=colleague, first_name="Bruno")
        SuggestionFactory.create(contact=bens, status="confirmed", due_date=WALK_TODAY.date())
        world.update(
            observation=note,
            suggestion=quoting,
            feed=calendar_feed_create(user=colleague),
            bens_token=api_token_create(user=colleague, name="walk")[1],
            owners_token=api_token_create(user=manager, name="walk")[1],
        )
    return world


def _text(response):
    body = b"".join(response) if response.streaming else response.content
    return body.decode("utf-8", "replace")


def _leaks(text):
    return [word for word in GIVEAWAYS if word.casefold() in text.casefold()]


API_PATHS = (
    "/api/v1/me",
    "/api/v1/contacts",
    "/api/v1/contacts?q=childhood",
    "/api/v1/contacts/{contact}",
    "/api/v1/facts",
    "/api/v1/facts?contact={contact}",
    "/api/v1/facts?kind=constraint",
    "/api/v1/suggestions",
    "/api/v1/suggestions?contact={contact}",
    "/api/v1/gestures",
    "/api/v1/catalog",
    "/api/v1/ledger",
)


def _api(client, world, token):
    for path in API_PATHS:
        url = path.format(contact=world["contact"].pk)
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code < 500, url
        yield url, response


@pytest.mark.parametrize("language", ["en", "de"])
def test_no_page_partial_feed_digest_or_api_answer_shows_a_colleague_the_sensitive_text(
    walk_world, colleague, client, mailoutbox, settings, language
):
    import time_machine
    from django.core.cache import cache

    from gestures.digest import digests_send
    from tests.relcrm.app_walk import route_kwargs, routes

    colleague.language = language
    colleague.save()
    client.force_login(colleague)
    cache.clear()  # the API's rate limit
    walked = []
    with time_machine.travel(WALK_TODAY, tick=False):
        for name, converters in routes():
            url = reverse(name, kwargs=route_kwargs(name, converters, walk_world))
            for headers in ({}, {"HX-Request": "true"}):
                for query in ({}, SEARCHES):
                    response = client.get(url, query, headers=headers)
                    assert response.status_code < 500 or name == "healthz", url
                    assert _leaks(_text(response)) == [], (url, query, headers)
                    walked.append(url)
            response = client.post(url, SEARCHES, headers={"HX-Request": "true"})
            assert _leaks(_text(response)) == [], url
        for url, response in _api(client, walk_world, walk_world["bens_token"]):
            assert _leaks(_text(response)) == [], url
            walked.append(url)
        digests_send(today=WALK_TODAY.date())

    assert len(walked) > 100
    # The walk reached what it checks: the contact page, Ben's own feed and digest.
    assert reverse("contact_detail", args=[walk_world["contact"].pk]) in walked
    assert reverse("calendar_feed_ics", args=[walk_world["feed"].token]) in walked
    (digest,) = mailoutbox
    assert digest.to == [colleague.email] and "Bruno" in digest.body
    assert _leaks(digest.body + digest.alternatives[0][0]) == []


def test_the_api_tells_a_colleague_a_sensitive_fact_exists_not_what_it_says(walk_world, client):
    from django.core.cache import cache

    cache.clear()
    note = walk_world["observation"]
    answer = client.get(
        f"/api/v1/facts?contact={walk_world['contact'].pk}",
        HTTP_AUTHORIZATION=f"Bearer {walk_world['bens_token']}",
    ).json()
    (masked,) = [fact for fact in answer["items"] if fact["observation_id"] == note.pk]
    assert masked["sensitive"] is True and masked["kind"] == "constraint"
    assert masked["tag"] == "" and masked["evidence"] == ""

    suggestions = client.get(
        f"/api/v1/suggestions?contact={walk_world['contact'].pk}&status=confirmed",
        HTTP_AUTHORIZATION=f"Bearer {walk_world['bens_token']}",
    ).json()["items"]
    (quoting,) = [s for s in suggestions if s["id"] == walk_world["suggestion"].pk]
    assert "Birthday" in quoting["explanation"] and SECRET not in quoting["explanation"]


def test_the_owner_reads_it_everywhere_the_walk_looks(walk_world, manager, client):
    """The walk's words are found where the owner looks: what it checks can fail."""
    import time_machine
    from django.core.cache import cache

    cache.clear()
    client.force_login(manager)
    with time_machine.travel(WALK_TODAY, tick=False):
        contact_page = _text(client.get(reverse("contact_detail", args=[walk_world["contact"].pk])))
        dashboard = _text(client.get(reverse("dashboard")))
        token = {"HTTP_AUTHORIZATION": f"Bearer {walk_world['owners_token']}"}
        facts = _text(client.get(f"/api/v1/facts?contact={walk_world['contact'].pk}", **token))
        suggestions = _text(
            client.get(
                f"/api/v1/suggestions?contact={walk_world['contact'].pk}&status=confirmed", **token
            )
        )
    assert "Hazelnut" in contact_page and "Nut allergy" in contact_page
    assert "Hazelnut" in dashboard
    assert "nut_allergy" in facts and "Hazelnut" in facts
    assert "Hazelnut" in suggestions


def test_reading_sensitive_facts_through_the_api_is_logged_a_masked_answer_is_not(
    walk_world, manager, colleague, client
):
    from django.core.cache import cache

    from privacy.models import AccessLogEntry

    cache.clear()
    contact = walk_world["contact"]
    for token in (walk_world["owners_token"], walk_world["bens_token"]):
        response = client.get(
            f"/api/v1/facts?contact={contact.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert response.status_code == 200
    entries = AccessLogEntry.objects.filter(contact=contact, action="view")
    assert list(entries.values_list("user__username", flat=True)) == ["anna"]
