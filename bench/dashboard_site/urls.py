"""relcrm's URLs and a signed-in "hello" view: the floor bench/dashboard.py measures the
dashboard against (the same middleware, session and user lookup, no page)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


@login_required
def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), path("", include("relcrm.urls"))]
