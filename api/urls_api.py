"""The API's URLs: django-ninja's, open to LoginRequiredMiddleware (the token is the
credential; the schema and the docs need none), and a JSON 404 for any other /api/ path."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext as _

from .api import api
from .endpoints import router


def _open(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return patterns


@login_not_required
def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return JsonResponse({"detail": _("Not found."), "errors": []}, status=404)


api.add_router("/", router)
_patterns, _app_name, _namespace = api.urls
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", include((_open(_patterns), _app_name), namespace=_namespace)),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
]
