"""The team lead's pages: the lead's home (the approval queue, what is due this week, who is
out of touch, the month's figures), the team overview, the complete lists behind them, and
the gift ledger (with its CSV export for accounting). Team leads see their own team, admins
every team."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from contacts.models import Team, User
from contacts.permissions import get_visible_or_404, scope_to_user
from relcrm.http import AuthedRequest
from relcrm.validation import id_param, single_line

from ..models import Gesture, Suggestion
from ..outcomes import month_outcomes
from ..reports import (
    UPCOMING_DAYS,
    RecipientTotal,
    approval_queue,
    approval_rows,
    approvals_waiting,
    contacts_out_of_touch,
    due_until,
    gift_year_total,
    ledger_gifts,
    ledger_recipients,
    ledger_years,
    month_chart,
    month_overview,
    out_of_touch_rows,
    team_due,
    team_due_rows,
    team_out_of_touch,
    teams_for_lead_pages,
    upcoming_by_member,
)
from ..selectors import WEEK_DAYS, price_display, team_attention
from ..services import SuggestionTransitionError, suggestion_approve, suggestion_reject

GIFTS_PER_PAGE = 50
ROWS_PER_PAGE = 50
# On the lead's home: what is due within a week, a few rows per member, the rest one click on.
HOME_DAYS = WEEK_DAYS
HOME_ROWS_PER_MEMBER = 5
# The windows of the complete list of what is due: the home's week, the overview's month.
DUE_WINDOWS = (HOME_DAYS, UPCOMING_DAYS)
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
REJECT_REASON_MAX = 500


def _require_lead(user: User) -> None:
    """Team pages are for team leads and admins; an account manager is refused (403)."""
    if not (user.is_team_lead or user.is_admin):
        raise PermissionDenied


def _chosen_team(request: AuthedRequest, *, all_allowed: bool) -> Team | None:
    """The team asked for (`?team=`), else the viewer's own; for an admin without a team the
    first one, or None ("all teams") where `all_allowed`. Another team is a 404."""
    user = request.user
    team_id = id_param(request.GET, "team")
    if team_id is not None:
        return get_visible_or_404(Team.objects.select_related("lead"), user, pk=team_id)
    if user.is_admin:
        return None if all_allowed else teams_for_lead_pages(user=user).first()
    if user.team_id is None:
        return None
    return Team.objects.select_related("lead").filter(pk=user.team_id).first()


def _month_param(value: str, *, today: dt.date) -> tuple[dt.date, bool]:
    """`YYYY-MM` as the month's first day, and whether the value was usable (empty counts
    as usable: it means this month)."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", value.strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if EARLIEST_YEAR <= year <= LATEST_YEAR and 1 <= month <= 12:
            return dt.date(year, month, 1), True
    return today.replace(day=1), not value.strip()


def _year_param(value: str, *, today: dt.date) -> tuple[int, bool]:
    value = value.strip()
    if re.fullmatch("[0-9]{4}", value) and EARLIEST_YEAR <= int(value) <= LATEST_YEAR:
        return int(value), True
    return today.year, not value


def _team_query(team: Team | None, **extra: Any) -> str:
    params = {"team": team.pk} if team is not None else {}
    params.update({key: value for key, value in extra.items() if value not in (None, "")})
    return urlencode(params)


# -- the team overview ------------------------------------------------------------------


def _month_context(
    team: Team, month: dt.date, *, in_links: Team | None, url_name: str = "team_overview"
) -> dict[str, Any]:
    overview = month_overview(team=team, month=month)
    outcomes = month_outcomes(team=team, month=month)
    return {
        "outcomes": outcomes,
        "outcome_tables": [
            (_("By occasion"), outcomes.by_occasion),
            (_("By kind"), outcomes.by_kind),
            (_("By tier"), outcomes.by_tier),
        ],
        "outcomes_query": _team_query(in_links, month=f"{month:%Y-%m}"),
        "overview": overview,
        "chart": month_chart(overview),
        "month_value": f"{month:%Y-%m}",
        "month_url": reverse(url_name),
        "previous_query": _team_query(in_links, month=f"{overview.previous_month:%Y-%m}"),
        "next_query": _team_query(in_links, month=f"{overview.next_month:%Y-%m}"),
    }


@require_GET
def team_overview(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _require_lead(user)
    today = timezone.localdate()
    language = request.LANGUAGE_CODE
    team = _chosen_team(request, all_allowed=False)
    month, month_ok = _month_param(request.GET.get("month", ""), today=today)
    # Links name the team only where there is a choice (admins); a lead has one team.
    in_links = team if user.is_admin else None
    context: dict[str, Any] = {
        "team": team,
        "teams": list(teams_for_lead_pages(user=user)) if user.is_admin else [],
        "today": today,
        "month_error": not month_ok,
        "team_query": _team_query(in_links),
    }
    if team is not None:
        context.update(_month_context(team, month, in_links=in_links))
    if request.htmx and request.htmx.target == "month-overview" and team is not None:
        return render(request, "gestures/team_overview.html#month", context)
    if team is not None:
        context.update(
            {
                "approvals": approval_queue(team=team, language=language, today=today),
                "upcoming": upcoming_by_member(team=team, today=today, language=language),
                "out_of_touch": contacts_out_of_touch(team=team, today=today),
                "attention": team_attention(team=team, today=today, language=language),
            }
        )
    return render(request, "gestures/team_overview.html", context)


def _member_param(request: AuthedRequest, team: Team) -> tuple[User | None, bool]:
    """The member asked for (`?member=`) among the team's people, and whether the value was
    usable; an unknown one shows everyone, with a notice."""
    member_id = id_param(request.GET, "member")
    if member_id is None:
        return None, not request.GET.get("member", "").strip()
    member = User.objects.filter(Q(team=team) | Q(owned_contacts__team=team), pk=member_id).first()
    return member, member is not None


@require_GET
def lead_home(request: AuthedRequest) -> HttpResponse:
    """A team lead's home ("/"): the approval queue first, decided right there; then what the
    team has due this week and who is out of touch (a few per member, each list complete one
    click on), and the month's figures."""
    user = request.user
    _require_lead(user)
    today = timezone.localdate()
    language = request.LANGUAGE_CODE
    team = _chosen_team(request, all_allowed=False)
    month, month_ok = _month_param(request.GET.get("month", ""), today=today)
    in_links = team if user.is_admin else None
    context: dict[str, Any] = {
        "team": team,
        "teams": list(teams_for_lead_pages(user=user)) if user.is_admin else [],
        "today": today,
        "month_error": not month_ok,
        "team_query": _team_query(in_links),
        "home_days": HOME_DAYS,
        "next": request.get_full_path(),
    }
    if team is not None:
        context.update(_month_context(team, month, in_links=in_links, url_name="home"))
    if request.htmx and request.htmx.target == "month-overview" and team is not None:
        return render(request, "gestures/team_overview.html#month", context)
    if team is not None:
        context.update(
            {
                "approvals": approval_queue(team=team, language=language, today=today),
                "due": upcoming_by_member(
                    team=team,
                    today=today,
                    language=language,
                    days=HOME_DAYS,
                    per_member=HOME_ROWS_PER_MEMBER,
                ),
                "out_of_touch": contacts_out_of_touch(
                    team=team, today=today, per_member=HOME_ROWS_PER_MEMBER
                ),
            }
        )
    return render(request, "gestures/lead_home.html", context)


def _list_context(request: AuthedRequest) -> tuple[Team | None, dict[str, Any]]:
    """What the complete lists share: the team, the member filter, the links' query."""
    user = request.user
    _require_lead(user)
    team = _chosen_team(request, all_allowed=False)
    context: dict[str, Any] = {
        "team": team,
        "teams": list(teams_for_lead_pages(user=user)) if user.is_admin else [],
        "today": timezone.localdate(),
        "member": None,
        "member_error": False,
        "members": [],
    }
    if team is not None:
        member, member_ok = _member_param(request, team)
        context.update(
            member=member,
            member_error=not member_ok,
            members=User.objects.filter(team=team, is_active=True).order_by(
                "last_name", "first_name", "username"
            ),
        )
    return team, context


def _page_query(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _list_template(request: AuthedRequest, template: str) -> str:
    # A history restore after hx-push-url needs the whole page again.
    if request.htmx and not (request.htmx.boosted or request.htmx.history_restore_request):
        return f"{template}#results"
    return template


@require_GET
def team_due_list(request: AuthedRequest) -> HttpResponse:
    """Everything the team has due within a week (`?days=30`: a month), of one member with
    `?member=`, page by page."""
    team, context = _list_context(request)
    days_value = request.GET.get("days", "").strip()
    days = int(days_value) if days_value in {str(d) for d in DUE_WINDOWS} else HOME_DAYS
    context.update(
        days=days,
        windows=DUE_WINDOWS,
        days_error=bool(days_value) and days_value not in {str(d) for d in DUE_WINDOWS},
        query=_page_query(request),
    )
    if team is not None:
        member = context["member"]
        page_obj = Paginator(
            team_due(
                team=team,
                until=due_until(today=context["today"], days=days),
                member_id=member.pk if member is not None else None,
            ),
            ROWS_PER_PAGE,
        ).get_page(request.GET.get("page"))
        context.update(
            page_obj=page_obj,
            rows=team_due_rows(page_obj, today=context["today"], language=request.LANGUAGE_CODE),
        )
    return render(request, _list_template(request, "gestures/team_due.html"), context)


@require_GET
def team_out_of_touch_list(request: AuthedRequest) -> HttpResponse:
    """Every contact of the team out of touch, of one member with `?member=`, page by page."""
    team, context = _list_context(request)
    context["query"] = _page_query(request)
    if team is not None:
        member = context["member"]
        page_obj = Paginator(
            team_out_of_touch(
                team=team,
                today=context["today"],
                member_id=member.pk if member is not None else None,
            ),
            ROWS_PER_PAGE,
        ).get_page(request.GET.get("page"))
        context.update(page_obj=page_obj, rows=out_of_touch_rows(page_obj, today=context["today"]))
    return render(request, _list_template(request, "gestures/team_out_of_touch.html"), context)


@require_GET
def approval_counter(request: AuthedRequest) -> HttpResponse:
    """The approval badge on a lead's home entry, refreshed after every decision."""
    return render(
        request,
        "gestures/_approval_counter.html",
        {"approval_count": approvals_waiting(user=request.user)},
    )


def _suggestion_for_decision(request: AuthedRequest, pk: int) -> Suggestion:
    """A suggestion of the viewer's team (any team for admins); others are a 404."""
    _require_lead(request.user)
    return get_visible_or_404(Suggestion.objects.select_related("contact"), request.user, pk=pk)


def _decision_response(
    request: AuthedRequest,
    suggestion: Suggestion,
    *,
    error: str = "",
    reason_text: str = "",
) -> HttpResponse:
    """The row again for HTMX (outerHTML swap), else back to the queue."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        next_url = request.POST.get("next", "")
        # Only a path of this site: anything else (another host, or text that is no
        # address at all) falls back to the queue.
        if next_url.startswith("/") and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(f"{next_url.split('#')[0]}#approvals")
        destination = reverse("team_overview")
        query = _team_query(suggestion.contact.team if request.user.is_admin else None)
        return redirect(f"{destination}?{query}#approvals" if query else f"{destination}#approvals")
    (row,) = approval_rows(
        Suggestion.objects.filter(pk=suggestion.pk),
        language=request.LANGUAGE_CODE,
        today=timezone.localdate(),
    )
    response = render(
        request,
        "gestures/team_overview.html#approval-row",
        {
            "row": row,
            "error": error,
            "reason_text": reason_text,
            "next": request.POST.get("next", ""),
        },
    )
    if not error:
        # The queue's heading counts what still waits, out of band (the row stays, decided).
        waiting = Suggestion.objects.filter(status=Suggestion.Status.AWAITING_APPROVAL)
        waiting = scope_to_user(waiting, request.user, team_field="contact__team")
        if request.user.is_admin:
            waiting = waiting.filter(contact__team_id=suggestion.contact.team_id)
        response.content += render_to_string(
            "gestures/team_overview.html#approvals-count",
            {"approvals_count": waiting.count()},
            request=request,
        ).encode()
        trigger_client_event(response, "suggestions-changed")
    return response


def _message_of(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


@require_POST
def approval_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion_for_decision(request, pk)
    try:
        suggestion_approve(suggestion=suggestion, by=request.user)
    except SuggestionTransitionError as error:
        return _decision_response(request, suggestion, error=_message_of(error))
    messages.success(
        request, _("Approved: the gift for %(name)s.") % {"name": suggestion.contact.full_name}
    )
    return _decision_response(request, suggestion)


@require_POST
def approval_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion_for_decision(request, pk)
    reason_text = request.POST.get("reason_text", "").strip()
    if len(reason_text) > REJECT_REASON_MAX:
        return _decision_response(
            request,
            suggestion,
            error=_("Keep the reason to %(max)s characters at most.") % {"max": REJECT_REASON_MAX},
            reason_text=reason_text,
        )
    try:
        suggestion_reject(suggestion=suggestion, by=request.user, reason_text=reason_text)
    except SuggestionTransitionError as error:
        return _decision_response(
            request, suggestion, error=_message_of(error), reason_text=reason_text
        )
    messages.success(
        request,
        _("Rejected: the gift for %(name)s. %(owner)s sees your reason.")
        % {
            "name": suggestion.contact.full_name,
            "owner": suggestion.contact.owner.display_name(),
        },
    )
    return _decision_response(request, suggestion)


# -- the gift ledger --------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    gesture: Gesture
    gift_name: str
    value: str
    recipient_total: str
    limit: str
    over_limit: bool
    # How far past the limit the recipient was once this gift was given ("" when within).
    over_by: str


@dataclass(frozen=True)
class RecipientLine:
    recipient: RecipientTotal
    total: str
    limit: str
    remaining: str
    over_by: str


def _ledger_rows(gifts: Any, *, language: str) -> list[LedgerRow]:
    rows = []
    for gesture in gifts:
        year_total = gift_year_total(gesture)
        item = gesture.gift_item
        rows.append(
            LedgerRow(
                gesture=gesture,
                gift_name=item.name_in(language) if item is not None else "",
                value=(
                    price_display(gesture.value_eur, language=language)
                    if gesture.value_eur is not None
                    else ""
                ),
                recipient_total=price_display(year_total.total_eur, language=language),
                limit=price_display(year_total.limit_eur, language=language),
                over_limit=year_total.over_limit,
                over_by=(
                    price_display(year_total.running_eur - year_total.limit_eur, language=language)
                    if year_total.over_limit
                    else ""
                ),
            )
        )
    return rows


@require_GET
def gift_ledger(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _require_lead(user)
    today = timezone.localdate()
    language = request.LANGUAGE_CODE
    team = _chosen_team(request, all_allowed=True)
    year, year_ok = _year_param(request.GET.get("year", ""), today=today)
    page_obj = Paginator(ledger_gifts(user=user, team=team, year=year), GIFTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    recipients = ledger_recipients(user=user, team=team, year=year)
    context = {
        "team": team,
        "teams": list(teams_for_lead_pages(user=user)) if user.is_admin else [],
        "year": year,
        "years": ledger_years(user=user, team=team, today=today, chosen=year),
        "year_error": not year_ok,
        "page_obj": page_obj,
        "rows": _ledger_rows(page_obj, language=language),
        "recipients": [
            RecipientLine(
                recipient=r,
                total=price_display(r.total_eur, language=language),
                limit=price_display(r.limit_eur, language=language),
                remaining=price_display(r.remaining_eur, language=language),
                over_by=price_display(r.overrun_eur, language=language) if r.over_limit else "",
            )
            for r in recipients
        ],
        "over_limit_count": sum(1 for r in recipients if r.over_limit),
        "query": _team_query(team, year=year),
    }
    template = "gestures/gift_ledger.html"
    if request.htmx and not (request.htmx.boosted or request.htmx.history_restore_request):
        template += "#results"
    return render(request, template, context)


# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: str) -> str:
    value = single_line(value)
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _csv_amount(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount.quantize(Decimal('0.01'))}"


# Column names are a stable interface for accounting imports, hence not translated.
LEDGER_CSV_HEADER = (
    "date",
    "recipient",
    "organization",
    "team",
    "gift",
    "value_eur",
    "given_by",
    "recipient_year_total_eur",
    "limit_eur",
    "over_limit",
)


@require_GET
def gift_ledger_csv(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _require_lead(user)
    team = _chosen_team(request, all_allowed=True)
    year, _year_ok = _year_param(request.GET.get("year", ""), today=timezone.localdate())
    name = f"gift-ledger-{year}" + (f"-{slugify(team.name)}" if team is not None else "")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(LEDGER_CSV_HEADER)
    for gesture in ledger_gifts(user=user, team=team, year=year).order_by("date", "pk"):
        contact = gesture.contact
        year_total = gift_year_total(gesture)
        item = gesture.gift_item
        writer.writerow(
            [
                gesture.date.isoformat(),
                _csv_text(contact.full_name),
                _csv_text(contact.organization.name if contact.organization else ""),
                _csv_text(contact.team.name),
                _csv_text(item.name if item is not None else gesture.note),
                _csv_amount(gesture.value_eur),
                _csv_text(gesture.by.display_name()),
                _csv_amount(year_total.total_eur),
                _csv_amount(year_total.limit_eur),
                "yes" if year_total.over_limit else "no",
            ]
        )
    return response
