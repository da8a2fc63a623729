"""The API through the test client: every endpoint for each role, allowed, forbidden and
another team's, with the same answers as the pages give."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from contacts.models import Contact, Fact, Observation
from gestures.models import Gesture, GestureOutcome, Suggestion, SuggestionTransition
from tests.factories import ContactFactory
from tests.gestures.factories import GiftItemFactory, SuggestionFactory

from .conftest import bearer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_day")]
TODAY = dt.date(2026, 11, 18)


@pytest.fixture
def pinned_day():
    with time_machine.travel(dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world(manager, colleague, lead, outsider, admin_user):
    return {
        "mine": ContactFactory.create(owner=manager, first_name="Maria", last_name="Mine"),
        "colleague": ContactFactory.create(
            owner=colleague, first_name="Carl", last_name="Colleague"
        ),
        "other": ContactFactory.create(owner=outsider, first_name="Olga", last_name="Other"),
    }


def call(client, method, url, user, body=None):
    kwargs = bearer(user)
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    response = getattr(client, method)(url, **kwargs)
    assert response["Content-Type"].startswith("application/json")
    return response


def ids(response):
    return {row["id"] for row in response.json()["items"]}


def test_contact_list_is_the_team_and_searchable(client, world, manager, outsider, admin_user):
    response = call(client, "get", "/api/v1/contacts", manager)
    assert response.status_code == 200
    assert ids(response) == {world["mine"].pk, world["colleague"].pk}
    assert response.json()["count"] == 2
    assert ids(call(client, "get", "/api/v1/contacts?q=mari", manager)) == {world["mine"].pk}
    assert ids(call(client, "get", "/api/v1/contacts", outsider)) == {world["other"].pk}
    assert len(ids(call(client, "get", "/api/v1/contacts", admin_user))) == 3


def test_contact_list_pages(client, manager):
    for _ in range(5):
        ContactFactory.create(owner=manager)
    first = call(client, "get", "/api/v1/contacts?page_size=2", manager).json()
    third = call(client, "get", "/api/v1/contacts?page_size=2&page=3", manager).json()
    assert first["count"] == 5 and len(first["items"]) == 2 and len(third["items"]) == 1


def test_another_teams_contact_is_a_404(client, world, manager):
    url = f"/api/v1/contacts/{world['other'].pk}"
    assert call(client, "get", url, manager).status_code == 404
    assert call(client, "patch", url, manager, {"title": "CEO"}).status_code == 404
    archive = call(client, "post", url + "/archive", manager, {})
    assert archive.status_code == 404
    assert archive.json()["detail"]
    assert not Contact.objects.get(pk=world["other"].pk).archived


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("manager", "mine", 200),
        ("manager", "colleague", 404),  # visible, but an account manager changes only theirs
        ("lead", "colleague", 200),
        ("outsider", "mine", 404),
        ("admin_user", "other", 200),
    ],
)
def test_contact_update_and_archive_by_role(client, world, request, who, target, status):
    user = request.getfixturevalue(who)
    url = f"/api/v1/contacts/{world[target].pk}"
    response = call(client, "patch", url, user, {"title": "Head of Purchasing"})
    assert response.status_code == status
    archived = call(client, "post", url + "/archive", user, {"archived": True})
    assert archived.status_code == status
    contact = Contact.objects.get(pk=world[target].pk)
    assert (contact.title == "Head of Purchasing") is (status == 200)
    assert contact.archived is (status == 200)


def test_contact_create(client, manager, colleague, lead):
    created = call(
        client, "post", "/api/v1/contacts", manager, {"first_name": "Jörg", "last_name": "Groß"}
    )
    assert created.status_code == 201
    contact = Contact.objects.get(pk=created.json()["id"])
    assert (contact.owner, contact.team, contact.last_name) == (manager, manager.team, "Groß")
    refused = call(
        client, "post", "/api/v1/contacts", manager, {"last_name": "X", "owner_id": colleague.pk}
    )
    assert refused.status_code == 422
    assert "team leads" in refused.json()["detail"]
    assigned = call(
        client,
        "post",
        "/api/v1/contacts",
        lead,
        {"first_name": "Yvonne", "last_name": "Y", "owner_id": colleague.pk},
    )
    assert assigned.status_code == 201, assigned.json()
    assert assigned.json()["owner_id"] == colleague.pk


def test_contact_form_of_address_through_the_api(client, manager):
    created = call(
        client,
        "post",
        "/api/v1/contacts",
        manager,
        {"first_name": "Jörg", "last_name": "Groß", "address": "informal", "salutation": "Herr"},
    )
    assert created.status_code == 201
    assert (created.json()["address"], created.json()["salutation"]) == ("informal", "Herr")
    default = call(
        client, "post", "/api/v1/contacts", manager, {"first_name": "Ada", "last_name": "Z"}
    ).json()
    assert default["address"] == "formal"
    patched = call(
        client, "patch", f"/api/v1/contacts/{default['id']}", manager, {"address": "informal"}
    )
    assert patched.json()["address"] == "informal"
    refused = call(client, "patch", f"/api/v1/contacts/{default['id']}", manager, {"address": "x"})
    assert refused.status_code == 422


def test_contact_create_refuses_a_nameless_contact_and_bad_text(client, manager):
    nameless = call(client, "post", "/api/v1/contacts", manager, {"email": "a@example.com"})
    assert nameless.status_code == 422 and nameless.json()["detail"]
    nul = call(client, "post", "/api/v1/contacts", manager, {"last_name": "Nul\x00l"})
    assert nul.status_code == 422
    surrogate = client.post(
        "/api/v1/contacts",
        data=b'{"last_name": "lone \\ud800 surrogate"}',
        content_type="application/json",
        **bearer(manager),
    )
    assert surrogate.status_code == 422
    assert surrogate.json()["errors"][0]["loc"][-1] == "last_name"
    searched = call(client, "get", "/api/v1/contacts?q=a%00b", manager)
    assert searched.status_code == 422
    assert Contact.objects.count() == 0


def test_observation_create_returns_its_facts_and_dry_run_stores_nothing(client, world, manager):
    body = {
        "contact_id": world["colleague"].pk,
        "text": "Her birthday is on 14 June. She loves jazz.",
        "noted_on": "2026-11-18",
    }
    preview = call(client, "post", "/api/v1/observations?dry_run=true", manager, body)
    assert preview.status_code == 201
    assert preview.json()["dry_run"] is True and preview.json()["id"] is None
    kinds = {fact["kind"] for fact in preview.json()["facts"]}
    assert {"birthday", "interest"} <= kinds
    assert Observation.objects.count() == 0 and Fact.objects.count() == 0

    saved = call(client, "post", "/api/v1/observations", manager, body)
    assert saved.status_code == 201
    facts = saved.json()["facts"]
    birthday = next(fact for fact in facts if fact["kind"] == "birthday")
    assert (birthday["month"], birthday["day"]) == (6, 14) and birthday["id"]
    assert Fact.objects.filter(contact=world["colleague"]).count() == len(facts)

    body["contact_id"] = world["other"].pk
    assert call(client, "post", "/api/v1/observations", manager, body).status_code == 404


def test_facts_list_and_correct(client, world, manager, colleague, lead, outsider):
    observation_by_colleague = _observe(client, colleague, world["colleague"])
    fact = Fact.objects.get(observation_id=observation_by_colleague, kind="birthday")
    listed = call(client, "get", f"/api/v1/facts?contact={world['colleague'].pk}", manager)
    assert fact.pk in ids(listed)
    assert call(client, "get", "/api/v1/facts", outsider).json()["count"] == 0

    url = f"/api/v1/facts/{fact.pk}"
    assert call(client, "patch", url, manager, {"day": 15}).status_code == 404
    assert call(client, "patch", url, outsider, {"day": 15}).status_code == 404
    corrected = call(client, "patch", url, colleague, {"day": 15})
    assert corrected.status_code == 200 and corrected.json()["day"] == 15
    by_lead = call(client, "patch", url, lead, {"month": 7})
    assert by_lead.status_code == 200
    fact.refresh_from_db()
    assert (fact.month, fact.day) == (7, 15)
    impossible = call(client, "patch", url, colleague, {"month": 2, "day": 31})
    assert impossible.status_code == 422
    fact.refresh_from_db()
    assert (fact.month, fact.day) == (7, 15)


def _observe(client, user, contact):
    body = {
        "contact_id": contact.pk,
        "text": "Her birthday is on 14 June.",
        "noted_on": "2026-11-18",
    }
    return call(client, "post", "/api/v1/observations", user, body).json()["id"]


def test_suggestion_list_explains_in_the_token_owners_language(client, world, manager):
    suggestion = SuggestionFactory.create(contact=world["mine"])
    SuggestionFactory.create(contact=world["other"])
    english = call(client, "get", "/api/v1/suggestions", manager).json()
    assert [row["id"] for row in english["items"]] == [suggestion.pk]
    assert "birthday" in english["items"][0]["explanation"].lower()
    manager.language = "de"
    manager.save()
    german = call(client, "get", "/api/v1/suggestions", manager).json()
    assert "Geburtstag" in german["items"][0]["explanation"]


def test_a_suggestion_gives_its_draft_and_null_for_a_call(client, world, manager):
    note = SuggestionFactory.create(contact=world["mine"], draft="Dear Mina,\n\nHappy birthday!")
    call_for = SuggestionFactory.create(
        contact=world["mine"], kind="call", occasion="keep_in_touch"
    )
    rows = {
        row["id"]: row
        for row in call(client, "get", "/api/v1/suggestions", manager).json()["items"]
    }
    assert rows[note.pk]["draft"] == "Dear Mina,\n\nHappy birthday!"
    assert rows[call_for.pk]["draft"] is None


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("manager", "mine", 200),
        ("manager", "colleague", 404),
        ("lead", "colleague", 200),
        ("outsider", "mine", 404),
    ],
)
def test_suggestion_decisions_by_role(client, world, request, who, target, status):
    user = request.getfixturevalue(who)
    confirm, dismiss, snooze, done = (
        SuggestionFactory.create(contact=world[target]) for _ in range(4)
    )
    base = "/api/v1/suggestions"
    answers = [
        call(client, "post", f"{base}/{confirm.pk}/confirm", user),
        call(client, "post", f"{base}/{dismiss.pk}/dismiss", user, {"reason": "wrong_timing"}),
        call(client, "post", f"{base}/{snooze.pk}/snooze", user, {"until": "2026-11-21"}),
    ]
    finished = call(client, "post", f"{base}/{done.pk}/done", user, {"note": "Card sent"})
    assert [answer.status_code for answer in answers] == [status] * 3
    assert finished.status_code == (201 if status == 200 else 404)
    statuses = [Suggestion.objects.get(pk=s.pk).status for s in (confirm, dismiss, snooze, done)]
    if status == 200:
        assert statuses == ["confirmed", "dismissed", "snoozed", "done"]
        assert answers[1].json()["reason"] == "wrong_timing"
        # Recorded as in the UI: one transition per decision, by the token's owner.
        assert SuggestionTransition.objects.filter(by=user).count() == 4
        assert Gesture.objects.get(suggestion=done).note == "Card sent"
    else:
        assert statuses == ["pending"] * 4
        assert not SuggestionTransition.objects.exists()


def test_a_refused_decision_is_a_409_with_the_reason(client, world, manager):
    suggestion = SuggestionFactory.create(contact=world["mine"], status=Suggestion.Status.DISMISSED)
    response = call(client, "post", f"/api/v1/suggestions/{suggestion.pk}/confirm", manager)
    assert response.status_code == 409
    assert "cannot become" in response.json()["detail"]
    other = SuggestionFactory.create(contact=world["mine"])
    no_text = call(
        client, "post", f"/api/v1/suggestions/{other.pk}/dismiss", manager, {"reason": "other"}
    )
    assert no_text.status_code == 422
    past = call(
        client, "post", f"/api/v1/suggestions/{other.pk}/snooze", manager, {"until": "2026-11-01"}
    )
    assert past.status_code == 422
    assert Suggestion.objects.get(pk=other.pk).status == "pending"


def test_gestures_list_and_log(client, world, manager, colleague, outsider):
    logged = call(
        client,
        "post",
        "/api/v1/gestures",
        manager,
        {"contact_id": world["mine"].pk, "kind": "call", "date": "2026-11-17"},
    )
    assert logged.status_code == 201
    assert call(client, "get", "/api/v1/gestures", colleague).json()["count"] == 1
    assert call(client, "get", "/api/v1/gestures", outsider).json()["count"] == 0
    not_mine = {"contact_id": world["colleague"].pk, "kind": "note"}
    assert call(client, "post", "/api/v1/gestures", manager, not_mine).status_code == 404
    future = {"contact_id": world["mine"].pk, "kind": "note", "date": "2026-12-01"}
    assert call(client, "post", "/api/v1/gestures", manager, future).status_code == 422
    gift = {"contact_id": world["mine"].pk, "kind": "gift"}
    assert call(client, "post", "/api/v1/gestures", manager, gift).status_code == 422
    assert Gesture.objects.count() == 1


def test_catalog_is_readable_by_everyone_in_their_language(client, manager, outsider):
    item = GiftItemFactory.create(name="Coffee beans", name_de="Kaffeebohnen")
    GiftItemFactory.create(active=False)
    outsider.language = "de"
    outsider.save()
    assert [
        row["name"] for row in call(client, "get", "/api/v1/catalog", manager).json()["items"]
    ] == ["Coffee beans"]
    german = call(client, "get", "/api/v1/catalog", outsider).json()["items"]
    assert [(row["id"], row["name"]) for row in german] == [(item.pk, "Kaffeebohnen")]


def test_ledger_is_for_team_leads_of_their_team(client, world, manager, lead, admin_user):
    item = GiftItemFactory.create(price_eur="30.00")
    for contact in (world["mine"], world["other"]):
        Gesture.objects.create(
            contact=contact, kind="gift", date=TODAY, gift_item=item, value_eur=30, by=contact.owner
        )
    refused = call(client, "get", "/api/v1/ledger", manager)
    assert refused.status_code == 403 and refused.json()["detail"]
    rows = call(client, "get", "/api/v1/ledger?year=2026", lead).json()["items"]
    assert [row["contact_id"] for row in rows] == [world["mine"].pk]
    assert rows[0]["recipient_year_total_eur"] == "30.00" and rows[0]["over_limit"] is False
    assert call(client, "get", "/api/v1/ledger", admin_user).json()["count"] == 2


def test_errors_are_json(client, manager):
    assert client.get("/api/v1/contacts").status_code == 401
    assert client.get("/api/v1/contacts").json()["detail"]
    wrong = client.get("/api/v1/contacts", HTTP_AUTHORIZATION="Bearer rcrm_wrong")
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"] == "Bearer"
    unknown = call(client, "get", "/api/v1/no-such-thing", manager)
    assert unknown.status_code == 404
    method = call(client, "delete", "/api/v1/contacts", manager)
    assert method.status_code == 405 and method.json()["detail"]
    broken = client.post(
        "/api/v1/contacts", data=b"{not json", content_type="application/json", **bearer(manager)
    )
    assert broken.status_code in {400, 422} and broken.json()["detail"]
    huge = call(client, "get", "/api/v1/contacts/99999999999", manager)
    assert huge.status_code == 422


def test_timezone_today_default(client, world, manager):
    body = {"contact_id": world["mine"].pk, "text": "Mentioned she now runs marathons."}
    saved = call(client, "post", "/api/v1/observations", manager, body)
    assert saved.json()["noted_on"] == timezone.localdate().isoformat() == "2026-11-18"


def test_gestures_carry_what_came_of_them(client, world, manager):
    from gestures.outcomes import gesture_outcome_record

    logged = call(
        client,
        "post",
        "/api/v1/gestures",
        manager,
        {"contact_id": world["mine"].pk, "kind": "note", "date": "2026-11-02"},
    ).json()
    assert (logged["outcome_result"], logged["outcome_recorded_at"]) == (None, None)
    gesture = Gesture.objects.get(pk=logged["id"])
    gesture_outcome_record(gesture=gesture, by=manager, result="felt_wrong", note="Too early.")

    (row,) = call(client, "get", "/api/v1/gestures", manager).json()["items"]
    assert (row["outcome_result"], row["outcome_note"], row["outcome_recorded_by_id"]) == (
        "felt_wrong",
        "Too early.",
        manager.pk,
    )
    assert row["outcome_recorded_at"].startswith("2026-")


def test_the_owner_lead_or_admin_record_an_outcome_others_get_404(
    client, world, manager, colleague, lead, outsider, admin_user
):
    gesture = Gesture.objects.create(
        contact=world["mine"], kind="call", date=dt.date(2026, 11, 2), by=manager
    )
    path = f"/api/v1/gestures/{gesture.pk}/outcome"
    for stranger in (colleague, outsider):
        assert call(client, "post", path, stranger, {"result": "thanked"}).status_code == 404
    refused = call(client, "post", path, manager, {"result": "felt_wrong"})
    assert refused.status_code == 422
    assert "felt wrong" in refused.json()["detail"]
    assert call(client, "post", path, manager, {"result": "great"}).status_code == 422
    assert not GestureOutcome.objects.exists()

    for user, result in ((manager, "thanked"), (lead, "met"), (admin_user, "new_order")):
        answer = call(client, "post", path, user, {"result": result, "note": "ok"})
        assert answer.status_code == 200
        assert (answer.json()["outcome_result"], answer.json()["outcome_recorded_by_id"]) == (
            result,
            user.pk,
        )
    assert GestureOutcome.objects.get().result == "new_order"
