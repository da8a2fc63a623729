"""Pages for a person's data: erasing it, exporting it and reviewing what was noted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from contacts.models import Contact, Observation
from contacts.permissions import get_changeable_or_404, get_visible_or_404
from contacts.selectors import tag_names
from relcrm.http import AuthedRequest

from .export import personal_data_archive
from .forms import ErasureForm
from .models import AccessLogEntry, RetentionSettings
from .retention import observations_due, review_due_count, review_rows, review_scope
from .services import (
    access_log_record,
    access_log_record_many,
    contact_erase,
    contact_privacy_notice_given,
    may_erase,
    may_export,
    may_review,
    observation_forget,
    observation_review_keep,
)


@require_http_methods(["GET", "POST"])
def contact_erase_view(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = get_visible_or_404(
        Contact.objects.filter(erased_at=None).select_related("organization"),
        request.user,
        pk=pk,
    )
    if not may_erase(request.user, contact):
        raise PermissionDenied
    form = ErasureForm(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = contact_erase(
                contact=contact, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(
                request,
                _("The person is erased. Their gifts stay in the ledger as %(pseudonym)s.")
                % {"pseudonym": erasure.pseudonym},
            )
            return redirect("contact_list")
    counts = {
        "observations": contact.observations.count(),
        "suggestions": contact.suggestions.count(),
        "gifts": contact.gestures.filter(kind="gift").count(),
    }
    return render(
        request, "privacy/contact_erase.html", {"contact": contact, "form": form, **counts}
    )


@require_GET
def contact_export_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The person's data as a zip: JSON and a readable summary in the viewer's language."""
    contact = get_visible_or_404(
        Contact.objects.filter(erased_at=None).select_related("organization", "owner"),
        request.user,
        pk=pk,
    )
    if not may_export(request.user, contact):
        raise PermissionDenied
    access_log_record(user=request.user, contact=contact, action=AccessLogEntry.Action.EXPORT)
    archive = personal_data_archive(contact=contact, language=request.user.language)
    name = slugify(f"personal-data-{contact.external_id or contact.pk}")
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    return response


@require_POST
def privacy_notice_given_view(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = get_changeable_or_404(Contact.objects.filter(erased_at=None), request.user, pk=pk)
    contact_privacy_notice_given(contact=contact, on=timezone.localdate())
    messages.success(request, _("Privacy notice noted as given today."))
    return redirect("contact_detail", pk=contact.pk)


# -- retention review -------------------------------------------------------------------

REVIEW_PAGE_SIZE = 50
REVIEW_TEMPLATE = "privacy/review.html"
REVIEW_CHANGED_EVENT = "review-changed"


@require_GET
def review(request: AuthedRequest) -> HttpResponse:
    """The observations of the viewer's contacts that are due for review, oldest first."""
    today = timezone.localdate()
    due = (
        observations_due(review_scope(request.user), today=today)
        .select_related("contact__organization", "contact__owner", "author")
        .prefetch_related("facts")
    )
    page = Paginator(due, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = review_rows(page, today=today)
    # Reading Art. 9 notes is recorded, as on the contact page.
    access_log_record_many(
        user=request.user,
        contacts=[row.observation.contact for row in rows if row.sensitive],
        action=AccessLogEntry.Action.VIEW,
    )
    settings = RetentionSettings.current()
    return render(
        request,
        REVIEW_TEMPLATE,
        {
            "page_obj": page,
            "rows": rows,
            "settings": settings,
            "review_due": page.paginator.count,
            "tag_names": tag_names(language=request.LANGUAGE_CODE),
        },
    )


@require_GET
def review_counter(request: AuthedRequest) -> HttpResponse:
    """The badge next to "Review" in the navigation, loaded after the page."""
    count = review_due_count(user=request.user, today=timezone.localdate())
    return render(request, "privacy/_review_counter.html", {"review_due": count})


def _reviewable(request: AuthedRequest, pk: int) -> Observation:
    """An observation the viewer reviews (their contact's; the team's for a lead), else a
    404, whether it exists or not."""
    observation = get_visible_or_404(
        Observation.objects.select_related("contact").filter(contact__erased_at=None),
        request.user,
        pk=pk,
    )
    if not may_review(request.user, observation):
        raise Http404
    return observation


def _reviewed(request: AuthedRequest, message: str) -> HttpResponse:
    if not request.htmx:
        messages.success(request, message)
        return redirect("review")
    response = render(request, f"{REVIEW_TEMPLATE}#reviewed-row", {"message": message})
    trigger_client_event(response, REVIEW_CHANGED_EVENT)
    return response


@require_POST
def observation_review_keep_view(request: AuthedRequest, pk: int) -> HttpResponse:
    observation = _reviewable(request, pk)
    observation_review_keep(observation=observation, by=request.user, today=timezone.localdate())
    return _reviewed(request, _("Kept: confirmed as still true today."))


@require_POST
def observation_review_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    observation = _reviewable(request, pk)
    observation_forget(observation=observation, by=request.user)
    return _reviewed(request, _("Deleted, with its facts and its history."))
