"""The browser enforces the Content-Security-Policy, and the tests would see a violation."""

import pytest

from tests.e2e.conftest import sign_in


def test_pages_run_htmx_without_a_violation(page, manager, csp_violations):
    sign_in(page, "anna")
    for path in ("/", "/contacts/", "/observations/new/", "/catalog/", "/calendar/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto("/observations/new/")
    page.get_by_label("What did you notice?").fill("Loves hiking.")
    page.wait_for_load_state("networkidle")

    assert csp_violations == []
    assert page.evaluate("htmx.config.allowEval") is False


@pytest.mark.expects_csp_violation
def test_an_inline_handler_is_blocked_and_reported(page, manager, csp_violations):
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
          const button = document.createElement("button");
          button.setAttribute("onclick", "document.title = 'ran'");
          document.body.append(button);
          button.click();
        }"""
    )
    page.wait_for_timeout(300)

    assert page.title() != "ran"
    assert any("script-src" in violation for violation in csp_violations)
