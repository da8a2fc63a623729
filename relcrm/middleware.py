"""Request plumbing: the user's own UI language, flash messages inside HTMX swaps,
requests refused at the edge for characters no field may hold, a notice when the broker
did not take a task at once, and a database that does not answer in time as a 503."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation

from . import outbox
from .validation import first_text_problem, text_problem

# PostgreSQL's lock_not_available and query_canceled: lock_timeout, statement_timeout.
_TIMEOUT_SQLSTATES = {"55P03", "57014"}


class UserLanguageMiddleware:
    """A signed-in user sees relcrm in the language kept on their account.

    LocaleMiddleware has already picked one from the cookie or the browser; for a known
    user their saved choice wins, so the UI follows them from device to device.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", None) if user and user.is_authenticated else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class HtmxMessagesMiddleware:
    """Deliver pending flash messages with an HTMX response as an out-of-band swap.

    A full page renders them in `_base.html`; a partial has no such place, so the
    messages ride along and htmx swaps them into `#messages`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or request.htmx.boosted:  # type: ignore[attr-defined]
            return response
        if response.streaming or "HX-Redirect" in response or "HX-Location" in response:
            return response
        if 300 <= response.status_code < 400:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        storage = get_messages(request)
        if not len(storage):
            return response
        response.write(
            render_to_string("_messages.html", {"messages": storage, "oob": True}, request)
        )
        return response


class RejectInvalidInputMiddleware:
    """A request whose path, query or form data holds a NUL byte or a lone surrogate is
    answered 400 with the reason, before any view or query sees it.

    Forms refuse such values with a message of their own; this covers the query parameters
    and raw form values read outside a form, which would otherwise reach the database.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = text_problem(request.path) or first_text_problem(request.GET)
        if problem is None and request.method == "POST":
            problem = first_text_problem(request.POST)
        if problem is not None:
            return render(request, "400.html", {"reason": problem}, status=400)
        return self.get_response(request)


class OutboxNoticeMiddleware:
    """Tell the user when a task their write asked for waits for the broker: the write is
    saved, its effect (a rescan, say) follows once the outbox sweep has sent it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        outbox.request_notices_reset()
        response = self.get_response(request)
        notices = outbox.request_notices()
        outbox.request_notices_reset()
        user = getattr(request, "user", None)
        if notices and user is not None and user.is_authenticated and hasattr(request, "_messages"):
            for notice in notices:
                messages.info(request, str(notice))
        return response


class DatabaseTimeoutMiddleware:
    """A statement or lock wait the database cut short (statement_timeout, lock_timeout for
    web requests, relcrm.db) is a 503 page saying so, not a 500: the request's transaction
    was rolled back, nothing was saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        cause = exception.__cause__
        if getattr(cause, "sqlstate", None) not in _TIMEOUT_SQLSTATES:
            return None
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "5"
        return response
