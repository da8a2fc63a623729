"""Every page of the app at phone size (390 x 844), as every role: nothing needs sideways
scrolling, the navigation fits in one row with "Log observation" one tap away and the rest
in a menu that opens without JavaScript, and every control is at least 44 px high."""

import re

import pytest

from tests.e2e.app_pages import PAGES, html_pages, page_urls, signed_in_page, world_create

pytestmark = pytest.mark.django_db(transaction=True)

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# Controls of the shared styles smaller than 44 px, as "tag text height".
SMALL_TARGETS = """
() => [...document.querySelectorAll(
  'button, [role=button], summary, select, .site-nav a, '
  + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio])'
)].filter(el => el.offsetParent !== null)
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.height < 44)
  .map(([el, box]) =>
    `${el.tagName} ${(el.innerText || el.name || '').trim().slice(0, 30)} ${box.height}`)
"""


@pytest.fixture
def world(manager, lead, outsider, admin_user):
    return world_create(manager=manager, lead=lead, outsider=outsider)


def test_every_page_is_walked(world, admin_user):
    assert html_pages(world, admin_user) - set(PAGES) == set()


@pytest.mark.page_walk
@pytest.mark.parametrize("role", ["manager", "lead", "admin_user"])
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, world, request, role):
    user = request.getfixturevalue(role)
    page = signed_in_page(browser, live_server.url, user.username)
    wide = {}
    small = {}
    for name, url in page_urls(world, role):
        response = page.goto(url)
        assert response is not None and response.status == 200, (name, url)
        if overflow := page.evaluate(OVERFLOW):
            wide[name] = overflow
        if targets := page.evaluate(SMALL_TARGETS):
            small[name] = targets
    page.context.close()
    assert wide == {}, "pixels of sideways scrolling"
    assert small == {}, "controls under 44 px"


def test_the_sign_in_page_fits_a_phone(browser, live_server):
    page = signed_in_page(browser, live_server.url, None)
    page.goto("/accounts/login/")
    assert page.evaluate(OVERFLOW) == 0
    page.context.close()


def test_log_observation_is_one_tap_away_and_the_rest_is_in_the_menu(
    browser, live_server, world, manager
):
    page = signed_in_page(browser, live_server.url, manager.username)
    page.goto("/contacts/")
    nav = page.get_by_role("navigation", name="Main navigation")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 120
    assert nav.get_by_role("link", name="Log observation").is_visible()
    assert not nav.get_by_role("link", name="Gift catalog").is_visible()

    nav.locator("summary", has_text="Menu").click()

    assert nav.get_by_role("link", name="Gift catalog").is_visible()
    assert nav.get_by_role("button", name="Log out").is_visible()
    nav.get_by_role("link", name="Log observation").click()
    page.wait_for_url("**/observations/new/")
    page.context.close()


def test_the_menu_opens_without_javascript(browser, live_server, world, manager):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.locator("summary", has_text="Menu").click()
    nav.get_by_role("link", name="Contacts").click()
    page.wait_for_url("**/contacts/")
    context.close()


def test_the_contact_list_is_a_card_list_on_a_phone(browser, live_server, world, manager):
    page = signed_in_page(browser, live_server.url, manager.username)
    page.goto("/contacts/")
    row = page.locator(".contact-table tbody tr").first
    cells = row.locator("td")
    assert page.locator(".contact-table thead").bounding_box()["height"] <= 1
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1  # one cell under the other
    assert "Organization" in cells.nth(1).evaluate("e => getComputedStyle(e, '::before').content")
    page.context.close()


def test_the_printed_ledger_has_no_navigation_or_buttons(browser, live_server, world, lead):
    page = signed_in_page(browser, live_server.url, lead.username)
    page.goto("/team/ledger/")
    page.emulate_media(media="print")
    assert page.locator("button").count() > 0
    assert (
        page.evaluate(
            "[...document.querySelectorAll('header, button, [role=button], form')]"
            ".filter(el => el.offsetParent !== null).length"
        )
        == 0
    )
    assert not page.get_by_role("link", name=re.compile("as CSV")).is_visible()
    assert page.get_by_role("heading", name="Gift ledger").is_visible()
    page.context.close()
