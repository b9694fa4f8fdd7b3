from django.contrib import admin

from enforcement.models import FineScale, Referral


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("reference", "organisation", "opened_at", "assigned_to")
    list_filter = ("organisation",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FineScale)
class FineScaleAdmin(admin.ModelAdmin):
    """The legal bounds and the scale of fines (one row)."""

    list_display = ("ceiling_eur", "turnover_share_percent", "base_minor", "base_serious", "base_very_serious")

    def has_add_permission(self, request):
        return not FineScale.objects.exists() and super().has_add_permission(request)
