from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ombudsman.accounts.roles import PLATFORM_LIAISON
from ombudsman.core.admin import ReadOnlyAdmin
from platforms.models import DisclosureOrder, OrderDeadline, Organisation, Service
from platforms.services.common import liaison_group


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 1


class OrderDeadlineInline(admin.TabularInline):
    model = OrderDeadline
    extra = 0


class OrganisationForm(forms.ModelForm):
    liaison_users = forms.ModelMultipleChoiceField(
        label=_("Liaison users"),
        required=False,
        queryset=get_user_model().objects.filter(groups__name=PLATFORM_LIAISON).distinct(),
        widget=admin.widgets.FilteredSelectMultiple(_("liaison users"), is_stacked=False),
        help_text=_("They see and answer the orders addressed to this organisation."),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "legal_address", "country", "contact_point_email", "letter_language", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.liaison_group_id:
            self.fields["liaison_users"].initial = self.instance.liaison_group.user_set.all()


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ("name", "kind", "country", "contact_point_email", "letter_language", "active")
    list_filter = ("kind", "active", "letter_language")
    search_fields = ("name",)
    inlines = [ServiceInline, OrderDeadlineInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Membership of the liaison group is what shares the organisation's orders.
        liaison_group(form.instance).user_set.set(form.cleaned_data["liaison_users"])


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "active")
    list_filter = ("organisation",)


@admin.register(DisclosureOrder)
class DisclosureOrderAdmin(ReadOnlyAdmin):
    """Read-only: orders change only through the officer's and the liaison's steps."""

    list_display = ("reference", "organisation", "state", "due_on", "issued_at")
    list_filter = ("state", "organisation")
    search_fields = ("reference",)
    exclude = ["identifiers"]
