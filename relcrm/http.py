"""Request types for views that only run for signed-in users (LoginRequiredMiddleware)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from contacts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
