"""Django's admin behind the same login as the rest of the site, second factor included."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class OfficeAdminSite(admin.AdminSite):
    """As django-otp's OTPAdminSite: only administrators whose session confirmed a second factor;
    the login itself is the site's (password, then the code), not a second login form."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and (not settings.STAFF_TWO_FACTOR or request.user.is_verified())

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        from django.contrib.auth.views import redirect_to_login  # not at import: this module configures an app

        if request.user.is_authenticated:
            raise PermissionDenied  # logged in and verified, but not an administrator
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))


class OfficeAdminConfig(AdminConfig):
    default_site = "ombudsman.accounts.admin_site.OfficeAdminSite"
