"""Who may take each step of a disclosure order (the guards of its state machine)."""

from __future__ import annotations

from typing import Any

from cases import rules as case_rules
from ombudsman.accounts.roles import PLATFORM_LIAISON, has_role


def is_liaison_of(order: Any, user: Any) -> bool:
    """A liaison of the organisation the order is addressed to (object permission on the order)."""
    return has_role(user, PLATFORM_LIAISON) and user.has_perm("platforms.answer_disclosureorder", order)


def is_case_officer_of(order: Any, user: Any) -> bool:
    """The officer assigned to the order's (main) case."""
    return case_rules.is_assignee(order.case, user)


def system_only(order: Any, user: Any) -> bool:
    """Taken by the deadline sweep, never by a person."""
    return False
