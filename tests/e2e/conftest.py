"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Screenshots land in test-artifacts/ for a person (or CI) to look at.
"""

import os
import shutil
from pathlib import Path

import pytest

from relcrm import settings as relcrm_settings
from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("RELCRM_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _browser_tests_run_on_a_fixed_day(ticking_clock):
    """Pages show dates and "in 10 days"; a browser test must not depend on the day it runs."""


@pytest.fixture(autouse=True)
def _browser_sessions_last_as_configured(settings):
    """A browser signs in on the ticking clock, so its session ends as in production."""
    settings.SESSION_COOKIE_AGE = relcrm_settings.SESSION_COOKIE_AGE


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        skip_or_fail(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# Every page a browser test opens reports its Content-Security-Policy violations here; the
# page fixture fails the test on any. The listener is added before any page script runs.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.documentURI} (${event.sourceFile}:${event.lineNumber})`
  );
});
"""


@pytest.fixture
def csp_violations():
    """The CSP violations the pages of this test reported (the test may expect some)."""
    return []


@pytest.fixture
def page(browser, live_server, request, csp_violations):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.expose_function("reportCspViolation", lambda report: csp_violations.append(report))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    if "expects_csp_violation" not in request.keywords:
        assert csp_violations == [], "Content-Security-Policy violations"


def sign_in(page, username, password="correct horse battery staple"):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def open_menu(page):
    """Open the navigation's menu when it is closed: on a phone every entry but "Log
    observation" sits behind it (from 768 px on it is always open)."""
    summary = page.locator(".nav-menu > summary")
    if summary.is_visible() and page.locator(".nav-menu[open]").count() == 0:
        summary.click()
    return page.get_by_role("navigation")


def open_action(card, name):
    """Open a card's rarer action ("Dismiss", "Mark done", "Other gift", "Snooze") and
    return its form, which is loaded when opened."""
    address = card.page.url
    card.locator(".suggestion-actions a", has_text=name).click()
    form = card.locator("form.suggestion-action-body")
    form.wait_for()
    assert card.page.url == address  # opened in the card: the address stays the page's
    return form


def wait_until_htmx_binds(page, selector):
    """Wait until htmx has bound the element: typing into a search box before then sends no
    search. Called right after a click that navigates, it may run on the page being left,
    where the element is not there yet; that counts as "not yet", not as an error."""
    page.locator(selector).wait_for()
    page.wait_for_function(
        "selector => !!document.querySelector(selector)?.['htmx-internal-data']", arg=selector
    )
