"""Letter requests for administrators: which letters wait, which keep failing and why, and a
retry once the cause is fixed. Nothing here edits a request or a letter."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ombudsman.core.admin import ReadOnlyAdmin
from ombudsman.letters.models import LetterRequest
from ombudsman.letters.services import retry_letter_requests


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return list(LetterRequest.Status.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[LetterRequest]) -> QuerySet[LetterRequest]:
        if self.value() in LetterRequest.Status.values:
            return getattr(queryset, self.value())()
        return queryset


@admin.register(LetterRequest)
class LetterRequestAdmin(ReadOnlyAdmin):
    list_display = ("requested_at", "kind", "target_label", "language", "status", "attempts", "error", "failed_at")
    list_filter = (StatusFilter, "kind", "language")
    search_fields = ("trigger_key", "last_error")
    date_hierarchy = "requested_at"
    ordering = ("-requested_at",)
    actions = ["retry_now"]
    fields = (
        "kind",
        "language",
        "target_label",
        "trigger_key",
        "parameters",
        "requested_by",
        "requested_at",
        "status",
        "attempts",
        "last_error",
        "failed_at",
        "completed_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[LetterRequest]:
        return super().get_queryset(request).select_related("content_type").prefetch_related("target")

    @admin.display(description=_("about"))
    def target_label(self, obj: LetterRequest) -> str:
        return str(obj.target) if obj.target is not None else f"{obj.content_type.model} {obj.object_id}"

    @admin.display(description=_("status"))
    def status(self, obj: LetterRequest) -> str:
        return obj.status.label

    @admin.display(description=_("last error"))
    def error(self, obj: LetterRequest) -> str:
        return truncatechars(obj.last_error, 120)

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[LetterRequest]) -> None:
        count = retry_letter_requests(list(queryset.values_list("pk", flat=True)), by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d letter queued again.", "%(count)d letters queued again.", count) % {"count": count},
            messages.SUCCESS,
        )

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("letters.change_letterrequest")
