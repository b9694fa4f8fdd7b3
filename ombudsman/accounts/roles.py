"""The roles of DESIGN.md §2, as Django groups, and the model permissions each one holds.

Object-level rights (a case to its officer, an order to its organisation) are granted by
the services when work is assigned; this module only knows the roles themselves."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

CASE_OFFICER = "case officer"
REVIEWER = "reviewer"
PLATFORM_LIAISON = "platform liaison"
BIPT_OFFICER = "BIPT enforcement officer"
# Heads of BIPT's enforcement service: see every referral and assign them to officers.
BIPT_HEAD = "BIPT head"
ADMINISTRATOR = "administrator"

ROLES = [CASE_OFFICER, REVIEWER, PLATFORM_LIAISON, BIPT_OFFICER, BIPT_HEAD, ADMINISTRATOR]

ROLE_LABELS = {
    CASE_OFFICER: _("Case officer"),
    REVIEWER: _("Reviewer"),
    PLATFORM_LIAISON: _("Platform liaison"),
    BIPT_OFFICER: _("BIPT enforcement officer"),
    BIPT_HEAD: _("BIPT head of enforcement"),
    ADMINISTRATOR: _("Administrator"),
}

# Staff of the Ombudsman who work on cases.
OMBUDSMAN_STAFF_ROLES = (CASE_OFFICER, REVIEWER)

# Model-level permissions per role: "app_label.codename".
ROLE_MODEL_PERMISSIONS: dict[str, list[str]] = {
    CASE_OFFICER: ["cases.add_case"],
    REVIEWER: ["cases.add_case"],
    PLATFORM_LIAISON: [],
    BIPT_OFFICER: [],
    BIPT_HEAD: ["enforcement.view_referral", "enforcement.view_sanctionprocedure"],
    ADMINISTRATOR: [
        f"{app_label}.{action}_{model}"
        for app_label, model in (
            ("platforms", "organisation"),
            ("platforms", "service"),
            ("platforms", "orderdeadline"),
            ("deadlines", "closureday"),
            ("enforcement", "finescale"),
        )
        for action in ("add", "change", "view", "delete")
    ]
    + ["accounts.view_user", "accounts.add_user", "accounts.change_user", "auth.view_group", "deadlines.view_sweeprun"]
    + ["privacy.view_purgerun", "privacy.view_purgerecord", "privacy.view_subjectaccessrequest"]
    # Letters that could not be rendered: see them and retry them ("change" is the retry).
    + ["letters.view_letterrequest", "letters.change_letterrequest"]
    # A user who lost their phone: remove the authenticator (they enrol a new one at the next
    # login) or give them backup codes.
    + ["otp_totp.view_totpdevice", "otp_totp.delete_totpdevice"]
    + [f"otp_static.{action}_staticdevice" for action in ("add", "change", "view", "delete")],
}


def grant_role_permissions(**kwargs: Any) -> None:
    """Give each role group its model permissions (idempotent; runs after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, permissions in ROLE_MODEL_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in permissions:
            app_label, codename = dotted.split(".", 1)
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*wanted)


def has_role(user: Any, *roles: str) -> bool:
    """True when the (authenticated, active) user is in one of the given role groups."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return any(role in names for role in roles)
