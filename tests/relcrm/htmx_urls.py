"""A URLconf with one HTMX-style view, for testing how flash messages reach partials."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def save_row(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Saved <b>row</b>")
    return HttpResponse('<tr id="row-1"><td>row</td></tr>')


urlpatterns = [
    path("test/save-row/", save_row, name="test_save_row"),
    path("", include("relcrm.urls")),
]
