from django.contrib import admin

from platforms.models import Organisation, Service


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country", "contact_point_email", "letter_language", "active")
    list_filter = ("kind", "active", "letter_language")
    search_fields = ("name",)
    filter_horizontal = ("liaisons",)
    inlines = [ServiceInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "active")
    list_filter = ("organisation",)
