"""The BIPT officer's steps in a sanction procedure. Each is one transaction: lock, guard,
transition (which checks the rights of defence itself), audit event, letter after commit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm
from guardian.shortcuts import assign_perm, remove_perm

from enforcement import letters, rules
from enforcement.models import FineScale, ProcedureState, Referral, SanctionProcedure
from enforcement.models.procedure import FineProposal
from ombudsman.accounts.roles import BIPT_OFFICER, has_role
from ombudsman.audit.services import record_event
from ombudsman.deadlines import legal_due_date
from ombudsman.letters.services import request_letter

OFFICER_PERMISSIONS = (
    ("enforcement.view_referral", "referral"),
    ("enforcement.view_sanctionprocedure", "procedure"),
    ("enforcement.change_sanctionprocedure", "procedure"),
)


class ProcedureChangedMeanwhile(Exception):
    def __init__(self, procedure: SanctionProcedure) -> None:
        self.procedure = procedure
        super().__init__(
            _("This procedure changed meanwhile: it is now “%(state)s”. Check the page again before acting.")
            % {"state": procedure.get_state_display()}
        )


class ProcedureStepRefused(PermissionDenied):
    pass


def lock_procedure(procedure_id: int, expected_state: str | None = None) -> SanctionProcedure:
    procedure = (
        SanctionProcedure.objects.select_for_update(of=("self",))
        .select_related("referral__organisation")
        .get(pk=procedure_id)
    )
    if expected_state is not None and procedure.state != expected_state:
        raise ProcedureChangedMeanwhile(procedure)
    return procedure


def procedure_letter(
    procedure: SanctionProcedure, kind: Any, trigger: str, *, by: Any = None, **parameters: Any
) -> None:
    request_letter(
        kind=kind.code,
        target=procedure,
        language=procedure.referral.organisation.letter_language,
        trigger_key=f"procedure:{procedure.pk}:{kind.code}:{trigger}",
        requested_by=by,
        parameters=parameters,
    )


def assign_referral(*, referral_id: int, by: Any, officer: Any) -> Referral:
    """A head of BIPT gives the referral to an officer, who gains its object permissions."""
    if not rules.is_bipt_head(by):
        raise ProcedureStepRefused(_("Only a head of enforcement assigns referrals."))
    if officer is None or not officer.is_active or not has_role(officer, BIPT_OFFICER):
        raise ValidationError(_("Referrals are assigned to an active BIPT enforcement officer."))
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral_id)
        procedure = referral.procedure
        previous = referral.assigned_to
        targets = {"referral": referral, "procedure": procedure}
        for permission, target in OFFICER_PERMISSIONS:
            if previous is not None:
                remove_perm(permission, previous, targets[target])
            assign_perm(permission, officer, targets[target])
        referral.assigned_to = officer
        referral.save(update_fields=["assigned_to"])
        record_event(
            referral,
            "referral_assigned",
            actor=by,
            data={"from": previous.get_username() if previous else "", "to": officer.get_username()},
        )
    return referral


def propose_fine(
    procedure: SanctionProcedure,
    *,
    seriousness: str,
    duration_days: int,
    repeated: bool,
    cooperation: str,
    turnover: Decimal | None,
) -> FineProposal:
    return FineScale.current().propose(
        seriousness=seriousness,
        duration_days=duration_days,
        repeated=repeated,
        cooperation=cooperation,
        turnover=turnover,
    )


def run_procedure_step(
    *, procedure_id: int, step: str, by: Any, expected_state: str | None = None, **values: Any
) -> SanctionProcedure:
    """Take one step of the procedure (see STEPS below) with the values of its form."""
    if step not in STEPS:
        raise ProcedureStepRefused(_("Unknown step."))
    with transaction.atomic():
        procedure = lock_procedure(procedure_id, expected_state)
        method = getattr(procedure, step)
        if not can_proceed(method):
            raise ProcedureChangedMeanwhile(procedure)
        if not has_transition_perm(method, by):
            raise ProcedureStepRefused(_("You may not do this in this procedure."))
        from_state = procedure.state
        today = timezone.localdate()
        arguments, audit_data, letter = STEPS[step](procedure, by, today, values)
        method(**arguments)
        procedure.save()
        record_event(procedure, step, actor=by, from_state=from_state, to_state=procedure.state, data=audit_data)
        if letter:
            for kind, trigger in letter(procedure):
                procedure_letter(procedure, kind, trigger, by=by)
    return procedure


# Each step: its arguments to the transition, what the audit event records, and its letters.


def _open(procedure, by, today, values):
    return {"today": today}, {}, None


def _grievances(procedure, by, today, values):
    due = legal_due_date(today, settings.DEFENCE_PERIOD_DAYS)
    return (
        {
            "grievances": values.get("grievances", ""),
            "evidence_list": values.get("evidence_list", ""),
            "today": today,
            "defence_due_on": due,
        },
        {"defence_due_on": due},
        lambda p: [(letters.GRIEVANCES, "notice")],
    )


def _record_defence(procedure, by, today, values):
    return {"summary": values.get("summary", ""), "received_on": values.get("received_on") or today}, {}, None


def _schedule_hearing(procedure, by, today, values):
    at = values.get("at")
    if at is None:
        raise ValidationError(_("Give the date and time of the hearing."))
    return (
        {"at": at, "now": timezone.now()},
        {"hearing_at": at},
        lambda p: [(letters.HEARING_INVITATION, f"{at:%Y%m%d%H%M}")],
    )


def _hold_hearing(procedure, by, today, values):
    return {"minutes": values.get("minutes", ""), "today": today}, {}, None


def _draft(procedure, by, today, values):
    due = legal_due_date(today, settings.DRAFT_ANSWER_DAYS)
    return (
        {"text": values.get("text", ""), "today": today, "answer_due_on": due},
        {"answer_due_on": due},
        lambda p: [(letters.DRAFT_DECISION, "draft")],
    )


def _decide(procedure, by, today, values):
    fine = bool(values.get("fine"))
    if fine:
        procedure.seriousness = values.get("seriousness") or ""
        procedure.duration_days = values.get("duration_days")
        procedure.repeated = bool(values.get("repeated"))
        procedure.cooperation = values.get("cooperation") or ""
        procedure.turnover_eur = values.get("turnover")
        procedure.confidential_terms = [t.strip() for t in values.get("confidential_terms", []) if t.strip()]
        if procedure.seriousness and procedure.cooperation and procedure.duration_days is not None:
            procedure.proposed_amount = propose_fine(
                procedure,
                seriousness=procedure.seriousness,
                duration_days=procedure.duration_days,
                repeated=procedure.repeated,
                cooperation=procedure.cooperation,
                turnover=procedure.turnover_eur,
            ).amount
    maximum = FineScale.current().maximum(procedure.turnover_eur)
    arguments = {
        "fine": fine,
        "reasons": values.get("reasons", ""),
        "today": today,
        "by": by,
        "maximum": maximum,
        "appeal_deadline": legal_due_date(today, settings.APPEAL_DAYS),
        "payment_due_on": legal_due_date(today, settings.PAYMENT_DAYS) if fine else None,
        "amount": values.get("amount"),
    }
    audit = {
        "fine": fine,
        "amount": values.get("amount"),
        "proposed": procedure.proposed_amount,
        "seriousness": procedure.seriousness,
        "maximum": maximum,
    }
    return (
        arguments,
        audit,
        lambda p: (
            [(letters.FINE_DECISION, "decision"), (letters.FINE_DECISION_PUBLIC, "decision")]
            if p.state == ProcedureState.FINE_IMPOSED
            else [(letters.DISMISSAL, "decision")]
        ),
    )


def _appeal(procedure, by, today, values):
    return {"lodged_on": values.get("lodged_on") or today}, {}, None


def _judgment(procedure, by, today, values):
    return (
        {
            "judgment": values.get("judgment", ""),
            "judged_on": values.get("judged_on") or today,
            "reduced_amount": values.get("reduced_amount"),
        },
        {"judgment": values.get("judgment"), "reduced_amount": values.get("reduced_amount")},
        None,
    )


def _payment(procedure, by, today, values):
    return (
        {"paid_on": values.get("paid_on") or today, "amount": values.get("amount")},
        {"amount": values.get("amount")},
        None,
    )


def _compliance_restored(procedure, by, today, values):
    return (
        {"reasons": values.get("reasons", ""), "today": today},
        {"reasons": values.get("reasons", "")},
        (lambda p: [(letters.DISMISSAL, "compliance")]),
    )


def _close(procedure, by, today, values):
    return {"today": today}, {}, lambda p: [(letters.PROCEDURE_CLOSURE, "closure")]


STEPS = {
    "open_investigation": _open,
    "notify_grievances": _grievances,
    "record_defence": _record_defence,
    "schedule_hearing": _schedule_hearing,
    "hold_hearing": _hold_hearing,
    "draft_decision": _draft,
    "decide": _decide,
    "record_appeal": _appeal,
    "record_judgment": _judgment,
    "record_payment": _payment,
    "compliance_restored": _compliance_restored,
    "close": _close,
}


def record_draft_answer(*, procedure_id: int, by: Any, received_on: date, summary: str) -> SanctionProcedure:
    """The platform answered the draft decision: the decision may follow without waiting."""
    with transaction.atomic():
        procedure = lock_procedure(procedure_id, ProcedureState.DRAFT_DECISION)
        if not rules.is_procedure_officer(procedure, by):
            raise ProcedureStepRefused(_("You may not do this in this procedure."))
        if not summary.strip():
            raise ValidationError(_("Summarise the platform's answer to the draft."))
        procedure.draft_answer_received_on = received_on
        procedure.save(update_fields=["draft_answer_received_on"])
        record_event(procedure, "draft_answer_received", actor=by, data={"summary": summary.strip()})
    return procedure


def continue_despite_compliance(*, procedure_id: int, by: Any, reasons: str) -> SanctionProcedure:
    """The platform answered late, but the procedure goes on (e.g. repeated non-cooperation)."""
    with transaction.atomic():
        procedure = lock_procedure(procedure_id)
        if procedure.state not in (ProcedureState.INVESTIGATING, ProcedureState.GRIEVANCES_NOTIFIED):
            raise ProcedureChangedMeanwhile(procedure)
        if not rules.is_procedure_officer(procedure, by):
            raise ProcedureStepRefused(_("You may not do this in this procedure."))
        if len(reasons.strip()) < 20:
            raise ValidationError(_("Give the reasons for continuing the procedure."))
        record_event(procedure, "compliance_noted_procedure_continues", actor=by, data={"reasons": reasons.strip()})
    return procedure
