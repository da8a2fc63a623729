"""Under /api/, every error is JSON: also those answered before the API's own handlers
(a wrong method, a body too large, a host check, and Django's answer to an unhandled
exception, which is logged as usual)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from relcrm.validation import first_text_problem, text_problem


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            # Text that cannot be stored is invalid input to the API: 422, like a bad body.
            problem = text_problem(request.path) or first_text_problem(request.GET)
            if problem is not None:
                return JsonResponse({"detail": str(problem), "errors": []}, status=422)
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        detail = {
            405: _("This method is not allowed here."),
            413: _("The request is too large."),
        }.get(status, response.reason_phrase)
        replaced = JsonResponse({"detail": detail, "errors": []}, status=status)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                replaced[header] = response[header]
        return replaced
