"""Handling a case: assignment, assessment with four eyes, closure and withdrawal.

Each use case locks the case row, checks the user's right through the transition's guard,
runs the transition, writes its audit event and queues its letter after commit. Two
concurrent changes cannot both win: the second waits for the lock, then finds the case
changed and is refused with `CaseChangedMeanwhile`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm
from guardian.shortcuts import assign_perm, remove_perm

from cases import letters, rules
from cases.models import OPEN_STATES, Assessment, Case, CaseState
from cases.models.assessment import ReviewOutcome, check_assessment
from ombudsman.audit.services import record_event
from ombudsman.letters.services import request_letter

# What the assigned officer holds on their case (django-guardian object permissions).
ASSIGNEE_PERMISSIONS = ("cases.view_case", "cases.change_case")


class CaseChangedMeanwhile(Exception):
    """Someone else changed the case since the user loaded it."""

    def __init__(self, case: Case) -> None:
        self.case = case
        super().__init__(
            _("This case changed meanwhile: it is now “%(state)s”. Check the page again before acting.")
            % {"state": case.get_state_display()}
        )


class TransitionRefused(PermissionDenied):
    """The user may see the case but may not take this step."""


def lock_case(case_id: int, expected_state: str | None = None) -> Case:
    case = Case.objects.select_for_update().get(pk=case_id)
    if expected_state is not None and case.state != expected_state:
        raise CaseChangedMeanwhile(case)
    return case


def ensure_transition_allowed(case: Case, transition: str, user: Any) -> None:
    method = getattr(case, transition)
    if not can_proceed(method):
        raise CaseChangedMeanwhile(case)
    if not has_transition_perm(method, user):
        raise TransitionRefused(_("You may not do this on this case."))


def run_transition(
    case: Case, transition: str, *, user: Any, data: dict[str, Any] | None = None, **arguments: Any
) -> Case:
    """Check the guard, apply the transition, save, and append the audit event."""
    ensure_transition_allowed(case, transition, user)
    from_state = case.state
    getattr(case, transition)(**arguments)
    case.save()
    record_event(case, transition, actor=user, from_state=from_state, to_state=case.state, data=data or {})
    return case


def _letter(case: Case, kind: letters.LetterKind, trigger: str, *, by: Any = None, **parameters: Any) -> None:
    request_letter(
        kind=kind.code,
        target=case,
        language=case.language,
        trigger_key=f"case:{case.pk}:{kind.code}:{trigger}",
        requested_by=by,
        parameters=parameters,
    )


def _ensure_officer(officer: Any) -> None:
    if officer is None or not officer.is_active or not rules.is_office_staff(officer):
        raise ValidationError(_("Cases can only be assigned to an active case officer or reviewer."))


def assign_case(*, case_id: int, by: Any, officer: Any, expected_state: str | None = None) -> Case:
    """Take a case from the intake queue (officers take it themselves; reviewers may assign anyone)."""
    with transaction.atomic():
        case = lock_case(case_id, expected_state)
        ensure_transition_allowed(case, "assign", by)
        if officer.pk != by.pk and not rules.is_reviewer(by):
            raise TransitionRefused(_("Only a reviewer assigns a case to someone else."))
        _ensure_officer(officer)
        run_transition(case, "assign", user=by, officer=officer, data={"officer": officer.get_username()})
        for permission in ASSIGNEE_PERMISSIONS:
            assign_perm(permission, officer, case)
    return case


def reassign_case(*, case_id: int, by: Any, officer: Any, expected_state: str | None = None) -> Case:
    """Give a case to another officer: the new one gains its object permissions, the old one loses them."""
    with transaction.atomic():
        case = lock_case(case_id, expected_state)
        ensure_transition_allowed(case, "reassign", by)
        _ensure_officer(officer)
        previous = case.assigned_to
        if previous is not None and previous.pk == officer.pk:
            raise ValidationError(_("The case is already assigned to this officer."))
        run_transition(
            case,
            "reassign",
            user=by,
            officer=officer,
            data={"from": previous.get_username() if previous else "", "to": officer.get_username()},
        )
        for permission in ASSIGNEE_PERMISSIONS:
            if previous is not None:
                remove_perm(permission, previous, case)
            assign_perm(permission, officer, case)
    return case


def propose_decision(
    *, case_id: int, by: Any, answers: dict[str, dict[str, str]], proposal: str, expected_state: str | None = None
) -> Assessment:
    """Record a new version of the assessment with its proposal; the case goes to review."""
    check_assessment(answers, proposal)
    with transaction.atomic():
        case = lock_case(case_id, expected_state)
        ensure_transition_allowed(case, "propose_decision", by)
        version = case.assessments.count() + 1
        assessment = Assessment.objects.create(
            case=case, version=version, proposed_by=by, answers=answers, proposal=proposal
        )
        run_transition(
            case,
            "propose_decision",
            user=by,
            by=by,
            proposal=proposal,
            data={"version": version, "proposal": proposal, "answers": answers},
        )
    return assessment


def _review(case_id: int, by: Any, comment: str, expected_state: str | None, transition: str, outcome: str) -> Case:
    with transaction.atomic():
        case = lock_case(case_id, expected_state)
        ensure_transition_allowed(case, transition, by)
        assessment = case.assessments.select_for_update().order_by("-version").first()
        assessment.record_review(reviewer=by, outcome=outcome, comment=comment)
        assessment.save()
        run_transition(case, transition, user=by, by=by, data={"version": assessment.version, "comment": comment})
        if case.state == CaseState.REJECTED:
            _letter(case, letters.DECISION, f"v{assessment.version}", by=by, assessment_id=assessment.pk)
    return case


def send_back_assessment(*, case_id: int, by: Any, comment: str, expected_state: str | None = None) -> Case:
    """A second officer returns the proposal to the assessing officer, with comments."""
    if not comment.strip():
        raise ValidationError(_("Say what must be reconsidered."))
    return _review(case_id, by, comment, expected_state, "send_back", ReviewOutcome.SENT_BACK)


def approve_assessment(*, case_id: int, by: Any, comment: str = "", expected_state: str | None = None) -> Case:
    """A second officer approves the proposal: the case is established or rejected."""
    return _review(case_id, by, comment, expected_state, "approve", ReviewOutcome.APPROVED)


def close_case(*, case_id: int, by: Any, note: str = "", expected_state: str | None = None) -> Case:
    """Close a concluded case and tell the complainant."""
    with transaction.atomic():
        case = lock_case(case_id, expected_state)
        outcome = case.state
        run_transition(case, "close", user=by, today=timezone.localdate(), data={"outcome": outcome, "note": note})
        _letter(case, letters.CLOSURE, "final", by=by, outcome=outcome, note=note)
    return case


def withdraw_case(*, case_id: int, by: Any, reason: str, expected_state: str | None = None) -> Case:
    """Record the complainant's wish to withdraw the complaint, and confirm it to them."""
    if not reason.strip():
        raise ValidationError(_("Say how the complainant asked to withdraw."))
    with transaction.atomic():
        case = lock_case(case_id, expected_state)
        run_transition(case, "withdraw", user=by, today=timezone.localdate(), data={"reason": reason})
        _letter(case, letters.WITHDRAWAL, "final", by=by, reason=reason)
    return case


def set_identity_recipient(*, case_id: int, by: Any, recipient: str, name: str = "", address: str = "") -> Case:
    """Record the complainant's (new) choice of who receives the identity of the holder."""
    from cases.models import IdentityRecipient

    if recipient not in IdentityRecipient.values:
        raise ValidationError(_("Choose the complainant, the police or the public prosecutor."))
    if recipient != IdentityRecipient.COMPLAINANT and not (name.strip() and address.strip()):
        raise ValidationError(_("Say which police zone or prosecutor's office, and its address."))
    with transaction.atomic():
        case = lock_case(case_id)
        if not rules.may_close_or_withdraw(case, by) or case.state not in OPEN_STATES:
            raise TransitionRefused(_("You may not change this on this case."))
        previous = case.identity_recipient
        case.identity_recipient = recipient
        case.identity_recipient_name = name.strip() if recipient != IdentityRecipient.COMPLAINANT else ""
        case.identity_recipient_address = address.strip() if recipient != IdentityRecipient.COMPLAINANT else ""
        case.save(update_fields=["identity_recipient", "identity_recipient_name", "identity_recipient_address"])
        record_event(case, "identity_recipient_changed", actor=by, data={"from": previous, "to": recipient})
    return case
