"""Signing in and out, login required everywhere, navigation by role."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The calendar feed answers calendar apps by its secret token (tests/gestures/test_calendar.py).
PUBLIC_PATHS = {"/accounts/login/", "/healthz", "/language/", "/calendar/1.ics"}


def every_app_path(patterns=None, prefix=""):
    """Every URL of the app (admin aside) with its parameters filled in."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue
            yield from every_app_path(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and not route.startswith("^"):  # media in DEBUG
            path = "/" + prefix + route
            path = path.replace("<slug:action>", "dismiss")
            for converter in ("<int:pk>", "<int:id>", "<str:token>", "<slug:slug>", "<uuid:uuid>"):
                path = path.replace(
                    converter,
                    "00000000-0000-0000-0000-000000000001" if "uuid" in converter else "1",
                )
            if not path.startswith("/media/"):
                yield path


@pytest.mark.django_db
def test_it_redirects_anonymous_visitors_of_every_page_to_login(client):
    # The API answers 401 without a token instead (tests/api/test_tokens.py).
    paths = sorted(p for p in set(every_app_path()) - PUBLIC_PATHS if not p.startswith("/api/"))
    assert {"/", "/team/", "/contacts/", "/contacts/1/", "/observations/new/"} <= set(paths)

    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("login") + "?next="), path


@pytest.mark.django_db
def test_login_page_is_public_and_in_the_apps_look(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b"vendor/pico/pico.min.css" in response.content


def test_it_signs_in_with_the_right_password(client, manager):
    response = client.post(
        reverse("login"), {"username": "anna", "password": "correct horse battery staple"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == manager


def test_it_refuses_a_wrong_password_with_a_message(client, manager):
    response = client.post(reverse("login"), {"username": "anna", "password": "wrong"})

    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert not response.context["user"].is_authenticated


def test_it_locks_out_after_repeated_failures(client, manager, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "anna", "password": "wrong"})

    response = client.post(
        reverse("login"), {"username": "anna", "password": "correct horse battery staple"}
    )

    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content


def test_logout_is_a_post_and_ends_the_session(client, manager):
    client.force_login(manager)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def nav_labels(response):
    return [str(item["label"]) for item in response.context["nav_items"]]


def test_account_managers_see_their_navigation(client, manager):
    client.force_login(manager)

    assert nav_labels(client.get(reverse("home"))) == [
        "Home",
        "My gestures",
        "Contacts",
        "Log observation",
        "Gift catalog",
        "Review",
    ]


def test_team_leads_also_see_the_team(client, lead):
    client.force_login(lead)

    assert nav_labels(client.get(reverse("home"))) == [
        "Home",
        "My gestures",
        "Contacts",
        "Log observation",
        "Gift catalog",
        "Review",
        "Team",
        "Gift ledger",
    ]


def test_admins_also_see_the_administration(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("home"))

    assert nav_labels(response) == [
        "Home",
        "My gestures",
        "Contacts",
        "Log observation",
        "Gift catalog",
        "Review",
        "Team",
        "Gift ledger",
        "Administration",
    ]
    assert b'href="/admin/"' in response.content


def test_the_team_page_lists_the_leads_own_team_only(client, lead, manager, outsider):
    client.force_login(lead)

    response = client.get(reverse("team"))

    assert response.status_code == 200
    assert b"Anna Example" in response.content
    assert b"Otto" not in response.content


def test_admins_see_every_team(client, admin_user, manager, outsider):
    client.force_login(admin_user)

    response = client.get(reverse("team"))

    assert b"Anna Example" in response.content
    assert b"Otto Example" in response.content


def test_account_managers_may_not_open_the_team_page(client, manager):
    client.force_login(manager)

    assert client.get(reverse("team")).status_code == 403


def test_the_team_page_query_count_does_not_grow_with_members(
    client, lead, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    client.force_login(lead)
    client.get(reverse("team"))
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("team"))
    UserFactory.create_batch(20, team=lead.team)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("team"))
