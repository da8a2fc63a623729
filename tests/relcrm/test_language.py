"""English and German, switchable, and kept per user."""

from django.urls import reverse


def test_switching_to_german_is_kept_on_the_account(client, manager):
    client.force_login(manager)

    response = client.post(reverse("language_switch"), {"language": "de", "next": "/team/"})

    assert response.status_code == 302
    assert response["Location"] == "/team/"
    manager.refresh_from_db()
    assert manager.language == "de"
    page = client.get(reverse("home")).content.decode()
    assert "Startseite" in page
    assert "Abmelden" in page


def test_the_users_language_wins_over_the_browsers(client, manager):
    manager.language = "de"
    manager.save()
    client.force_login(manager)

    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="de"' in page
    assert "Startseite" in page


def test_the_login_page_follows_the_cookie_without_an_account(client, db):
    client.post(reverse("language_switch"), {"language": "de", "next": reverse("login")})

    page = client.get(reverse("login")).content.decode()

    assert "Anmelden" in page


def test_an_unknown_language_or_foreign_next_url_is_ignored(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("language_switch"), {"language": "xx", "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("home")
    manager.refresh_from_db()
    assert manager.language == "en"


def test_switching_needs_a_post_with_csrf(manager):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)

    assert client.get(reverse("language_switch")).status_code == 405
    assert client.post(reverse("language_switch"), {"language": "de"}).status_code == 403
