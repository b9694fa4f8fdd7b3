from django.contrib import admin

from ombudsman.core.admin import ReadOnlyAdmin
from ombudsman.privacy.models import PurgeRecord, PurgeRun, SubjectAccessRequest


@admin.register(PurgeRun)
class PurgeRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "finished_at", "today", "results")
    date_hierarchy = "started_at"


@admin.register(PurgeRecord)
class PurgeRecordAdmin(ReadOnlyAdmin):
    list_display = ("purged_at", "case_reference", "stage", "closed_on", "erased", "counts", "run")
    list_filter = ("stage",)
    search_fields = ("case_reference",)
    date_hierarchy = "purged_at"
    list_select_related = ("run",)


@admin.register(SubjectAccessRequest)
class SubjectAccessRequestAdmin(ReadOnlyAdmin):
    list_display = ("requested_at", "requested_by", "actor_label", "subject", "output", "case_references", "answers")
    list_filter = ("subject",)
    list_select_related = ("requested_by",)
