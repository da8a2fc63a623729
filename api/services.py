"""Writes and the one lookup for personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import User

from .models import ApiToken

TOKEN_PREFIX = "rcrm_"  # noqa: S105 (a marker, not a secret)
# last_used_at is a date for people, not an audit log: one write a minute per token at most.
LAST_USED_PRECISION = timedelta(minutes=1)


def api_token_digest(raw: str) -> str:
    # The token has 256 random bits, so a fast hash is enough (no salt, no stretching).
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`: the row, and the token itself, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, say what it is for.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw[: len(TOKEN_PREFIX) + 4], digest="")
    token.digest = api_token_digest(raw)
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token whose digest matches, its user active; records the use."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user__team")
        .filter(digest=api_token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
