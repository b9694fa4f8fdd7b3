"""Deadlines of sanction procedures, in the same periodic sweep as every other deadline."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from enforcement import letters
from enforcement.models import SanctionProcedure
from enforcement.models.procedure import FINE_STATES, ProcedureState
from enforcement.services.procedure import procedure_letter
from ombudsman.audit.services import SYSTEM, record_event
from ombudsman.deadlines.sweep import register_sweeper

BATCH_SIZE = 200


def _batches(queryset: QuerySet[SanctionProcedure]):
    """Locked batches of due procedures until none is left (others' locked rows are skipped)."""
    while True:
        with transaction.atomic():
            batch = list(
                queryset.select_for_update(skip_locked=True, of=("self",))
                .select_related("referral__organisation")
                .order_by()[:BATCH_SIZE]
            )
            if not batch:
                return
            yield batch


@register_sweeper("enforcement.close_defence_periods")
def close_defence_periods(today: date) -> int:
    """The day after the defence period: the defence is closed (the draft decision may follow)."""
    handled = 0
    for batch in _batches(
        SanctionProcedure.objects.filter(state=ProcedureState.GRIEVANCES_NOTIFIED, defence_due_on__lt=today)
    ):
        for procedure in batch:
            procedure.close_defence(today=today)
            procedure.save()
            record_event(
                procedure,
                "close_defence",
                actor_label=SYSTEM,
                from_state=ProcedureState.GRIEVANCES_NOTIFIED,
                to_state=procedure.state,
                data={"defence_due_on": str(procedure.defence_due_on)},
            )
        handled += len(batch)
    return handled


@register_sweeper("enforcement.finalise_unappealed_decisions")
def finalise_unappealed_decisions(today: date) -> int:
    """After the appeal window with no appeal recorded, the fine decision is final."""
    handled = 0
    for batch in _batches(
        SanctionProcedure.objects.filter(
            state=ProcedureState.FINE_IMPOSED, final_on__isnull=True, appeal_deadline__lt=today
        )
    ):
        for procedure in batch:
            procedure.final_on = today
            procedure.save(update_fields=["final_on"])
            record_event(
                procedure,
                "decision_final",
                actor_label=SYSTEM,
                data={"appeal_deadline": str(procedure.appeal_deadline)},
            )
        handled += len(batch)
    return handled


@register_sweeper("enforcement.remind_unpaid_fines")
def remind_unpaid_fines(today: date) -> int:
    """The day after the payment due date, one payment reminder."""
    handled = 0
    for batch in _batches(
        SanctionProcedure.objects.filter(
            state__in=FINE_STATES, payment_reminder_sent_at__isnull=True, payment_due_on__lt=today
        )
    ):
        for procedure in batch:
            procedure.payment_reminder_sent_at = timezone.now()
            procedure.save(update_fields=["payment_reminder_sent_at"])
            record_event(
                procedure,
                "payment_reminder_sent",
                actor_label=SYSTEM,
                data={"payment_due_on": str(procedure.payment_due_on)},
            )
            procedure_letter(procedure, letters.PAYMENT_REMINDER, f"due-{procedure.payment_due_on}")
        handled += len(batch)
    return handled
