"""The erasure log and the access log, for admins to read (nobody edits them)."""

from django.contrib import admin
from django.http import HttpRequest

from .models import AccessLogEntry, Erasure


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
