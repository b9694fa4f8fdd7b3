"""Deadlines of disclosure orders, enforced by the periodic sweep (ombudsman.deadlines.sweep).

Each sweeper takes what is due in batches locked with `select_for_update(skip_locked=True)`,
applies the state machine's transition to every order of the batch, and writes the batch
with one UPDATE, one insert of audit events and one insert of letter requests. What was
handled no longer matches the selection, so running the sweep twice changes nothing, and
anything past due is found however long the sweep did not run."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from enforcement.services.referrals import open_referrals
from ombudsman.audit.services import SYSTEM, EventSpec, record_events
from ombudsman.deadlines import legal_due_date
from ombudsman.deadlines.sweep import register_sweeper
from ombudsman.letters.services import LetterSpec, request_letters
from platforms import letters
from platforms.models import DisclosureOrder, OrderState
from platforms.models.order import AWAITING_ANSWER

BATCH_SIZE = 5000
# What the transitions, the audit events and the letters need; not the texts and lists of the order.
SWEPT_FIELDS = (
    "id",
    "reference",
    "state",
    "due_on",
    "reminder_sent_at",
    "overdue_since",
    "grace_until",
    "escalated_at",
    "case_id",
    "organisation_id",
)


def _locked_batch(queryset: QuerySet[DisclosureOrder], batch_size: int) -> list[DisclosureOrder]:
    # Only the order rows are loaded (cheaper than whole cases): the case reference and the
    # letter language come along as annotations.
    return list(
        queryset.select_for_update(skip_locked=True, of=("self",))
        .only(*SWEPT_FIELDS)
        .annotate(case_reference=F("case__reference"), letter_language=F("organisation__letter_language"))
        # No ordering: any due rows will do, and the index on (state, due date) finds them at once.
        .order_by()[:batch_size]
    )


def _save_uniform(batch: list[DisclosureOrder], fields: list[str]) -> None:
    """One UPDATE for the batch: the transition gave every order the same new values."""
    first = batch[0]
    values = {field: getattr(first, field) for field in fields}
    assert all(getattr(order, field) == value for order in batch for field, value in values.items())
    DisclosureOrder.objects.filter(pk__in=[order.pk for order in batch]).update(**values)


def _event(order: DisclosureOrder, action: str, from_state: str, **data: Any) -> EventSpec:
    return EventSpec(
        obj=order,
        action=action,
        actor_label=SYSTEM,
        from_state=from_state,
        to_state=order.state,
        data={"case": order.case_reference, **data},
    )


def _letter(order: DisclosureOrder, kind: Any, episode: str) -> LetterSpec:
    return LetterSpec(
        kind=kind.code,
        target=order,
        language=order.letter_language,
        trigger_key=f"order:{order.pk}:{kind.code}:{episode}",
    )


@register_sweeper("platforms.remind_orders")
def remind_orders(today: date, batch_size: int = BATCH_SIZE) -> int:
    """A reminder a few working days before the due date, once per due date."""
    handled = 0
    while True:
        with transaction.atomic():
            batch = _locked_batch(
                DisclosureOrder.objects.filter(
                    state__in=AWAITING_ANSWER, reminder_sent_at__isnull=True, reminder_on__lte=today, due_on__gte=today
                ),
                batch_size,
            )
            if not batch:
                return handled
            now = timezone.now()
            for order in batch:
                order.reminder_sent_at = now
            _save_uniform(batch, ["reminder_sent_at"])
            record_events([_event(o, "reminder_sent", o.state, due_on=str(o.due_on)) for o in batch])
            request_letters([_letter(o, letters.REMINDER, f"due-{o.due_on}") for o in batch])
            handled += len(batch)


@register_sweeper("platforms.mark_overdue_orders")
def mark_overdue_orders(today: date, batch_size: int = BATCH_SIZE) -> int:
    """The day after the due date: overdue, and a formal notice with a grace period."""
    grace_until = legal_due_date(today, settings.FORMAL_NOTICE_GRACE_DAYS)
    handled = 0
    while True:
        with transaction.atomic():
            batch = _locked_batch(
                DisclosureOrder.objects.filter(state__in=AWAITING_ANSWER, due_on__lt=today), batch_size
            )
            if not batch:
                return handled
            events = []
            for order in batch:
                from_state = order.state
                order.mark_overdue(today=today, grace_until=grace_until)
                events.append(
                    _event(order, "mark_overdue", from_state, due_on=str(order.due_on), grace_until=str(grace_until))
                )
            _save_uniform(batch, ["state", "overdue_since", "grace_until"])
            record_events(events)
            request_letters([_letter(o, letters.FORMAL_NOTICE, f"due-{o.due_on}") for o in batch])
            handled += len(batch)


@register_sweeper("platforms.escalate_orders")
def escalate_orders(today: date, batch_size: int = BATCH_SIZE) -> int:
    """After the grace period: escalated, and a referral to BIPT is opened."""
    handled = 0
    while True:
        with transaction.atomic():
            batch = _locked_batch(
                DisclosureOrder.objects.filter(state=OrderState.OVERDUE, grace_until__lt=today), batch_size
            )
            if not batch:
                return handled
            events = []
            for order in batch:
                order.escalate()
                order.escalated_at = batch[0].escalated_at  # one moment for the whole batch
                events.append(_event(order, "escalate", OrderState.OVERDUE, referral=f"BIPT-{order.reference}"))
            _save_uniform(batch, ["state", "escalated_at"])
            open_referrals(
                [
                    (
                        order,
                        f"No answer to order {order.reference} due {order.due_on:%Y-%m-%d}, nor within the grace "
                        f"period after the formal notice (until {order.grace_until:%Y-%m-%d}).",
                    )
                    for order in batch
                ]
            )
            record_events(events)
            handled += len(batch)
