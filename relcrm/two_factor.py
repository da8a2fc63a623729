"""Two-factor sign-in with TOTP (django-otp): enrolment, recovery codes, and the gate.

Optional for everyone; with RELCRM_TWO_FACTOR_REQUIRED admins and team leads must set it up
before they see anything. Whoever has it set up gives a code after the password, on every
page including the Django admin, until the session is verified. What a session still needs
is decided once, when it signs in, and kept in the session, so pages pay no query for it.
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts.models import User

SESSION_KEY = "relcrm_two_factor"
VERIFY, SET_UP = "verify", "set_up"
RECOVERY_CODES = 10
AUTHENTICATOR, RECOVERY = "authenticator", "recovery"


def two_factor_required(user: User) -> bool:
    return settings.RELCRM_TWO_FACTOR_REQUIRED and (user.is_admin or user.is_team_lead)


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_pending(user: User) -> str:
    """What a new session of `user` must do first: verify a code, set it up, or nothing."""
    if two_factor_enabled(user):
        return VERIFY
    return SET_UP if two_factor_required(user) else ""


@receiver(user_logged_in)
def _remember_what_the_session_needs(
    sender: Any, request: HttpRequest | None, user: User, **_: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = two_factor_pending(user)


def authenticator_for_setup(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (a new secret until confirmed with a code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=AUTHENTICATOR).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def authenticator_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code, made here: the secret goes nowhere."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2))


def authenticator_secret(device: TOTPDevice) -> str:
    """The secret for typing into an authenticator, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def recovery_codes_replace(*, user: User) -> list[str]:
    """New one-time recovery codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def authenticator_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """Turn two-factor sign-in on with a first correct code; returns the recovery codes
    (empty when the code was wrong)."""
    if not device.verify_token(code.replace(" ", "")):
        return []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    codes = recovery_codes_replace(user=device.user)
    session_verify(request, device)
    return codes


def session_verify(request: HttpRequest, device: Any) -> None:
    otp_login(request, device)
    request.session[SESSION_KEY] = ""


def code_check(*, request: HttpRequest, code: str) -> bool:
    """A code from the authenticator or an unused recovery code verifies the session."""
    # Authenticator codes are digits, recovery codes lower-case letters and digits; both
    # devices throttle repeated failures.
    device = match_token(request.user, code.replace(" ", "").replace("-", "").lower())
    if device is None:
        return False
    session_verify(request, device)
    return True


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# Pages a session that still owes its second factor may open.
_OPEN = ("two_factor_verify", "two_factor_setup", "logout", "language_switch", "healthz")


class TwoFactorMiddleware:
    """Until the session's second factor is given (or set up, where required), every page
    but the two-factor ones and signing out redirects there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            pending = request.session.get(SESSION_KEY, "")
            if pending and not user.is_verified():  # type: ignore[attr-defined]
                return self._gate(request, pending) or self.get_response(request)
        return self.get_response(request)

    def _gate(self, request: HttpRequest, pending: str) -> HttpResponse | None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        if match is not None and match.url_name in _OPEN:
            return None
        if request.path_info.startswith(f"/{settings.STATIC_URL.strip('/')}/"):
            return None
        target = "two_factor_verify" if pending == VERIFY else "two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
