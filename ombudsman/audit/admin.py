from django.contrib import admin

from ombudsman.audit.models import AuditEvent
from ombudsman.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_label", "action", "object_repr", "from_state", "to_state")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor_label")
