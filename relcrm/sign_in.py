"""Signing in: the client's real address, the per-address limit, and the sign-in view.

django-axes locks a username for one address after repeated failures, so someone guessing
from elsewhere cannot lock a user out. That needs the client's own address: behind
`SIGN_IN_PROXY_COUNT` trusted proxies it is the one the outermost proxy appended to
X-Forwarded-For; addresses further left were written by the client and are ignored. With no
proxy the header is ignored entirely (anyone could send it).

Across usernames, one address may fail at most `SIGN_IN_ADDRESS_FAILURE_LIMIT` times within
the cool-off time before its sign-ins are refused: a guesser cannot try one password
against every user.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address of the client, as the configured proxies saw it (axes' callable)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.SIGN_IN_PROXY_COUNT
    if proxies <= 0:
        return _address(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    chain = [part.strip() for part in forwarded if part.strip()] + [remote]
    # Each proxy appends the address it received from; the client's is `proxies` from the
    # right (the last entry is the proxy next to us, REMOTE_ADDR).
    if len(chain) <= proxies:
        return _address(remote)
    return _address(chain[-(proxies + 1)]) or _address(remote)


def address_failures(address: str | None) -> int:
    """Failed sign-ins from `address` within the cool-off time, for any username."""
    if address is None:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


def address_locked(request: HttpRequest) -> bool:
    return address_failures(client_address(request)) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if address_locked(request):
            return render(
                request, "registration/locked_out.html", {"address_locked": True}, status=429
            )
        return super().post(request, *args, **kwargs)
