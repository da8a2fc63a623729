from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Contact, Fact, Observation, Organization, Tag, Team, User
from .services import contact_set_archived, observation_delete


@admin.register(User)
class RelcrmUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "team", "language", "is_active")
    list_filter = ("role", "team", "language", "is_active")
    list_select_related = ("team",)
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("relcrm"), {"fields": ("role", "team", "language")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("relcrm"), {"fields": ("role", "team", "language")}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "lead")
    list_select_related = ("lead",)
    search_fields = ("name",)
    autocomplete_fields = ("lead",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_en", "name_de", "synonym_count")
    search_fields = ("slug", "name_en", "name_de", "synonyms_en", "synonyms_de")
    fieldsets = (
        (None, {"fields": ("slug", "name_en", "name_de")}),
        (
            _("Synonyms and word forms"),
            {
                "fields": ("synonyms_en", "synonyms_de"),
                "description": _(
                    'A JSON list each, e.g. ["hiking", "hikes", "trekking"]. Observations '
                    "mentioning any of them are read as this interest."
                ),
            },
        ),
    )

    @admin.display(description=_("synonyms"))
    def synonym_count(self, tag: Tag) -> int:
        return len(tag.synonyms_en) + len(tag.synonyms_de)


class FactInline(admin.TabularInline):
    model = Fact
    fk_name = "observation"
    extra = 0
    fields = (*Fact.CONTENT_FIELDS, "sensitive")
    readonly_fields = ("sensitive",)


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "gift_policy", "gift_limit_eur", "external_id")
    list_filter = ("kind", "gift_policy")
    search_fields = ("name", "external_id")


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    """No delete here: a contact is archived, or erased with its history on the erase page
    (a delete would cascade into what the gift ledger must keep)."""

    list_display = ("full_name", "organization", "tier", "owner", "team", "archived")
    list_filter = ("tier", "team", "archived", "do_not_gift", "language", "address")
    list_select_related = ("organization", "owner", "team")
    search_fields = ("first_name", "last_name", "email", "organization__name", "external_id")
    autocomplete_fields = ("organization", "owner")
    readonly_fields = ("erase_link",)
    actions = ["archive_selected"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        # What is left of an erased person is read-only: nothing personal is added back.
        if obj is not None and obj.is_erased:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("erase"))
    def erase_link(self, contact: Contact) -> str:
        if contact.pk is None or contact.is_erased:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("contact_erase", args=[contact.pk]),
            _("Erase this person"),
        )

    @admin.action(description=_("Archive the selected contacts"))
    def archive_selected(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        for contact in queryset:
            contact_set_archived(contact=contact, archived=True)
        self.message_user(
            request,
            _("%(count)d contact(s) archived.") % {"count": len(queryset)},
            messages.SUCCESS,
        )


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = ("contact", "noted_on", "author", "language")
    list_filter = ("language", "noted_on")
    list_select_related = ("contact", "author")
    search_fields = ("text", "contact__first_name", "contact__last_name", "external_id")
    autocomplete_fields = ("contact", "author")
    date_hierarchy = "noted_on"
    inlines = [FactInline]

    # Deleting an observation takes its history with it (contacts.services).
    def delete_model(self, request: HttpRequest, obj: Observation) -> None:
        observation_delete(observation=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Observation]) -> None:
        for observation in queryset:
            observation_delete(observation=observation)
