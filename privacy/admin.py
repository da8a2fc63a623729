"""The erasure log and the access log, for admins to read (nobody edits them), and the
retention settings (one row)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import AccessLogEntry, Erasure, ObservationReview, RetentionSettings


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ("pseudonym", "erased_at", "erased_by", "observations", "gifts_kept")
    list_select_related = ("erased_by",)
    search_fields = ("pseudonym",)
    date_hierarchy = "erased_at"


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "action", "contact")
    list_filter = ("action",)
    list_select_related = ("user", "contact")
    date_hierarchy = "at"


@admin.register(ObservationReview)
class ObservationReviewAdmin(ReadOnlyAdmin):
    list_display = ("reviewed_on", "reviewed_by", "observation")
    list_select_related = ("reviewed_by", "observation__contact")
    date_hierarchy = "reviewed_on"


@admin.register(RetentionSettings)
class RetentionSettingsAdmin(admin.ModelAdmin):
    """When observations come up for review and how long the access log is kept."""

    fieldsets = (
        (_("Review"), {"fields": ("observation_review_months", "sensitive_review_months")}),
        (_("Access log"), {"fields": ("access_log_months",)}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not RetentionSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
