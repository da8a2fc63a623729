"""The REST API at /api/v1/: personal-token auth, a rate limit per token, JSON errors.

Every endpoint reads and writes through the same selectors, permission checks and
services as the pages, so a decision made here is recorded exactly as in the UI.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle
from pydantic import Field

from contacts.models import User

from .models import ApiToken
from .services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_authenticate(token)
        if api_token is not None:
            request.user = api_token.user
            # Messages and explanations in the token owner's language.
            translation.activate(api_token.user.language)
            request.LANGUAGE_CODE = api_token.user.language
        return api_token


class TokenRateThrottle(AuthRateThrottle):
    """`RELCRM_API_RATE_LIMIT` requests per token (Django's cache keeps the count)."""

    def __init__(self) -> None:
        super().__init__(settings.RELCRM_API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read the setting on each request, so that a changed limit applies at once.
        self.rate = settings.RELCRM_API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class Pagination(PageNumberPagination):
    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=200)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=50, max_page_size=200, **kwargs)


api = NinjaAPI(
    title="relcrm API",
    version="1",
    description=(
        "Contacts, observations, facts, suggestions, gestures, the gift catalog and the "
        "gift ledger. Authenticate with a personal token: `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    auth=BearerToken(),
    throttle=[TokenRateThrottle()],
)


def error_response(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value).encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


@api.exception_handler(ValidationError)
def on_invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": _json_safe(list(error.get("loc", ()))), "msg": _json_safe(error.get("msg", ""))}
        for error in exc.errors
    ]
    return error_response(request, 422, _("The request is not valid."), errors)


@api.exception_handler(DjangoValidationError)
def on_refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    # A rule of the domain said no (a service, a model's full_clean).
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": [field], "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = []
    status = 409 if getattr(exc, "code", None) == "transition" else 422
    return error_response(request, status, " ".join(exc.messages), errors)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, _("Not found."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(
        request, 401, _("Send a valid API token: Authorization: Bearer <token>.")
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 429:
        return error_response(request, 429, _("Too many requests with this token; slow down."))
    return error_response(request, exc.status_code, str(exc))


def user_of(request: HttpRequest) -> User:
    auth: ApiToken = request.auth  # type: ignore[attr-defined]
    return auth.user


# Every endpoint documents the errors it can answer with, in one shape.
ERRORS = frozenset({401, 404, 422, 429})
