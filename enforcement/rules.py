"""Who may take each step of a referral and its sanction procedure (the guards)."""

from __future__ import annotations

from typing import Any

from ombudsman.accounts.roles import BIPT_HEAD, BIPT_OFFICER, has_role


def is_bipt_head(user: Any) -> bool:
    return has_role(user, BIPT_HEAD)


def is_procedure_officer(procedure: Any, user: Any) -> bool:
    """The BIPT officer the referral is assigned to (object permission on the procedure)."""
    return has_role(user, BIPT_OFFICER) and user.has_perm("enforcement.change_sanctionprocedure", procedure)


def system_only(procedure: Any, user: Any) -> bool:
    """Taken by the deadline sweep, never by a person."""
    return False
