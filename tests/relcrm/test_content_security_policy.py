"""Every page is sent with a strict Content-Security-Policy and holds nothing it would block."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.relcrm.app_walk import route_kwargs, routes

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
HX_ON = re.compile(r"\shx-on[:-]")


def policy(response):
    return dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )


def assert_strict(response, url):
    directives = policy(response)
    assert directives["default-src"] == "'self'", url
    assert directives["script-src"].startswith("'self'"), url
    assert directives["style-src"] == "'self'", url
    assert directives["object-src"] == "'none'", url
    assert directives["frame-ancestors"] == "'none'", url
    for directive in directives.values():
        assert "unsafe" not in directive, url
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, STYLE_ATTRIBUTE, HX_ON):
            assert not pattern.search(html), (url, pattern.search(html))
        if "htmx.min.js" in html:
            assert '"allowEval": false' in html, url


@pytest.mark.parametrize("role", ["manager", "lead", "admin_user"])
def test_every_page_and_partial_has_a_strict_policy(client, request, role, team_world):
    client.force_login(request.getfixturevalue(role))
    for name, converters in routes():
        url = reverse(name, kwargs=route_kwargs(name, converters, team_world))
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            if response.status_code in (200, 400, 403, 429):
                assert_strict(response, url)


def test_sign_in_admin_sign_in_and_error_pages_have_it(client, manager):
    for url in (reverse("login"), "/admin/login/", "/calendar/%00.ics"):
        assert_strict(client.get(url), url)
    with override_settings(DEBUG=False):
        client.force_login(manager)
        missing = client.get("/contacts/999999/")
        assert missing.status_code == 404
        assert_strict(missing, "404")
