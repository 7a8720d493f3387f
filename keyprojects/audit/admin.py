"""The audit trail in the admin: read only, for whoever may read it."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditAnchor, AuditRecord
from .permissions import can_read_audit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_read_audit(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_read_audit(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "kind", "username", "ip", "object_text", "path")
    list_filter = ("kind",)
    search_fields = ("username", "object_text", "path")
    actions = None


@admin.register(AuditAnchor)
class AuditAnchorAdmin(ReadOnlyAdmin):
    list_display = ("seq", "records", "before", "file", "created_at")
    actions = None
