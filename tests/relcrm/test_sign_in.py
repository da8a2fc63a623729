"""The sign-in lockout cannot be turned against a user, directly or behind a proxy, and one
address cannot guess across many usernames."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from relcrm.sign_in import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery staple"
ATTACKER = "203.0.113.9"
USER = "198.51.100.23"
PROXY = "10.0.0.2"


def sign_in(client, password, *, remote, forwarded=None, username="anna"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def fail_until_locked(client, settings, **where):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", **where)
    assert sign_in(client, RIGHT, **where).status_code == 429


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, USER, None, USER),
        (0, USER, ATTACKER, USER),  # direct: the header is the client's own claim
        (1, PROXY, USER, USER),
        (1, PROXY, f"{ATTACKER}, {USER}", USER),  # what the client wrote is to the left
        (1, PROXY, None, PROXY),
        (1, PROXY, "not-an-address", PROXY),
        (2, PROXY, f"{ATTACKER}, {USER}, 10.0.0.1", USER),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(
    settings, proxies, remote, forwarded, expected
):
    settings.SIGN_IN_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **extra)) == expected


def test_direct_failures_from_elsewhere_do_not_lock_the_user_out(client, manager, settings):
    fail_until_locked(client, settings, remote=ATTACKER)

    response = sign_in(client, RIGHT, remote=USER)

    assert response.status_code == 302


def test_direct_a_forged_forwarded_header_does_not_escape_the_lockout(client, manager, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", remote=ATTACKER, forwarded=f"192.0.2.{number}")

    assert sign_in(client, RIGHT, remote=ATTACKER, forwarded="192.0.2.99").status_code == 429


def test_behind_the_proxy_failures_from_elsewhere_do_not_lock_the_user_out(
    client, manager, settings
):
    settings.SIGN_IN_PROXY_COUNT = 1
    fail_until_locked(client, settings, remote=PROXY, forwarded=ATTACKER)
    # Claiming to be the user in the header does not help either.
    assert sign_in(client, RIGHT, remote=PROXY, forwarded=f"{USER}, {ATTACKER}").status_code == 429

    response = sign_in(client, RIGHT, remote=PROXY, forwarded=USER)

    assert response.status_code == 302


def test_one_address_failing_for_many_usernames_is_refused(client, manager, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 6
    for number in range(6):
        UserFactory.create(username=f"user{number}")
        sign_in(client, "wrong", remote=ATTACKER, username=f"user{number}")

    refused = sign_in(client, RIGHT, remote=ATTACKER)

    assert refused.status_code == 429
    assert b"Too many sign-ins failed from your network" in refused.content
    assert sign_in(client, RIGHT, remote=USER).status_code == 302
