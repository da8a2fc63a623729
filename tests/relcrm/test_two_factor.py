"""Two-factor sign-in: optional, required for admins and team leads when configured, with
recovery codes, and in front of the Django admin too."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    """Codes follow the clock, and a wrong code makes the next try wait a moment."""
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


PASSWORD = "correct horse battery staple"
SETUP = reverse("two_factor_setup")
VERIFY = reverse("two_factor_verify")


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def current_code(device):
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def turn_on(client, user, clock):
    """Set up an authenticator through the pages; returns the device and recovery codes."""
    page = client.get(SETUP)
    assert b"<svg" in page.content
    assert re.search(rb"<code>([A-Z2-7]{4} ?)+</code>", page.content)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(SETUP, {"action": "confirm", "code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    clock.shift(dt.timedelta(seconds=31))
    confirmed = client.post(SETUP, {"action": "confirm", "code": current_code(device)})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", confirmed.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def test_without_two_factor_the_password_is_enough(client, manager):
    sign_in(client, manager)

    assert client.get(reverse("contact_list")).status_code == 200


def test_once_on_every_page_asks_for_the_code_after_the_password(client, manager, clock):
    sign_in(client, manager)
    device, _codes = turn_on(client, manager, clock)
    client.post(reverse("logout"))

    sign_in(client, manager)
    gated = client.get(reverse("contact_list"))
    assert gated.status_code == 302
    assert gated["Location"] == f"{VERIFY}?next=%2Fcontacts%2F"
    refused = client.post(VERIFY, {"code": "123456", "next": "/contacts/"})
    assert "That code is not right" in refused.content.decode()
    assert client.get(reverse("contact_list")).status_code == 302
    clock.shift(dt.timedelta(seconds=31))

    accepted = client.post(VERIFY, {"code": current_code(device), "next": "/contacts/"})
    assert accepted["Location"] == "/contacts/"
    assert client.get(reverse("contact_list")).status_code == 200


def test_a_recovery_code_signs_in_once(client, manager, clock):
    sign_in(client, manager)
    _device, codes = turn_on(client, manager, clock)
    for attempt in range(2):
        clock.shift(dt.timedelta(seconds=31))
        client.post(reverse("logout"))
        sign_in(client, manager)
        response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/"})
        if attempt == 0:
            assert response["Location"] == "/"
        else:
            assert response.status_code == 200
            assert "That code is not right" in response.content.decode()
    assert StaticToken.objects.filter(device__user=manager).count() == 9


def test_an_optional_second_factor_can_be_turned_off(client, manager, clock):
    sign_in(client, manager)
    turn_on(client, manager, clock)

    client.post(SETUP, {"action": "disable"})

    assert not TOTPDevice.objects.filter(user=manager).exists()


def test_the_admin_is_behind_it_too(client, admin_user, clock):
    sign_in(client, admin_user)
    turn_on(client, admin_user, clock)
    client.post(reverse("logout"))

    client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


@pytest.mark.parametrize("role", ["lead", "admin_user"])
def test_when_required_leads_and_admins_set_it_up_first(client, settings, request, role, clock):
    settings.RELCRM_TWO_FACTOR_REQUIRED = True
    user = request.getfixturevalue(role)
    sign_in(client, user)

    for path in ("/", "/contacts/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP), path
    page = client.get(SETUP).content.decode()
    assert "Your role needs two-factor sign-in" in page
    turn_on(client, user, clock)
    assert client.get("/contacts/").status_code == 200
    # Required: it cannot be turned off.
    client.post(SETUP, {"action": "disable"})
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_when_required_account_managers_may_still_go_without(client, settings, manager):
    settings.RELCRM_TWO_FACTOR_REQUIRED = True
    sign_in(client, manager)

    assert client.get(reverse("contact_list")).status_code == 200
