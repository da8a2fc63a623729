"""The page where a person creates and revokes their personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from relcrm.http import AuthedRequest

from .models import ApiToken
from .services import api_token_create, api_token_revoke

PAGE = "api/tokens.html"


def _page(request: AuthedRequest, **extra: object) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(request, PAGE, {"tokens": tokens, **extra})


@require_GET
def api_tokens(request: AuthedRequest) -> HttpResponse:
    return _page(request)


@require_POST
def api_token_create_view(request: AuthedRequest) -> HttpResponse:
    name = request.POST.get("name", "").replace("\x00", "")[:100]
    try:
        token, raw = api_token_create(user=request.user, name=name)
    except ValidationError as error:
        return _page(request, error=" ".join(error.messages), name=name)
    # Rendered, not redirected: this answer is the only place the token is ever shown.
    response = _page(request, new_token=token, new_raw=raw)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def api_token_revoke_view(request: AuthedRequest, pk: int) -> HttpResponse:
    # Only the user's own tokens: anyone else's is a 404.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
