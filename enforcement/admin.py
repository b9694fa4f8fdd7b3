from django.contrib import admin

from enforcement.models import Referral


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("reference", "organisation", "opened_at")
    list_filter = ("organisation",)
    readonly_fields = ("reference", "organisation", "orders", "reason", "opened_at", "opened_by")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
