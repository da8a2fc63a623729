"""The gift catalog in the Django admin (curated by admins, with CSV/XLSX import and export),
the scan settings, and read-only views of suggestions, gestures and scan runs for support."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin  # type: ignore[import-untyped]
from import_export.formats.base_formats import CSV, XLSX  # type: ignore[import-untyped]

from .forms import GiftItemAdminForm
from .models import (
    DietaryLabel,
    Gesture,
    GestureOutcome,
    GiftItem,
    Occasion,
    ScanChunk,
    ScanConfiguration,
    ScanRun,
    Suggestion,
    SuggestionTransition,
)
from .resources import GiftItemResource
from .selectors import json_list_contains, price_display
from .services import (
    gift_item_image_remove,
    gift_item_image_replace,
    gift_item_save,
    gift_items_delete,
    gift_items_set_active,
)


class _JsonListFilter(admin.SimpleListFilter):
    field_name = ""
    options: list[tuple[str, Any]] = []

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return self.options

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value in dict(self.options):
            return queryset.filter(json_list_contains(self.field_name, str(value)))
        return queryset


class OccasionFilter(_JsonListFilter):
    title = _("occasion")
    parameter_name = "occasion"
    field_name = "occasions"
    options = list(Occasion.choices)


class DietaryFilter(_JsonListFilter):
    title = _("dietary label")
    parameter_name = "dietary"
    field_name = "dietary"
    options = list(DietaryLabel.choices)


def _image_tag(url: str, *, width: int, height: int, alt: str) -> SafeString:
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" class="gift-thumbnail">',
        url,
        alt,
        width,
        height,
    )


@admin.register(GiftItem)
class GiftItemAdmin(ImportExportModelAdmin):
    form = GiftItemAdminForm
    resource_classes = [GiftItemResource]

    class Media:
        css = {"all": ["css/admin.css"]}

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    list_display = (
        "thumbnail",
        "sku",
        "name",
        "price",
        "interests",
        "occasion_list",
        "active",
        "stock_display",
    )
    list_display_links = ("thumbnail", "sku", "name")
    list_filter = (
        "active",
        ("tags", admin.RelatedOnlyFieldListFilter),
        OccasionFilter,
        DietaryFilter,
        "contains_alcohol",
        "food",
    )
    search_fields = ("sku", "name", "name_de", "description", "description_de", "supplier")
    ordering = ("name", "sku")
    list_per_page = 50
    autocomplete_fields = ("tags",)
    readonly_fields = ("image_preview", "created_at", "updated_at")
    actions = ("activate", "deactivate")
    fieldsets = (
        (None, {"fields": ("sku", "name", "name_de", "description", "description_de")}),
        (_("Price and stock"), {"fields": ("price_eur", "stock", "lead_time_days", "active")}),
        (
            _("Who and when it suits"),
            {"fields": ("tags", "occasions", "contains_alcohol", "food", "dietary")},
        ),
        (
            _("Symbolism"),
            {"fields": ("symbols", "unsuitable_occasions")},
        ),
        (_("Image"), {"fields": ("image_preview", "image_upload", "image_remove")}),
        (_("Supplier"), {"fields": ("supplier", "supplier_url")}),
        (_("History"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[GiftItem]:
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description=_("image"))
    def thumbnail(self, item: GiftItem) -> SafeString | str:
        url = item.image_url_for("list")
        if not url:
            return "—"
        return _image_tag(
            url, width=64, height=48, alt=str(_("Image of %(name)s") % {"name": item.name})
        )

    @admin.display(description=_("price"), ordering="price_eur")
    def price(self, item: GiftItem) -> str:
        return price_display(item.price_eur, language=get_language())

    @admin.display(description=_("interests"))
    def interests(self, item: GiftItem) -> str:
        return ", ".join(tag.slug for tag in item.tags.all())

    @admin.display(description=_("occasions"))
    def occasion_list(self, item: GiftItem) -> str:
        return ", ".join(item.occasion_labels())

    @admin.display(description=_("stock"), ordering="stock")
    def stock_display(self, item: GiftItem) -> str:
        return str(_("unlimited")) if item.stock is None else str(item.stock)

    @admin.display(description=_("current image"))
    def image_preview(self, item: GiftItem) -> SafeString | str:
        if not item.image:
            return str(_("No image yet."))
        thumbnails = item.thumbnail_list and item.thumbnail_detail
        note = "" if thumbnails else _("Thumbnails are being made; the original is shown.")
        links = format_html_join(
            " · ",
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            (
                (f.url, label)
                for f, label in (
                    (item.image, _("original")),
                    (item.thumbnail_detail, _("detail thumbnail")),
                    (item.thumbnail_list, _("list thumbnail")),
                )
                if f
            ),
        )
        return format_html(
            '<div class="gift-image-preview">{}<p>{}</p><p class="help">{}</p></div>',
            _image_tag(item.image_url_for("detail"), width=320, height=240, alt=item.name),
            links,
            note,
        )

    def save_model(self, request: HttpRequest, obj: GiftItem, form: Any, change: bool) -> None:
        gift_item_save(item=obj)
        if form.clean_image is not None:
            gift_item_image_replace(item=obj, image=form.clean_image)
        elif form.cleaned_data.get("image_remove") and obj.image:
            gift_item_image_remove(item=obj)

    def delete_model(self, request: HttpRequest, obj: GiftItem) -> None:
        gift_items_delete(items=GiftItem.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[GiftItem]) -> None:
        gift_items_delete(items=queryset)

    @admin.action(description=_("Activate selected gift items"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[GiftItem]) -> None:
        changed = gift_items_set_active(items=queryset, active=True)
        self.message_user(
            request,
            ngettext("%(count)d gift item activated.", "%(count)d gift items activated.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Deactivate selected gift items"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[GiftItem]) -> None:
        changed = gift_items_set_active(items=queryset, active=False)
        self.message_user(
            request,
            ngettext(
                "%(count)d gift item deactivated.", "%(count)d gift items deactivated.", changed
            )
            % {"count": changed},
            messages.SUCCESS,
        )


@admin.register(ScanConfiguration)
class ScanConfigurationAdmin(admin.ModelAdmin):
    """The one row of scan settings: admins change the horizon, cadences, limits and caps;
    the next scan uses them."""

    fieldsets = (
        (_("Timing"), {"fields": ("horizon_days",)}),
        (
            _("Keep in touch"),
            {"fields": ("cadence_a_days", "cadence_b_days", "cadence_c_days")},
        ),
        (
            _("Gifts"),
            {"fields": ("annual_gift_limit_eur", "approval_threshold_eur", "gift_spacing_days")},
        ),
        (_("Quality over quantity"), {"fields": ("max_open_per_contact",)}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ScanConfiguration.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """What people decided is changed in the app, through its services, never here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SuggestionTransitionInline(admin.TabularInline):
    model = SuggestionTransition
    extra = 0
    fields = ("at", "by", "from_status", "to_status", "reason", "reason_text")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Suggestion)
class SuggestionAdmin(_ReadOnlyAdmin):
    list_display = ("contact", "occasion", "kind", "event_date", "due_date", "status")
    list_filter = ("status", "occasion", "kind")
    search_fields = ("contact__first_name", "contact__last_name", "contact__external_id")
    date_hierarchy = "due_date"
    list_select_related = ("contact",)
    raw_id_fields = ("contact", "source_fact", "gift_item", "decided_by")
    inlines = (SuggestionTransitionInline,)


class GestureOutcomeInline(admin.StackedInline):
    model = GestureOutcome
    extra = 0
    fields = ("result", "note", "recorded_by", "recorded_at", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Gesture)
class GestureAdmin(_ReadOnlyAdmin):
    list_display = ("contact", "kind", "date", "gift_item", "value_eur", "by")
    list_filter = ("kind", "outcome__result")
    search_fields = ("contact__first_name", "contact__last_name", "note")
    date_hierarchy = "date"
    list_select_related = ("contact", "gift_item", "by")
    inlines = (GestureOutcomeInline,)


class ScanChunkInline(admin.TabularInline):
    model = ScanChunk
    extra = 0
    fields = ("index", "sends", "sent_at", "started_at", "finished_at", "failed_at", "created")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScanRun)
class ScanRunAdmin(_ReadOnlyAdmin):
    list_display = (
        "day",
        "trigger",
        "started_at",
        "finished_at",
        "contacts",
        "chunks_done",
        "chunks_failed",
        "chunks_total",
        "created",
        "expired",
        "returned",
    )
    list_filter = ("trigger",)
    date_hierarchy = "day"
    inlines = [ScanChunkInline]
