"""Who may take each transition of a case: the guards django-fsm-2 consults.

The same functions serve the case page (which offers only what the user may do) and the
services (which refuse everything else), so the two cannot disagree."""

from __future__ import annotations

from typing import Any

from ombudsman.accounts.roles import CASE_OFFICER, REVIEWER, has_role


def is_office_staff(user: Any) -> bool:
    return has_role(user, CASE_OFFICER, REVIEWER)


def is_reviewer(user: Any) -> bool:
    return has_role(user, REVIEWER)


def is_assignee(case: Any, user: Any) -> bool:
    """The officer the case is assigned to, holding its object permission."""
    return (
        is_office_staff(user)
        and case.assigned_to_id is not None
        and case.assigned_to_id == user.pk
        and _may_change(case, user)
    )


def _may_change(case: Any, user: Any) -> bool:
    # Asked once per case object and user: the case page consults four guards that ask it.
    answers = case.__dict__.setdefault("_may_change_by_user", {})
    if user.pk not in answers:
        answers[user.pk] = user.has_perm("cases.change_case", case)
    return answers[user.pk]


def may_take_intake(case: Any, user: Any) -> bool:
    """Any officer may pick a case from the intake queue (reviewers may also assign others)."""
    return is_office_staff(user)


def may_reassign(case: Any, user: Any) -> bool:
    return is_reviewer(user)


def may_assess(case: Any, user: Any) -> bool:
    return is_assignee(case, user)


def may_review(case: Any, user: Any) -> bool:
    """A reviewer who did not make the proposal: four eyes, whatever the reviewer's roles."""
    return is_reviewer(user) and case.proposed_by_id is not None and case.proposed_by_id != user.pk


def may_close_or_withdraw(case: Any, user: Any) -> bool:
    if case.assigned_to_id is None:
        return is_office_staff(user)
    return is_assignee(case, user) or is_reviewer(user)


def system_only(case: Any, user: Any) -> bool:
    """Taken by the system (the deadline sweep, the disclosure chain), never by a person."""
    return False
