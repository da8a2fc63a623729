"""What came of a gesture: the one-click answer (dashboard and contact page) and the team
lead's CSV of a month's outcomes.

The answer is a POST with the outcome as the button pressed. With HTMX it answers the
gesture's outcome block for an outerHTML swap (errors in it, what was typed kept); without
JavaScript it redirects back, the result as a message.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from contacts.permissions import get_changeable_or_404
from relcrm.http import AuthedRequest

from ..models import Gesture
from ..outcomes import (
    OUTCOMES_CSV_HEADER,
    OutcomeRefused,
    gesture_outcome_record,
    month_outcome_records,
)
from .dashboard import _next_url
from .team import _chosen_team, _csv_text, _month_param, _require_lead

OUTCOME_TEMPLATE = "gestures/_gesture_outcome.html"


@require_POST
def outcome_record(request: AuthedRequest, pk: int) -> HttpResponse:
    # The owner, the team lead and admins; anyone else (a colleague too) gets a 404.
    gesture = get_changeable_or_404(
        Gesture.objects.select_related("contact").filter(contact__archived=False),
        request.user,
        pk=pk,
    )
    errors: list[str] = []
    try:
        outcome = gesture_outcome_record(
            gesture=gesture,
            by=request.user,
            result=request.POST.get("result", ""),
            note=request.POST.get("note", ""),
        )
    except OutcomeRefused as refused:
        errors = [str(message) for message in refused.messages]
    if not request.htmx:
        if errors:
            for error in errors:
                messages.error(request, error)
        else:
            messages.success(
                request,
                _("Recorded what came of it: %(outcome)s (%(name)s).")
                % {"outcome": outcome.get_result_display(), "name": gesture.contact.full_name},
            )
        return HttpResponseRedirect(_next_url(request))
    gesture = Gesture.objects.select_related("contact", "outcome__recorded_by").get(pk=pk)
    return render(
        request,
        OUTCOME_TEMPLATE,
        {
            "gesture": gesture,
            "editable": True,
            "next": _next_url(request),
            "errors": errors,
            "data": request.POST if errors else {},
            "just_recorded": not errors,
        },
    )


@require_GET
def team_outcomes_csv(request: AuthedRequest) -> HttpResponse:
    """The month's outcomes of the team, one row each (team leads and admins)."""
    _require_lead(request.user)
    team = _chosen_team(request, all_allowed=False)
    month, _month_ok = _month_param(request.GET.get("month", ""), today=timezone.localdate())
    name = f"gesture-outcomes-{month:%Y-%m}" + (f"-{slugify(team.name)}" if team else "")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(OUTCOMES_CSV_HEADER)
    if team is not None:
        for row in month_outcome_records(team=team, month=month):
            writer.writerow([_csv_text(cell) for cell in row])
    return response
