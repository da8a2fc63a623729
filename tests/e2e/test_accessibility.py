"""axe-core on every page of the app at phone size, as every role, and on the sign-in page:
no serious or critical violation. axe is the vendored file of tests/e2e/vendor/axe-core/,
checked against its published digest before it is injected."""

import hashlib
from pathlib import Path

import pytest

from tests.e2e.app_pages import page_urls, signed_in_page, world_create

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # 4.14.1
RUN_AXE = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): `
      + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}
"""


@pytest.fixture(scope="module")
def axe_source():
    source = AXE.read_bytes()
    assert hashlib.sha256(source).hexdigest() == AXE_SHA256, "axe.min.js is not axe-core 4.14.1"
    return source.decode()


@pytest.fixture
def world(manager, lead, outsider, admin_user):
    return world_create(manager=manager, lead=lead, outsider=outsider)


def violations(page, axe_source):
    # The pages allow only their own scripts (CSP); the test's context bypasses that.
    page.add_script_tag(content=axe_source)
    return page.evaluate(RUN_AXE)


@pytest.mark.page_walk
@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("role", ["manager", "lead", "admin_user"])
def test_no_page_has_a_serious_accessibility_violation(
    browser, live_server, world, request, role, language, axe_source
):
    user = request.getfixturevalue(role)
    user.language = language
    user.save()
    page = signed_in_page(browser, live_server.url, user.username, bypass_csp=True)
    found = {}
    for name, url in page_urls(world, role):
        page.goto(url)
        if problems := violations(page, axe_source):
            found[name] = problems
        if name == "home":
            # The open menu too.
            page.locator(".nav-menu > summary").click()
            if problems := violations(page, axe_source):
                found["menu"] = problems
    page.context.close()
    assert found == {}


def test_the_sign_in_page_has_no_serious_accessibility_violation(browser, live_server, axe_source):
    page = signed_in_page(browser, live_server.url, None, bypass_csp=True)
    page.goto("/accounts/login/")
    assert violations(page, axe_source) == []
    page.context.close()
