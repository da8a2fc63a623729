"""A real browser: Anna signs in, switches to German, and sees the German navigation."""

import pytest

from tests.e2e.conftest import open_menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_anna_switches_to_german_and_sees_german_navigation(page, manager):
    sign_in(page, "anna")
    open_menu(page)
    nav = page.get_by_role("navigation", name="Main navigation")
    assert nav.get_by_role("link", name="Home").is_visible()

    page.get_by_role("button", name="DE").click()

    page.wait_for_function("document.documentElement.lang === 'de'")
    open_menu(page)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    assert nav.get_by_role("link", name="Startseite").is_visible()
    assert page.get_by_role("button", name="Abmelden").is_visible()
    assert page.locator("html").get_attribute("lang") == "de"
    manager.refresh_from_db()
    assert manager.language == "de"
