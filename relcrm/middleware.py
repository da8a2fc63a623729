"""Request plumbing: the user's own UI language, flash messages inside HTMX swaps, and
requests refused at the edge for characters no field may hold."""

from collections.abc import Callable

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation

from .validation import first_text_problem, text_problem


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
