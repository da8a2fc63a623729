"""My gestures: an account manager's open suggestions and the decisions taken on them.

Every action is a POST that calls one service. With HTMX it answers the suggestion's card
(for an outerHTML swap) with the page's counts as out-of-band swaps, and fires
`suggestions-changed` so the navigation counters of other pages refresh; without JavaScript
it redirects back to the dashboard, filters kept. A refused decision is a message, never an
error page: HTMX gets the card as it now is (status 200), so a stale card is corrected in
place. The forms of the rarer actions (done, other gift, snooze, dismiss) are loaded when
opened: a fragment for HTMX, a page of their own without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import push_url, trigger_client_event

from contacts.models import Contact
from contacts.permissions import get_changeable_or_404
from relcrm.http import AuthedRequest

from .. import services
from ..forms import (
    GESTURE_LOG_KINDS,
    DashboardFilterForm,
    DismissForm,
    DoneForm,
    DraftForm,
    GestureLogForm,
    SnoozeForm,
    SwapForm,
)
from ..models import Gesture, Suggestion
from ..outcomes import outcome_requests
from ..rules import format_date
from ..selectors import (
    DashboardFilters,
    contacts_owned,
    dashboard_counts,
    dashboard_rows,
    dashboard_suggestions,
    nav_counters,
    recently_closed,
    recently_rejected,
    suggestion_cards,
    suggestion_for_card,
    suggestions_for_cards,
)

# The most urgent first; a page small enough to answer fast and to read on a phone.
CARDS_PER_PAGE = 20
CHANGED_EVENT = "suggestions-changed"
TEMPLATE = "gestures/dashboard.html"
DRAFT_TEMPLATE = "gestures/_draft.html"


# The forms a card loads when one of these actions is opened.
ACTION_FORMS: tuple[str, ...] = ("confirm", "done", "swap", "snooze", "dismiss", "draft")


def _card_urls(request: AuthedRequest, next_url: str) -> dict[str, str]:
    """What every card's links and forms share, computed once per page rather than once per
    card: the suggestions' URL prefix (a card appends "<pk>/<action>/"), the `next` query of
    a link and the `next` field of a form. Back to the plain dashboard is where an action
    goes without one, so from there neither is written (20 cards, a few KB of the page)."""
    suggestions_url = reverse("suggestion_confirm", args=[0]).removesuffix("0/confirm/")
    if next_url == reverse("dashboard"):
        return {"suggestions_url": suggestions_url, "next_query": "", "next_field": ""}
    return {
        "suggestions_url": suggestions_url,
        "next_query": f"?{urlencode({'next': next_url})}",
        "next_field": format_html('<input type="hidden" name="next" value="{}">', next_url),
    }


def _dashboard_context(request: AuthedRequest) -> dict[str, Any]:
    today = timezone.localdate()
    now = timezone.now()
    language = request.LANGUAGE_CODE
    form = DashboardFilterForm(request.GET, contacts=contacts_owned(user=request.user))
    filters = form.filters()
    mine = dashboard_rows(user=request.user, today=today)
    suggestions = dashboard_suggestions(user=request.user, filters=filters, mine=mine)
    counters, groups = dashboard_counts(user=request.user, filters=filters, today=today, mine=mine)
    paginator = Paginator(suggestions.values_list("pk", flat=True), CARDS_PER_PAGE)
    # The groups already counted every row: no second COUNT for the pager.
    paginator.count = groups.overdue + groups.this_week + groups.later
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    next_url = request.get_full_path()
    return {
        "form": form,
        "page_obj": page_obj,
        "cards": suggestion_cards(
            suggestions=suggestions_for_cards(ids=list(page_obj)),
            language=language,
            today=today,
            viewer=request.user,
            now=now,
        ),
        "groups": groups,
        "nav_counters": counters,
        "rejected": recently_rejected(user=request.user, today=today),
        "recently_closed": recently_closed(user=request.user, now=now, language=language),
        "query": query.urlencode(),
        "is_filtered": filters != type(filters)(),
        "next": next_url,
        **_card_urls(request, next_url),
        "today": today,
        "outcome_requests": outcome_requests(user=request.user, today=today),
    }


@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    template = TEMPLATE
    # A history restore after hx-push-url needs the whole page again.
    if request.htmx and not (request.htmx.boosted or request.htmx.history_restore_request):
        template += "#results"
    return render(request, template, _dashboard_context(request))


@require_GET
def dashboard_counters(request: AuthedRequest) -> HttpResponse:
    counters = nav_counters(user=request.user, today=timezone.localdate())
    return render(request, "gestures/_nav_counters.html", {"nav_counters": counters})


# -- actions ------------------------------------------------------------------------------


def _next_url(request: AuthedRequest) -> str:
    next_url = request.POST.get("next", "") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("dashboard")


def _changeable_suggestion(request: AuthedRequest, pk: int) -> Suggestion:
    """The suggestion, if the user may decide on it (their contact; a team lead's team):
    else 404, whether it exists or not."""
    return get_changeable_or_404(
        Suggestion.objects.select_related("contact").filter(contact__archived=False),
        request.user,
        pk=pk,
    )


def _form_errors(form: forms.Form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def _filters_of(request: AuthedRequest, url: str) -> DashboardFilters:
    """The dashboard filters in `url` (the page an action came from), for its counts."""
    query = QueryDict(url.partition("?")[2])
    return DashboardFilterForm(query, contacts=contacts_owned(user=request.user)).filters()


def _card_context(
    request: AuthedRequest, pk: int, *, open_form: str = "", errors: list[str] | None = None
) -> dict[str, Any]:
    suggestion = suggestion_for_card(user=request.user, pk=pk)
    cards = (
        suggestion_cards(
            suggestions=[suggestion],
            language=request.LANGUAGE_CODE,
            today=timezone.localdate(),
            viewer=request.user,
        )
        if suggestion is not None
        else []
    )
    next_url = _next_url(request)
    return {
        "card": cards[0] if cards else None,
        "next": next_url,
        **_card_urls(request, next_url),
        "today": timezone.localdate(),
        "dismiss_reasons": Suggestion.DismissReason.choices,
        "open_form": open_form,
        "form_errors": errors or [],
    }


def _card_response(
    request: AuthedRequest,
    pk: int,
    *,
    changed: bool,
    open_form: str = "",
    errors: list[str] | None = None,
    data: object = None,
) -> HttpResponse:
    """HTMX: the card as it now is (a refused decision keeps its form open, with the
    errors and what was typed) and, after a change, the page's counts out of band;
    otherwise back to the dashboard."""
    if not request.htmx:
        return HttpResponseRedirect(_next_url(request))
    context = _card_context(request, pk, open_form=open_form, errors=errors)
    context["data"] = data or {}
    if changed:
        today = timezone.localdate()
        context["nav_counters"], context["groups"] = dashboard_counts(
            user=request.user,
            filters=_filters_of(request, context["next"]),
            today=today,
            mine=dashboard_rows(user=request.user, today=today),
        )
        context["recently_closed"] = recently_closed(
            user=request.user, now=timezone.now(), language=request.LANGUAGE_CODE
        )
        context["live_counts"] = True
    response = render(request, f"{TEMPLATE}#suggestion-card", context)
    if changed:
        trigger_client_event(response, CHANGED_EVENT)
    return response


def _decide(
    request: AuthedRequest,
    pk: int,
    *,
    form_class: type[forms.Form] | None,
    name: str,
    decision: Callable[[Suggestion, dict[str, Any]], str],
) -> HttpResponse:
    """Validate the form, take the decision, and answer with the card or a redirect."""
    suggestion = _changeable_suggestion(request, pk)
    form = form_class(request.POST) if form_class is not None else None
    if form is not None and not form.is_valid():
        return _refused(request, pk, open_form=name, errors=_form_errors(form))
    try:
        done = decision(suggestion, form.cleaned_data if form is not None else {})
    except services.SuggestionTransitionError as refused:
        return _refused(request, pk, open_form=name, errors=refused.messages)
    messages.success(request, done)
    return _card_response(request, pk, changed=True)


def _refused(request: AuthedRequest, pk: int, *, open_form: str, errors: list[str]) -> HttpResponse:
    for error in errors:
        messages.error(request, error)
    return _card_response(
        request, pk, changed=False, open_form=open_form, errors=errors, data=request.POST
    )


def _who(suggestion: Suggestion) -> str:
    return suggestion.contact.full_name


@require_POST
def suggestion_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    def confirm(suggestion: Suggestion, _data: dict[str, Any]) -> str:
        result = services.suggestion_confirm(suggestion=suggestion, by=request.user)
        if result.status == Suggestion.Status.AWAITING_APPROVAL:
            return _("Sent to your team lead for approval: %(name)s.") % {"name": _who(result)}
        return _("Confirmed; it is on your to-do list: %(name)s.") % {"name": _who(result)}

    return _decide(request, pk, form_class=None, name="confirm", decision=confirm)


@require_POST
def suggestion_dismiss(request: AuthedRequest, pk: int) -> HttpResponse:
    def dismiss(suggestion: Suggestion, data: dict[str, Any]) -> str:
        result = services.suggestion_dismiss(
            suggestion=suggestion,
            by=request.user,
            reason=data["reason"],
            reason_text=data["reason_text"],
        )
        return _("Dismissed; it will not come back: %(name)s.") % {"name": _who(result)}

    return _decide(request, pk, form_class=DismissForm, name="dismiss", decision=dismiss)


@require_POST
def suggestion_snooze(request: AuthedRequest, pk: int) -> HttpResponse:
    suggestion = _changeable_suggestion(request, pk)
    form = SnoozeForm(request.POST)
    until = form.until_date(today=timezone.localdate())
    if until is None:
        return _refused(request, pk, open_form="snooze", errors=_form_errors(form))
    try:
        result = services.suggestion_snooze(suggestion=suggestion, by=request.user, until=until)
    except services.SuggestionTransitionError as refused:
        return _refused(request, pk, open_form="snooze", errors=refused.messages)
    messages.success(
        request,
        _("Snoozed; it comes back on %(date)s: %(name)s.")
        % {"date": format_date(until, request.LANGUAGE_CODE), "name": _who(result)},
    )
    return _card_response(request, pk, changed=True)


@require_POST
def suggestion_swap(request: AuthedRequest, pk: int) -> HttpResponse:
    def swap(suggestion: Suggestion, data: dict[str, Any]) -> str:
        item = data["gift_item"]
        result = services.suggestion_swap_gift(
            suggestion=suggestion, by=request.user, gift_item=item
        )
        if result.status == Suggestion.Status.PENDING and result.needs_approval:
            return _(
                "Gift changed to %(gift)s. It needs approval: confirm it to send it to your "
                "team lead."
            ) % {"gift": item.name_in(request.LANGUAGE_CODE)}
        return _("Gift changed to %(gift)s.") % {"gift": item.name_in(request.LANGUAGE_CODE)}

    return _decide(request, pk, form_class=SwapForm, name="swap", decision=swap)


@require_POST
def suggestion_done(request: AuthedRequest, pk: int) -> HttpResponse:
    def mark_done(suggestion: Suggestion, data: dict[str, Any]) -> str:
        gesture = services.suggestion_mark_done(
            suggestion=suggestion,
            by=request.user,
            date=data["date"],
            value_eur=data["value_eur"],
            note=data["note"],
        )
        return _("Done and recorded: %(gesture)s for %(name)s.") % {
            "gesture": gesture.get_kind_display(),
            "name": _who(suggestion),
        }

    return _decide(request, pk, form_class=DoneForm, name="done", decision=mark_done)


UNDONE_MESSAGES = {
    Suggestion.Status.PENDING: _("Undone; it is new again: %(name)s."),
    Suggestion.Status.CONFIRMED: _("Undone; it is on your to-do list again: %(name)s."),
    Suggestion.Status.APPROVED: _("Undone; it is approved and on your list again: %(name)s."),
    Suggestion.Status.SNOOZED: _("Undone; it is snoozed again: %(name)s."),
}


@require_POST
def suggestion_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take back one's own decision of the last minutes (confirm, dismiss, snooze, done)."""

    def undo(suggestion: Suggestion, _data: dict[str, Any]) -> str:
        result = services.suggestion_undo(suggestion=suggestion, by=request.user)
        message = UNDONE_MESSAGES.get(Suggestion.Status(result.status), _("Undone: %(name)s."))
        return str(message) % {"name": _who(result)}

    return _decide(request, pk, form_class=None, name="", decision=undo)


@require_GET
def suggestion_action_form(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """The form of a rarer action, loaded when it is opened: into the card with HTMX, as a
    page of its own (the card with the form) without JavaScript."""
    if action not in ACTION_FORMS:
        raise Http404
    suggestion = _changeable_suggestion(request, pk)
    if request.htmx and action == "draft":
        return render(
            request,
            DRAFT_TEMPLATE,
            {
                "s": suggestion,
                "next": _next_url(request),
                "draft_text": "",
                "draft_errors": [],
                "draft_open": True,
            },
        )
    context = _card_context(request, pk, open_form=action)
    context["data"] = {}
    if request.htmx:
        # The links are boosted (hx-boost: their href is the request); the form opens in the
        # card, the address stays the dashboard's.
        return push_url(render(request, f"{TEMPLATE}#action-form", context), False)
    return render(request, "gestures/suggestion_action.html", context)


@require_POST
def suggestion_draft(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save the account manager's wording of the draft. With HTMX it answers the draft block
    (saved, or with the error and what was typed); without, it redirects back."""
    suggestion = _changeable_suggestion(request, pk)
    form = DraftForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            suggestion = services.suggestion_draft_edit(
                suggestion=suggestion, by=request.user, text=form.cleaned_data["draft"]
            )
        except services.SuggestionTransitionError as refused:
            errors = refused.messages
    else:
        errors = _form_errors(form)
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, _("Draft saved: %(name)s.") % {"name": _who(suggestion)})
    if not request.htmx:
        return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        DRAFT_TEMPLATE,
        {
            "s": suggestion,
            "next": _next_url(request),
            "draft_text": request.POST.get("draft", "") if errors else suggestion.draft,
            "draft_errors": errors,
            "draft_open": True,
        },
    )


@require_GET
def suggestion_card_print(request: AuthedRequest, pk: int) -> HttpResponse:
    """The draft (or, once done, the final text) laid out on an A6 card for printing."""
    suggestion = _changeable_suggestion(request, pk)
    gesture = Gesture.objects.filter(suggestion=suggestion).first()
    text = gesture.card_text if gesture is not None and gesture.card_text else suggestion.draft
    if suggestion.kind == Suggestion.Kind.CALL or not text:
        raise Http404
    return render(
        request,
        "gestures/card_print.html",
        {"suggestion": suggestion, "text": text, "language": suggestion.contact.language},
    )


@require_POST
def gesture_log(request: AuthedRequest, pk: int) -> HttpResponse:
    """A note, call or meeting for the contact `pk`, without a suggestion. With HTMX it
    answers the small log form again (fresh after a success, with errors otherwise)."""
    contact = get_changeable_or_404(Contact.objects.filter(archived=False), request.user, pk=pk)
    form = GestureLogForm(request.POST)
    gesture: Gesture | None = None
    if form.is_valid():
        try:
            gesture = services.gesture_log(
                contact=contact,
                by=request.user,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                value_eur=form.cleaned_data["value_eur"],
                note=form.cleaned_data["note"],
            )
        except services.SuggestionTransitionError as refused:
            for error in refused.messages:
                messages.error(request, error)
    else:
        for error in _form_errors(form):
            messages.error(request, error)
    if gesture is not None:
        messages.success(
            request,
            _("Recorded: %(gesture)s for %(name)s.")
            % {"gesture": gesture.get_kind_display(), "name": contact.full_name},
        )
    if not request.htmx:
        return HttpResponseRedirect(_next_url(request))
    response = render(
        request,
        f"{TEMPLATE}#gesture-log",
        {
            "contact_id": contact.pk,
            "next": _next_url(request),
            "today": timezone.localdate(),
            "log_kinds": GESTURE_LOG_KINDS,
            "log_open": gesture is None,
            "data": form.data if gesture is None else {},
        },
    )
    if gesture is not None:
        trigger_client_event(response, CHANGED_EVENT)
    return response
