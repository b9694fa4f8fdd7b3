from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from ombudsman.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Letters", {"fields": ("capacity", "phone")}))
    list_display = ("username", "first_name", "last_name", "email", "capacity", "is_active")
