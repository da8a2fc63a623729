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
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from privacy.models import AccessLogEntry
from privacy.notice import privacy_notice_due, privacy_notice_text
from privacy.services import access_log_record, may_erase, may_export
from relcrm.http import AuthedRequest
from relcrm.validation import MAX_TEXT_LENGTH, id_or_none, id_param, text_param

from .contact_import.columns import FIELDS as IMPORT_FIELDS
from .contact_import.columns import mapping_clean
from .contact_import.files import MAX_FILE_BYTES, FileUnreadable, table_read
from .contact_import.service import contact_import_start, contacts_import, mapping_for
from .contact_import.vcard import vcard_export
from .facts import FactDraft, fact_draft_from_model
from .forms import (
    ContactForm,
    ContactImportForm,
    FactFormSet,
    ObservationForm,
    fact_initial,
    text_fingerprint,
)
from .models import Contact, ContactImport, Observation, Tag, User
from .permissions import (
    get_changeable_or_404,
    get_visible_or_404,
    may_change,
    may_see_sensitive,
    scope_to_user,
)
from .selectors import (
    ContactFilters,
    contact_profile,
    contacts_for_list,
    contacts_for_picker,
    duplicates_for_team,
    organizations_for_filter,
    owners_for_filter,
    tag_names,
    taxonomy_current,
    teams_for_overview,
)
from .services import (
    contact_create,
    contact_merge,
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


def _contact_filters(params: QueryDict) -> ContactFilters:
    return ContactFilters(
        q=text_param(params, "q"),
        owner=id_param(params, "owner"),
        tier=params.get("tier", "") if params.get("tier") in Contact.Tier.values else "",
        organization=id_param(params, "organization"),
        interest=text_param(params, "interest", max_length=50),
        archived=params.get("archived") == "1",
    )


@require_GET
def contact_list(request: AuthedRequest) -> HttpResponse:
    params = request.GET
    filters = _contact_filters(params)
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
    contact = get_changeable_or_404(Contact.objects.filter(erased_at=None), request.user, pk=pk)
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
    if contact.is_erased:
        # The gift ledger still links here; the page says what is left and nothing more.
        return render(request, "contacts/contact_erased.html", {"contact": contact})
    profile = contact_profile(contact=contact)
    if any(f.sensitive for facts in profile.facts_by_group.values() for f in facts):
        access_log_record(user=request.user, contact=contact, action=AccessLogEntry.Action.VIEW)
    first_noted = min((o.noted_on for o in profile.observations), default=None)
    # What an Art. 9 note says is for those with a need to know (contacts.permissions); the
    # timeline (gestures.timeline, through the template) masks its observations the same way.
    hidden_facts = {
        f.pk
        for facts in profile.facts_by_group.values()
        for f in facts
        if f.sensitive
        and not may_see_sensitive(request.user, contact, author_id=f.observation.author_id)
    }
    today = timezone.localdate()
    return render(
        request,
        "contacts/contact_detail.html",
        {
            "contact": contact,
            "profile": profile,
            "can_change": may_change(request.user, contact),
            "hidden_facts": hidden_facts,
            "can_erase": may_erase(request.user, contact),
            "can_export": may_export(request.user, contact),
            "tag_names": tag_names(language=request.LANGUAGE_CODE),
            # For logging a note, call or meeting done without a suggestion.
            "today": today,
            "privacy_notice_due": privacy_notice_due(
                contact=contact, first_noted=first_noted, today=today
            ),
            "privacy_notice_text": privacy_notice_text(
                contact=contact, sender=contact.owner.display_name()
            ),
        },
    )


@require_POST
def contact_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = get_changeable_or_404(Contact.objects.filter(erased_at=None), request.user, pk=pk)
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
    q = text_param(request.GET, "contact_q")
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
    contact_q = text_param(request.POST, "contact_q") or text_param(request.GET, "contact_q")
    selected = form["contact"].value()
    choices = contacts_for_picker(user=request.user, q=contact_q) if contact_q else []
    preselected = None
    selected_id = id_or_none(str(selected or ""))
    if selected_id is not None:
        preselected = (
            scope_to_user(Contact.objects.select_related("organization"), request.user)
            .filter(pk=selected_id, archived=False)
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
    text = request.POST.get("text", "").strip()[:MAX_TEXT_LENGTH]
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
        elif id_param(request.GET, "contact") is not None:
            initial["contact"] = id_param(request.GET, "contact")
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


# -- importing contacts, duplicates and merge, vCard export ------------------------------


def _may_import(user: User) -> None:
    if not (user.is_admin or user.is_team_lead or user.role == User.Role.ACCOUNT_MANAGER):
        raise PermissionDenied


def _upload_too_large(request: AuthedRequest) -> bool:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return length.isascii() and length.isdigit() and int(length) > MAX_FILE_BYTES + 64 * 1024


@require_http_methods(["GET", "POST"])
def contact_import_new(request: AuthedRequest) -> HttpResponse:
    _may_import(request.user)
    if request.method == "POST" and _upload_too_large(request):
        # Refused before Django reads the body, so a huge upload costs nothing.
        error = _("The file is larger than %(max)s MB.") % {"max": MAX_FILE_BYTES // (1024 * 1024)}
        context = {"form": ContactImportForm(user=request.user), "upload_error": error}
        return render(request, "contacts/import_new.html", context, status=413)
    form = ContactImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        owner = form.chosen_owner
        try:
            table = table_read(raw, filename=upload.name)
            if owner.team is None:
                raise FileUnreadable(_("Choose an owner who belongs to a team."))
        except FileUnreadable as error:
            form.add_error("file", str(error))
        else:
            job = ContactImport.objects.create(
                team=owner.team,
                created_by=request.user,
                default_owner=owner,
                filename=upload.name[:255],
                format=table.format,
                content=raw,
                mapping=mapping_for(table),
                total_rows=len(table.rows),
            )
            return redirect("contact_import_detail", pk=job.pk)
    return render(request, "contacts/import_new.html", {"form": form})


PREVIEW_ROWS = 10
MAX_LISTED_PROBLEMS = 100


def _mapping_from_post(post: QueryDict, column_count: int) -> dict[str, str]:
    chosen = {str(i): post.get(f"column-{i}", "") for i in range(column_count)}
    return mapping_clean({k: v for k, v in chosen.items() if v}, column_count=column_count)


@require_http_methods(["GET", "POST"])
def contact_import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_changeable_or_404(
        ContactImport.objects.select_related("team", "default_owner"), request.user, pk=pk
    )
    if job.status != ContactImport.Status.DRAFT:
        if request.method == "POST":
            messages.info(request, _("This file is imported already."))
            return redirect("contact_import_detail", pk=job.pk)
        return render(request, "contacts/import_detail.html", {"job": job})
    try:
        table = table_read(bytes(job.content), format=job.format)
    except FileUnreadable as error:
        messages.error(request, str(error))
        return redirect("contact_import_new")
    if request.method == "POST":
        if job.format == "csv":
            job.mapping = _mapping_from_post(request.POST, len(table.headers))
            job.save(update_fields=["mapping"])
        if request.POST.get("action") == "import":
            plan = contacts_import(
                table=table,
                mapping=job.mapping,
                team=job.team,
                default_owner=job.default_owner,
                by=request.user,
                noted_on=timezone.localdate(),
                dry_run=True,
            )
            if plan.rejected:
                messages.error(
                    request,
                    _("%(count)s row(s) have errors; correct the file or the mapping first.")
                    % {"count": len(plan.rejected)},
                )
            elif not any(row.action in {"created", "updated"} for row in plan.rows):
                messages.info(request, _("Nothing to import: every row is stored already."))
            else:
                contact_import_start(job=job)
                return redirect("contact_import_detail", pk=job.pk)
        return redirect("contact_import_detail", pk=job.pk)
    plan = contacts_import(
        table=table,
        mapping=job.mapping,
        team=job.team,
        default_owner=job.default_owner,
        by=request.user,
        noted_on=timezone.localdate(),
        dry_run=True,
    )
    owners = {u.pk: u for u in User.objects.filter(team=job.team)}
    preview = [
        (row, owners.get(row.owner_id or job.default_owner_id)) for row in plan.rows[:PREVIEW_ROWS]
    ]
    samples = {
        i: next((cells[i] for _n, cells in table.rows if cells[i]), "")
        for i in range(len(table.headers))
    }
    columns = [
        (str(i), header, job.mapping.get(str(i), ""), samples[i][:60])
        for i, header in enumerate(table.headers)
    ]
    context = {
        "job": job,
        "columns": columns,
        "fields": list(IMPORT_FIELDS.items()),
        "preview": preview,
        "summary": plan.summary(),
        "rejected": plan.rejected[:MAX_LISTED_PROBLEMS],
        "duplicates": plan.duplicates()[:MAX_LISTED_PROBLEMS],
        "table": table,
    }
    return render(request, "contacts/import_detail.html", context)


@require_GET
def contact_import_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_changeable_or_404(ContactImport.objects.all(), request.user, pk=pk)
    if request.htmx and job.status in {ContactImport.Status.DONE, ContactImport.Status.FAILED}:
        return HttpResponseClientRefresh()
    return render(request, "contacts/import_detail.html#progress", {"job": job})


def _may_merge(user: User) -> None:
    if not (user.is_admin or user.is_team_lead):
        raise PermissionDenied


@require_GET
def contact_duplicates(request: AuthedRequest) -> HttpResponse:
    _may_merge(request.user)
    return render(
        request, "contacts/duplicates.html", {"pairs": duplicates_for_team(user=request.user)}
    )


@require_POST
def contact_merge_view(request: AuthedRequest) -> HttpResponse:
    _may_merge(request.user)
    keep_id, other_id = id_param(request.POST, "keep"), id_param(request.POST, "other")
    if keep_id is None or other_id is None:
        messages.error(request, _("Choose the two contacts to merge."))
        return redirect("contact_duplicates")
    contacts = Contact.objects.select_related("organization")
    keep = get_changeable_or_404(contacts, request.user, pk=keep_id)
    other = get_changeable_or_404(contacts, request.user, pk=other_id)
    try:
        contact_merge(keep=keep, other=other, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("contact_duplicates")
    messages.success(
        request,
        _("%(other)s was merged into %(name)s.") % {"other": other.full_name, "name": keep},
    )
    return redirect("contact_detail", pk=keep.pk)


def _vcard_response(contacts: Any, filename: str) -> HttpResponse:
    response = HttpResponse(vcard_export(contacts), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _for_vcard(queryset: Any) -> Any:
    return queryset.select_related("organization").prefetch_related("facts", "observations")


@require_GET
def contact_vcard(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = get_visible_or_404(_for_vcard(Contact.objects.all()), request.user, pk=pk)
    return _vcard_response([contact], f"contact-{contact.pk}.vcf")


@require_GET
def contact_list_vcard(request: AuthedRequest) -> HttpResponse:
    contacts = contacts_for_list(user=request.user, filters=_contact_filters(request.GET))
    return _vcard_response(_for_vcard(contacts), "contacts.vcf")
