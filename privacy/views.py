"""Pages for a person's data: erasing it and exporting it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts.models import Contact
from contacts.permissions import get_changeable_or_404, get_visible_or_404
from relcrm.http import AuthedRequest

from .export import personal_data_archive
from .forms import ErasureForm
from .models import AccessLogEntry
from .services import (
    access_log_record,
    contact_erase,
    contact_privacy_notice_given,
    may_erase,
    may_export,
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
