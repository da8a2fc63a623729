"""Input that no field may hold is refused at the edge with a message, never a 500."""

import pytest
from django.urls import reverse

from gestures.models import Suggestion
from relcrm.validation import (
    MAX_ID,
    id_or_none,
    single_line,
    text_param,
    text_problem,
    without_control_characters,
)
from tests.factories import ContactFactory
from tests.gestures.factories import GiftSuggestionFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("99999999999999999999", None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("١٢", None),
        ("", None),
        (" 1", None),
        (True, None),
        (7, 7),
    ],
)
def test_id_or_none_takes_only_ids_a_bigint_holds(value, expected):
    assert id_or_none(value) == expected


def test_text_problems_are_named():
    assert text_problem("fine text, äöü 😀") is None
    assert "NUL" in (text_problem("a\x00b") or "")
    assert "surrogate" in (text_problem("a\ud800b") or "")


def test_a_search_parameter_loses_what_cannot_be_stored():
    assert text_param({"q": " an\x00na\udc80 "}, "q") == "anna"
    assert text_param({"q": "x" * 500}, "q") == "x" * 100


def test_control_characters_are_removed_from_text_that_leaves():
    assert without_control_characters("a\x1bb\x00c\td\ne\x85") == "abc\td\ne"
    assert single_line("two\r\nlines\x07") == "two lines"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["owner", "organization"])
def test_an_id_no_column_holds_is_no_filter(client, manager, name):
    ContactFactory.create(owner=manager, first_name="Clara")
    client.force_login(manager)
    response = client.get(reverse("contact_list"), {name: "99999999999999999999"})
    assert response.status_code == 200
    assert "Clara" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "param"),
    [
        ("contact_list", "q"),
        ("contact_list", "interest"),
        ("contact_picker", "contact_q"),
        ("observation_new", "contact_q"),
        ("dashboard", "who"),
        ("catalog", "interest"),
        ("team_overview", "month"),
    ],
)
def test_a_nul_in_a_query_parameter_is_a_clear_400(client, lead, route, param):
    client.force_login(lead)
    response = client.get(reverse(route) + f"?{param}=a%00b")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_feed_address_is_a_400_without_a_login(client):
    response = client.get("/calendar/%00.ics")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_rejection_reason_changes_nothing(client, lead, manager):
    suggestion = GiftSuggestionFactory.create(
        contact=ContactFactory.create(owner=manager), status=Suggestion.Status.CONFIRMED
    )
    client.force_login(lead)
    response = client.post(
        reverse("team_approval_reject", args=[suggestion.pk]), {"reason_text": "no\x00"}
    )
    assert response.status_code == 400
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.CONFIRMED
