"""The second factor of every account: a code from an authenticator app (TOTP, django-otp).

After the password, a user without a confirmed authenticator enrols one (QR code, then a code
to prove it works); a user with one enters its current code. Until then, every page sends them
to these steps (`StaffTwoFactorMiddleware`). A one-time backup code (a django-otp static device,
given by an administrator or by the demo data) is accepted in place of the app's code."""

from __future__ import annotations

import base64
import math
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ombudsman.audit.services import record_event

AUTHENTICATOR_NAME = gettext_lazy("Authenticator app")


class SecondFactorRefused(Exception):
    """The code was wrong, or too many wrong codes were tried: the message says which."""


def second_factor_required(user: Any) -> bool:
    """True for a signed-in user who has not confirmed a second factor in this session."""
    return bool(settings.STAFF_TWO_FACTOR and user.is_authenticated and not user.is_verified())


def has_authenticator(user: Any) -> bool:
    return user_has_device(user, confirmed=True)


def pending_authenticator(user: Any) -> TOTPDevice:
    """The authenticator being enrolled: created on the first visit, the same one on reloads."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=str(AUTHENTICATOR_NAME), confirmed=False)


def authenticator_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def authenticator_qr_code(device: TOTPDevice) -> str:
    """The enrolment QR code as an SVG data URI (an <img>, so no inline markup or script)."""
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _normalised(code: str) -> str:
    return "".join(code.split()).lower()


def _check(devices: list[Device], code: str) -> Device | str:
    """The device that accepts `code`, or the reason it was refused."""
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until") or timezone.now()
            seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
            return ngettext(
                "Too many wrong codes. Try again in %(seconds)d second.",
                "Too many wrong codes. Try again in %(seconds)d seconds.",
                seconds,
            ) % {"seconds": seconds}
        if device.verify_token(code):
            return device
    return _("This code is not valid. Enter the current code from your authenticator app.")


def verify_second_factor(user: Any, code: str) -> Device:
    """The user's device that accepts `code` (an app's digits, or a backup code); else SecondFactorRefused."""
    code = _normalised(code)
    # Digits go to the authenticator apps, anything else to the backup codes, so a code never
    # counts as a failed attempt against a device it was not meant for (django-otp throttling).
    model = TOTPDevice if code.isdigit() else StaticDevice
    # The result leaves the transaction before any refusal is raised: a failed attempt must
    # stay recorded (throttling), not roll back with the error.
    with transaction.atomic():
        result = _check(list(model.objects.devices_for_user(user, confirmed=True).select_for_update()), code)
    if isinstance(result, str):
        raise SecondFactorRefused(result)
    return result


def confirm_authenticator(user: Any, code: str) -> TOTPDevice:
    """Enrolment: the first code from the app confirms the pending authenticator."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        result = _check([device], _normalised(code)) if device else _("Reload the page and scan the new QR code.")
        if not isinstance(result, str):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            record_event(user, "second_factor_enrolled", actor=user, data={"device": device.name})
    if isinstance(result, str):
        raise SecondFactorRefused(result)
    return device
