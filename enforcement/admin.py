from django.contrib import admin

from enforcement.models import FineScale, Referral
from ombudsman.core.admin import ReadOnlyAdmin


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("reference", "organisation", "opened_at", "assigned_to")
    list_filter = ("organisation",)


@admin.register(FineScale)
class FineScaleAdmin(admin.ModelAdmin):
    """The legal bounds and the scale of fines (one row)."""

    list_display = ("ceiling_eur", "turnover_share_percent", "base_minor", "base_serious", "base_very_serious")

    def has_add_permission(self, request):
        return not FineScale.objects.exists() and super().has_add_permission(request)
