"""Flash messages reach the page on normal requests and ride along with HTMX partials."""

import pytest

pytestmark = pytest.mark.urls("tests.relcrm.htmx_urls")


def test_an_htmx_partial_carries_its_messages_as_an_out_of_band_swap(client, manager):
    client.force_login(manager)

    response = client.get("/test/save-row/", HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert body.startswith('<tr id="row-1">')
    assert '<div id="messages" aria-live="polite" hx-swap-oob="true">' in body
    assert "Saved &lt;b&gt;row&lt;/b&gt;" in body


def test_a_normal_request_leaves_messages_for_the_next_full_page(client, manager):
    client.force_login(manager)

    partial = client.get("/test/save-row/").content.decode()
    page = client.get("/").content.decode()

    assert "hx-swap-oob" not in partial
    assert "Saved &lt;b&gt;row&lt;/b&gt;" in page


def test_messages_are_delivered_once(client, manager):
    client.force_login(manager)

    client.get("/test/save-row/", HTTP_HX_REQUEST="true")

    assert "Saved" not in client.get("/").content.decode()
