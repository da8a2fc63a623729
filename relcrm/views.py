"""Pages and endpoints of the installation as a whole: home, health, language, two-factor
sign-in."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts.models import User
from contacts.services import user_set_language
from gestures.views.dashboard import dashboard
from gestures.views.team import lead_home

from . import two_factor
from .health import HeartbeatStatus, broker_problem, database_problem, heartbeat_status
from .http import AuthedRequest


def home(request: AuthedRequest) -> HttpResponse:
    """A home per role: an account manager's day starts with their gestures (and the week's
    dates of their contacts), a team lead's with what waits for her decision."""
    user = request.user
    if user.is_team_lead or user.is_admin:
        return lead_home(request)
    return dashboard(request)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Reachability of the database and the broker, and the age of the worker heartbeat."""
    db_problem = database_problem()
    mq_problem = broker_problem(timeout=settings.HEALTHZ_BROKER_TIMEOUT)
    if db_problem is None:
        heartbeat = heartbeat_status(now=timezone.now(), max_age=settings.HEARTBEAT_MAX_AGE)
    else:
        heartbeat = HeartbeatStatus(None, None, "worker heartbeat unknown without the database")
    checks = {
        "database": {"ok": db_problem is None},
        "broker": {"ok": mq_problem is None},
        "worker_heartbeat": heartbeat.as_json(),
    }
    problems = [p for p in (db_problem, mq_problem, heartbeat.problem) if p]
    return JsonResponse(
        {"status": "ok" if not problems else "unhealthy", "checks": checks, "problems": problems},
        status=200 if not problems else 503,
    )


@login_not_required
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the UI language; a signed-in user keeps the choice on their account."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    if isinstance(request.user, User):
        user_set_language(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=True,
    )
    return response


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator, or a recovery code."""
    next_url = _safe_next(request)
    if not two_factor.two_factor_enabled(request.user):
        return HttpResponseRedirect(next_url)
    error = ""
    if request.method == "POST":
        if two_factor.code_check(request=request, code=request.POST.get("code", "")[:20]):
            return HttpResponseRedirect(next_url)
        error = _("That code is not right. Try the current one, or a recovery code.")
    return render(request, "relcrm/two_factor_verify.html", {"error": error, "next": next_url})


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthedRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, confirm with a code, keep the recovery codes), get
    new recovery codes, or turn it off where it is not required."""
    user = request.user
    enabled = two_factor.two_factor_enabled(user)
    context: dict[str, object] = {
        "enabled": enabled,
        "required": two_factor.two_factor_required(user),
        "next": _safe_next(request),
    }
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if enabled and not user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(reverse("two_factor_verify"))
    if enabled and action == "recovery_codes":
        context["codes"] = two_factor.recovery_codes_replace(user=user)
    elif enabled and action == "disable" and not context["required"]:
        two_factor.two_factor_disable(user=user)
        messages.success(request, _("Two-factor sign-in is off."))
        return HttpResponseRedirect(reverse("two_factor_setup"))
    elif not enabled:
        device = two_factor.authenticator_for_setup(user=user)
        if action == "confirm":
            codes = two_factor.authenticator_confirm(
                request=request, device=device, code=request.POST.get("code", "")[:20]
            )
            if codes:
                context.update(enabled=True, codes=codes)
                return render(request, "relcrm/two_factor_setup.html", context)
            context["error"] = _(
                "That code is not right. Check the time on your phone and try again."
            )
        context.update(
            qr_svg=two_factor.authenticator_qr_svg(device),
            secret=two_factor.authenticator_secret(device),
        )
    return render(request, "relcrm/two_factor_setup.html", context)


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("home")
