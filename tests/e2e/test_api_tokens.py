"""A real browser: Anna makes an API token from the user menu, and the API docs render
under the Content-Security-Policy (the page fixture fails on any violation)."""

import pytest

from api.models import ApiToken
from tests.e2e.conftest import open_menu, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_anna_makes_a_token_and_reads_the_api_docs(page, manager):
    sign_in(page, "anna")
    open_menu(page).get_by_role("link", name="API tokens").click()
    page.get_by_label("Name (what the token is for)").fill("Reporting script")
    page.get_by_role("button", name="Create token").click()
    raw = page.locator("#new-token-value").input_value()
    assert raw.startswith("rcrm_")
    assert ApiToken.objects.get(user=manager).name == "Reporting script"

    me = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status == 200 and me.json()["username"] == "anna"

    page.get_by_role("link", name="API documentation").click()
    page.locator(".swagger-ui .info .title").wait_for()
    assert "relcrm API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() >= 18

    page.goto("/account/api-tokens/")
    assert raw not in page.content()
    page.get_by_role("button", name="Revoke").click()
    gone = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert gone.status == 401
