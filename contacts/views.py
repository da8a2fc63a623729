"""Pages about teams, contacts and observations. Thin: permissions, a form or selector, a
service call, a template (the named partial for HTMX requests)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from relcrm.http import AuthedRequest

from .facts import FactDraft, fact_draft_from_model
from .forms import ContactForm, FactFormSet, ObservationForm, fact_initial, text_fingerprint
from .models import Contact, Observation, Tag
from .permissions import get_changeable_or_404, get_visible_or_404, may_change, scope_to_user
from .selectors import (
    ContactFilters,
    contact_profile,
    contacts_for_list,
    contacts_for_picker,
    organizations_for_filter,
    owners_for_filter,
    tag_names,
    taxonomy_current,
    teams_for_overview,
)
from .services import (
    contact_create,
    contact_set_archived,
    contact_update,
    observation_create,
    observation_delete,
    observation_extract,
    observation_update,
)

CONTACTS_PER_PAGE = 25


def team(request: AuthedRequest) -> HttpResponse:
    if not (request.user.is_team_lead or request.user.is_admin):
        raise PermissionDenied
    return render(request, "contacts/team.html", {"teams": teams_for_overview(user=request.user)})


def _int_param(params: QueryDict, name: str) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


@require_GET
def contact_list(request: AuthedRequest) -> HttpResponse:
    params = request.GET
    filters = ContactFilters(
        q=params.get("q", "").strip()[:100],
        owner=_int_param(params, "owner"),
        tier=params.get("tier", "") if params.get("tier") in Contact.Tier.values else "",
        organization=_int_param(params, "organization"),
        interest=params.get("interest", "")[:50],
        archived=params.get("archived") == "1",
    )
    page = Paginator(contacts_for_list(user=request.user, filters=filters), CONTACTS_PER_PAGE)
    page_obj = page.get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    context = {
        "page_obj": page_obj,
        "filters": filters,
        "query": query.urlencode(),
        "owners": owners_for_filter(user=request.user),
        "organizations": organizations_for_filter(user=request.user),
        "tags": Tag.objects.order_by("slug"),
        "tiers": Contact.Tier.choices,
    }
    template = "contacts/contact_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def contact_create_view(request: AuthedRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner", request.user)
        team = data.pop("team", None) or owner.team or request.user.team
        try:
            if team is None:
                raise ValidationError(_("Choose the team this contact belongs to."))
            contact = contact_create(team=team, owner=owner, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contact %(name)s created.") % {"name": contact})
            return redirect("contact_detail", pk=contact.pk)
    return render(request, "contacts/contact_form.html", {"form": form, "contact": None})


@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = get_changeable_or_404(Contact.objects.all(), request.user, pk=pk)
    form = ContactForm(request.POST or None, instance=contact, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            contact_update(contact=contact, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": contact})
            return redirect("contact_detail", pk=contact.pk)
    return render(request, "contacts/contact_form.html", {"form": form, "contact": contact})


@require_GET
def contact_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = get_visible_or_404(
        Contact.objects.select_related("organization", "owner", "team"), request.user, pk=pk
    )
    profile = contact_profile(contact=contact)
    return render(
        request,
        "contacts/contact_detail.html",
        {
            "contact": contact,
            "profile": profile,
            "can_change": may_change(request.user, contact),
            "tag_names": tag_names(language=request.LANGUAGE_CODE),
            "editable_observations": {
                o.pk for o in profile.observations if may_change(request.user, o)
            },
            # For logging a note, call or meeting done without a suggestion.
            "today": timezone.localdate(),
        },
    )


@require_POST
def contact_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = get_changeable_or_404(Contact.objects.all(), request.user, pk=pk)
    archived = request.POST.get("archived", "1") == "1"
    contact_set_archived(contact=contact, archived=archived)
    if archived:
        messages.success(request, _("%(name)s is archived.") % {"name": contact})
    else:
        messages.success(request, _("%(name)s is active again.") % {"name": contact})
    return redirect("contact_detail", pk=contact.pk)


@require_GET
def contact_picker(request: AuthedRequest) -> HttpResponse:
    """Search-as-you-type results for the contact picker of the capture form."""
    q = request.GET.get("contact_q", "").strip()[:100]
    contacts = contacts_for_picker(user=request.user, q=q)
    return render(
        request, "contacts/observation_form.html#contact-choices", {"choices": contacts, "q": q}
    )


def _interest_tags() -> frozenset[str]:
    return frozenset(taxonomy_current().slugs)


def _preview_formset(drafts: list[FactDraft]) -> Any:
    return FactFormSet(
        initial=[fact_initial(draft) for draft in drafts],
        prefix="fact",
        form_kwargs={"interest_tags": _interest_tags()},
    )


def _capture_context(
    request: AuthedRequest,
    form: ObservationForm,
    formset: Any,
    *,
    observation: Observation | None,
    fingerprint: str = "",
) -> dict[str, Any]:
    contact_q = request.POST.get("contact_q", request.GET.get("contact_q", "")).strip()[:100]
    selected = form["contact"].value()
    choices = contacts_for_picker(user=request.user, q=contact_q) if contact_q else []
    preselected = None
    if selected and str(selected).isdigit():
        preselected = (
            scope_to_user(Contact.objects.select_related("organization"), request.user)
            .filter(pk=int(selected), archived=False)
            .first()
        )
    if preselected is not None and preselected not in choices:
        choices = [preselected, *choices]
    drafts = [f.draft for f in formset.forms] if formset is not None else []
    return {
        "form": form,
        "formset": formset,
        "choices": choices,
        "selected": str(selected or ""),
        "q": contact_q,
        "observation": observation,
        "fingerprint": fingerprint,
        "has_sensitive": any(d is not None and d.sensitive for d in drafts),
        "tag_names": tag_names(language=request.LANGUAGE_CODE),
    }


@require_POST
def observation_preview(request: AuthedRequest) -> HttpResponse:
    """The facts the text would give, for review before saving (HTMX partial)."""
    text = request.POST.get("text", "").strip()[:10_000]
    form = ObservationForm(request.POST, user=request.user)
    try:
        noted_on = form.fields["noted_on"].clean(request.POST.get("noted_on"))
    except ValidationError:
        noted_on = None
    drafts: list[FactDraft] = []
    if text and noted_on:
        _language, drafts = observation_extract(text=text, noted_on=noted_on)
    formset = _preview_formset(drafts)
    context = _capture_context(
        request, form, formset, observation=None, fingerprint=text_fingerprint(text, noted_on)
    )
    context["previewed"] = bool(text)
    return render(request, "contacts/observation_form.html#preview", context)


def _capture(request: AuthedRequest, observation: Observation | None) -> HttpResponse:
    """Log (or edit) an observation. One POST saves; without JavaScript it works the same,
    with the facts shown for review first when something needs a decision."""
    if request.method == "GET":
        initial: dict[str, Any] = {}
        drafts: list[FactDraft] = []
        if observation is not None:
            initial = {
                "contact": observation.contact_id,
                "noted_on": observation.noted_on,
                "text": observation.text,
            }
            drafts = [fact_draft_from_model(f) for f in observation.facts.all()]
        elif request.GET.get("contact", "").isdigit():
            initial["contact"] = int(request.GET["contact"])
        form = ObservationForm(initial=initial, user=request.user)
        formset = _preview_formset(drafts) if observation is not None else None
        fingerprint = (
            text_fingerprint(observation.text, observation.noted_on) if observation else ""
        )
        context = _capture_context(
            request, form, formset, observation=observation, fingerprint=fingerprint
        )
        return render(request, "contacts/observation_form.html", context)

    fixed = observation.contact if observation is not None else None
    form = ObservationForm(request.POST, user=request.user, fixed_contact=fixed)
    action = request.POST.get("action", "save")
    if not form.is_valid() or action != "save":
        formset = None
        if form.is_valid():
            _language, extracted = observation_extract(
                text=form.cleaned_data["text"], noted_on=form.cleaned_data["noted_on"]
            )
            formset = _preview_formset(extracted)
        context = _capture_context(
            request,
            form,
            formset,
            observation=observation,
            fingerprint=form.fingerprint if form.is_valid() else "",
        )
        return render(request, "contacts/observation_form.html", context, status=200)

    reviewed = "fact-TOTAL_FORMS" in request.POST and (
        request.POST.get("preview_of") == form.fingerprint
    )
    if reviewed:
        formset = FactFormSet(
            request.POST, prefix="fact", form_kwargs={"interest_tags": _interest_tags()}
        )
        if not formset.is_valid():
            context = _capture_context(
                request, form, formset, observation=observation, fingerprint=form.fingerprint
            )
            return render(request, "contacts/observation_form.html", context, status=200)
        facts = [f.cleaned_data["draft"] for f in formset.forms if f.cleaned_data.get("keep")]
    else:
        # Not reviewed (no JavaScript, or the text changed after the preview): the facts
        # are what the extractor reads now, shown for review when a decision is needed.
        _language, facts = observation_extract(
            text=form.cleaned_data["text"], noted_on=form.cleaned_data["noted_on"]
        )
        formset = _preview_formset(facts)

    if any(f.sensitive for f in facts) and not form.cleaned_data["acknowledge_sensitive"]:
        form.add_error(
            "acknowledge_sensitive",
            _(
                "Some facts reveal special categories of personal data (GDPR Art. 9). "
                "Confirm that recording them is necessary, or drop them."
            ),
        )
        context = _capture_context(
            request, form, formset, observation=observation, fingerprint=form.fingerprint
        )
        return render(request, "contacts/observation_form.html", context, status=200)

    contact = form.cleaned_data["contact"]
    data = {
        "text": form.cleaned_data["text"],
        "noted_on": form.cleaned_data["noted_on"],
        "facts": facts,
    }
    if observation is None:
        saved = observation_create(contact=contact, author=request.user, **data)
        messages.success(
            request,
            _("Observation about %(name)s saved with %(count)s fact(s).")
            % {"name": contact, "count": len(facts)},
        )
    else:
        saved = observation_update(observation=observation, **data)
        messages.success(request, _("Observation updated."))
    destination = reverse("contact_detail", args=[saved.contact_id]) + f"#obs-{saved.pk}"
    if request.htmx:
        return HttpResponseClientRedirect(destination)
    return redirect(destination)


@require_http_methods(["GET", "POST"])
def observation_new(request: AuthedRequest) -> HttpResponse:
    return _capture(request, None)


@require_http_methods(["GET", "POST"])
def observation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    observation = get_changeable_or_404(
        Observation.objects.select_related("contact"), request.user, pk=pk
    )
    return _capture(request, observation)


@require_POST
def observation_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    observation = get_changeable_or_404(
        Observation.objects.select_related("contact"), request.user, pk=pk
    )
    contact_id = observation.contact_id
    observation_delete(observation=observation)
    messages.success(request, _("Observation deleted."))
    return redirect("contact_detail", pk=contact_id)
