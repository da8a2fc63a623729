"""The personal calendar feed: the page to create and revoke it, and the feed itself.

The feed answers without a login (calendar apps cannot sign in): its unguessable token is
the credential. The token is part of the path, which relcrm.log_filters keeps out of the
logs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe

from relcrm.http import AuthedRequest

from ..calendar import (
    IMPORTANT_DATES_DAYS,
    calendar_feed_create,
    calendar_feed_for_token,
    calendar_feed_revoke,
    calendar_for_user,
)
from ..models import CalendarFeed

PAGE = "gestures/calendar.html"


def _feed_context(request: HttpRequest, feed: CalendarFeed | None) -> dict[str, object]:
    if feed is None:
        return {"feed": None}
    https_url = request.build_absolute_uri(reverse("calendar_feed_ics", args=[feed.token]))
    # webcal:// opens the calendar app's "subscribe" dialog on most systems.
    webcal_url = "webcal://" + https_url.split("://", 1)[1]
    return {"feed": feed, "feed_url": https_url, "webcal_url": webcal_url}


def _own_feed(request: AuthedRequest) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=request.user).first()


def _after_change(request: AuthedRequest, feed: CalendarFeed | None) -> HttpResponse:
    if request.htmx:
        return render(request, PAGE + "#feed", _feed_context(request, feed))
    return redirect("calendar_feed")


@require_GET
def calendar_page(request: AuthedRequest) -> HttpResponse:
    context = _feed_context(request, _own_feed(request))
    return render(request, PAGE, {**context, "days": IMPORTANT_DATES_DAYS})


@require_POST
def calendar_feed_create_view(request: AuthedRequest) -> HttpResponse:
    feed = calendar_feed_create(user=request.user)
    messages.success(request, _("Your calendar feed is ready. Subscribe to it in your calendar."))
    return _after_change(request, feed)


@require_POST
def calendar_feed_revoke_view(request: AuthedRequest) -> HttpResponse:
    feed = calendar_feed_revoke(user=request.user)
    if feed is None:
        messages.info(request, _("You have no calendar feed yet."))
    else:
        messages.success(
            request,
            _(
                "The old feed address no longer works. Subscribe to the new one in your "
                "calendar (and remove the old subscription)."
            ),
        )
    return _after_change(request, feed)


@login_not_required
@csrf_exempt  # it changes nothing: a POST is refused as not allowed, not as forged
@require_safe
def calendar_feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    # The token is in the path; relcrm.log_filters keeps it out of the request logs.
    feed = calendar_feed_for_token(token=token)
    if feed is None:
        return HttpResponseNotFound(
            _("No calendar feed at this address."), content_type="text/plain; charset=utf-8"
        )
    body = calendar_for_user(user=feed.user, today=timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="relcrm.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    return response
