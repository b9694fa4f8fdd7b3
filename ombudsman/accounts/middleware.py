"""Staff sessions: the second factor before any page, and an end after idle time or a day's work."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ombudsman.accounts import two_factor

LOGGED_IN_AT = "staff_logged_in_at"
LAST_SEEN = "staff_last_seen"
# The last activity is written at most once a minute, not on every request.
LAST_SEEN_PRECISION_SECONDS = 60

# Pages a user between the password and the second factor may still open.
BEFORE_SECOND_FACTOR = {"two_factor_verify", "two_factor_setup", "logout", "set_language", "healthz"}


def mark_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """user_logged_in: the absolute session limit counts from here."""
    now = time.time()
    request.session[LOGGED_IN_AT] = now
    request.session[LAST_SEEN] = now


class StaffSessionExpiryMiddleware:
    """Ends a signed-in session after STAFF_IDLE_MINUTES without a request, or SESSION_COOKIE_AGE
    after the login, whatever the activity. (The browser drops the cookie when it closes:
    SESSION_EXPIRE_AT_BROWSER_CLOSE.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            logged_in_at = session.setdefault(LOGGED_IN_AT, now)
            last_seen = session.get(LAST_SEEN, now)
            if now - last_seen > settings.STAFF_IDLE_MINUTES * 60:
                return self._end(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.STAFF_IDLE_MINUTES},
                )
            if now - logged_in_at > settings.SESSION_COOKIE_AGE:
                return self._end(request, _("Your session has ended. Please log in again."))
            if LAST_SEEN not in session or now - last_seen >= LAST_SEEN_PRECISION_SECONDS:
                session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, message)
        return redirect_to_login(request.get_full_path())


class StaffTwoFactorMiddleware:
    """Until the second factor is confirmed, every page sends the user to it (the API, which
    authenticates by token and never by session, is not concerned)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable, args: Any, kwargs: Any) -> HttpResponse | None:
        if not two_factor.second_factor_required(request.user):
            return None
        match = request.resolver_match
        if match.view_name in BEFORE_SECOND_FACTOR or match.route.startswith("api/"):
            return None
        step = "two_factor_verify" if two_factor.has_authenticator(request.user) else "two_factor_setup"
        return redirect_to_login(request.get_full_path(), reverse(step))
