from django.contrib import admin

from .models import Heartbeat, OutboxTask


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "last_seen")
    readonly_fields = ("name", "last_seen")

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    """What writes asked for; pending ones wait for the broker (relcrm.outbox)."""

    list_display = ("task", "created_at", "sent_at", "attempts", "last_error")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), "task")
    readonly_fields = ("task", "args", "created_at", "sent_at", "attempts", "last_error")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
