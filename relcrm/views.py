"""Pages and endpoints of the installation as a whole: home, health, language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from contacts.models import User
from contacts.services import user_set_language
from gestures.views.dashboard import dashboard

from .health import HeartbeatStatus, broker_problem, database_problem, heartbeat_status
from .http import AuthedRequest


def home(request: AuthedRequest) -> HttpResponse:
    # An account manager's day starts with their gestures (the page itself, at "/").
    if request.user.role == User.Role.ACCOUNT_MANAGER:
        return dashboard(request)
    return render(request, "relcrm/home.html")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Reachability of the database and the broker, and the age of the worker heartbeat."""
    db_problem = database_problem()
    mq_problem = broker_problem()
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
