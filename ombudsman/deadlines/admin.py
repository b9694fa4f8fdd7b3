from django.contrib import admin

from ombudsman.deadlines.models import ClosureDay, SweepRun


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ("day", "reason")
    date_hierarchy = "day"


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "finished_at", "today", "results")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
