"""The opt-in morning e-mail: the start page's sections, in the user's language, once a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ombudsman.dashboard.models import DigestSent
from ombudsman.dashboard.today import sections_for


def send_digest(user: Any, today: date) -> bool:
    """Send the user's digest for `today` unless it was sent already. Returns whether it sent."""
    if not user.email or not user.is_active:
        return False
    with transaction.atomic():
        _row, created = DigestSent.objects.get_or_create(user=user, day=today)
        if not created:
            return False
        with translation.override(user.language):
            sections = sections_for(user, today)
            body = render_to_string(
                "dashboard/digest.txt",
                {"user": user, "sections": sections, "today": today, "site": settings.OMBUDSMAN_PUBLIC_URL},
            )
            subject = _("Your day at the Ombudsman's back-office, %(date)s") % {"date": today.strftime("%d/%m/%Y")}
        # Inside the transaction: if sending fails, the row is not kept and the next run tries again.
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    return True


def send_morning_digests(today: date | None = None) -> int:
    today = today or timezone.localdate()
    users = get_user_model().objects.filter(digest_opt_in=True, is_active=True).exclude(email="")
    return sum(send_digest(user, today) for user in users.iterator())


def set_digest_preferences(*, user: Any, opt_in: bool, language: str) -> None:
    user.digest_opt_in = opt_in
    user.language = language
    user.save(update_fields=["digest_opt_in", "language"])
