"""The second step of the login: enrol an authenticator app, or enter its code."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from ombudsman.accounts import two_factor
from ombudsman.accounts.forms import SecondFactorForm


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(request: HttpRequest, view_name: str) -> HttpResponse:
    """The other step of the second factor, keeping where the user was going."""
    query = request.GET.urlencode(safe="/")
    return redirect(reverse(view_name) + (f"?{query}" if query else ""))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The code of the user's authenticator app (or a backup code) completes the login."""
    if not two_factor.second_factor_required(request.user):
        return redirect(_next_url(request))
    if not two_factor.has_authenticator(request.user):
        return _with_next(request, "two_factor_setup")
    form = SecondFactorForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(_next_url(request))
    status = 400 if form.is_bound else 200
    return render(request, "registration/two_factor_verify.html", {"form": form}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """First login: scan the QR code with an authenticator app and confirm with its first code."""
    if not two_factor.second_factor_required(request.user):
        return redirect(_next_url(request))
    if two_factor.has_authenticator(request.user):
        # Only an administrator may replace a confirmed authenticator (otherwise a stolen
        # password would be enough to enrol a new one).
        return _with_next(request, "two_factor_verify")
    device = two_factor.pending_authenticator(request.user)
    form = SecondFactorForm(request.user, request.POST or None, enrolling=True)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        messages.success(request, _("Your authenticator app is set up. Use its code at every login."))
        return redirect(_next_url(request))
    context = {
        "form": form,
        "qr_code": two_factor.authenticator_qr_code(device),
        "secret": two_factor.authenticator_secret(device),
    }
    return render(request, "registration/two_factor_setup.html", context, status=400 if form.is_bound else 200)
