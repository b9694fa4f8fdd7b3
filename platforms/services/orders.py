"""The officer's side of disclosure orders: draft, issue, decide on extensions and answers,
and end the chain. Each use case is one transaction; letters are queued after commit."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import rules as case_rules
from cases.models import Case, CaseState
from cases.models.case import disclosure_chain_ended
from cases.services.handling import TransitionRefused, ensure_transition_allowed, lock_case, run_transition
from ombudsman.audit.services import record_event
from ombudsman.deadlines import legal_due_date
from ombudsman.deadlines.calendar import add_working_days
from ombudsman.letters.services import request_letter
from platforms import letters
from platforms.models import (
    DataItem,
    DisclosureAnswer,
    DisclosureOrder,
    OrderDeadline,
    OrderKind,
    OrderState,
    Organisation,
)
from platforms.models.answer import AnswerReview
from platforms.services.common import lock_order, run_step, share_with_liaisons

DRAFTING_STATES = (CaseState.ESTABLISHED, CaseState.DISCLOSURE_PENDING)


def may_draft_order(case: Case, user: Any) -> bool:
    return case.state in DRAFTING_STATES and case_rules.is_assignee(case, user)


def order_letter(order: DisclosureOrder, kind: Any, trigger: str, *, by: Any = None, **parameters: Any) -> None:
    request_letter(
        kind=kind.code,
        target=order,
        language=order.organisation.letter_language,
        trigger_key=f"order:{order.pk}:{kind.code}:{trigger}",
        requested_by=by,
        parameters=parameters,
    )


def case_letter(case: Case, kind: Any, trigger: str, *, by: Any = None, **parameters: Any) -> None:
    request_letter(
        kind=kind.code,
        target=case,
        language=case.language,
        trigger_key=f"case:{case.pk}:{kind.code}:{trigger}",
        requested_by=by,
        parameters=parameters,
    )


def _check_order_content(
    organisation: Organisation, kind: str, identifiers: list[dict[str, Any]], data_requested: list[str], reasons: str
) -> None:
    errors = []
    if kind not in OrderKind.values:
        errors.append(_("Choose the kind of order."))
    if (
        kind in (OrderKind.IP_SUBSCRIBER, OrderKind.NUMBER_SUBSCRIBER)
        and organisation.kind != Organisation.Kind.OPERATOR
    ):
        errors.append(_("Orders about a subscriber go to a telecom operator."))
    if not identifiers:
        errors.append(_("Name at least one identifier the order is about."))
    if not data_requested or any(item not in DataItem.values for item in data_requested):
        errors.append(_("Choose the data the order asks for."))
    if len(reasons.strip()) < 40:
        errors.append(_("State the reasons: objective, necessity and proportionality (at least a few sentences)."))
    if errors:
        raise ValidationError(errors)


def draft_order(
    *,
    case_id: int,
    by: Any,
    organisation: Organisation,
    kind: str,
    identifiers: list[dict[str, Any]],
    data_requested: list[str],
    reasons: str,
    follows: DisclosureOrder | None = None,
    joint_cases: list[Case] | None = None,
) -> DisclosureOrder:
    """Prepare an order to a platform, or a follow-up order to the operator an answer named.
    `joint_cases`: other established cases naming the same identifier, covered by the same order."""
    _check_order_content(organisation, kind, identifiers, data_requested, reasons)
    with transaction.atomic():
        case = lock_case(case_id)
        if not may_draft_order(case, by):
            raise TransitionRefused(_("Only the officer of an established case drafts its orders."))
        if follows is not None:
            follows = DisclosureOrder.objects.get(pk=follows.pk)  # its state now, not as the caller saw it
        if follows is not None and (follows.case_id != case.pk or follows.state != OrderState.FULFILLED):
            raise ValidationError(_("A follow-up order follows an accepted answer of the same case."))
        joint = _check_joint_cases(case, by, joint_cases or [])
        number = case.orders.count() + 1
        order = DisclosureOrder.objects.create(
            reference=f"{case.reference}-D{number}",
            case=case,
            organisation=organisation,
            follows=follows,
            kind=kind,
            identifiers=identifiers,
            data_requested=data_requested,
            reasons=reasons.strip(),
            drafted_by=by,
        )
        order.joint_cases.set(joint)
        record_event(
            order,
            "draft",
            actor=by,
            to_state=order.state,
            data={
                "case": case.reference,
                "organisation": organisation.name,
                "follows": follows.reference if follows else "",
                "joint_cases": [c.reference for c in joint],
            },
        )
    return order


def _check_joint_cases(case: Case, by: Any, joint_cases: list[Case]) -> list[Case]:
    from cases.search import linked_cases

    if not joint_cases:
        return []
    allowed = set(linked_cases(case, by).filter(state=CaseState.ESTABLISHED).values_list("pk", flat=True))
    refused = [c.reference for c in joint_cases if c.pk not in allowed]
    if refused:
        raise ValidationError(
            _("A joint order covers only established cases naming the same identifier: %(cases)s.")
            % {"cases": ", ".join(refused)}
        )
    return list(Case.objects.filter(pk__in=[c.pk for c in joint_cases]).order_by("pk"))


class OrderDue(NamedTuple):
    days: int  # the organisation's time to answer, in calendar days
    due_on: date
    reminder_on: date


def due_dates(organisation: Organisation, kind: str, start: date) -> OrderDue:
    """The time to answer an order issued on `start`, its due date and the day of its reminder."""
    days = OrderDeadline.days_for(organisation, kind)
    due_on = legal_due_date(start, days)
    reminder_on = max(add_working_days(due_on, -settings.ORDER_REMINDER_WORKING_DAYS), start)
    return OrderDue(days, due_on, reminder_on)


def issue_order(*, order_id: int, by: Any, expected_state: str | None = None) -> DisclosureOrder:
    """Send the order: letter to the contact point, shared in the portal, due date set."""
    with transaction.atomic():
        order = lock_order(order_id, expected_state)
        case = lock_case(order.case_id)
        days, due_on, reminder_on = due_dates(order.organisation, order.kind, timezone.localdate())
        run_step(order, "issue", user=by, by=by, due_on=due_on, reminder_on=reminder_on, data={"due_on": due_on})
        for covered in [case, *(lock_case(c.pk) for c in order.joint_cases.order_by("pk"))]:
            if covered.state == CaseState.ESTABLISHED:
                covered.order_disclosure()
                covered.save()
                record_event(
                    covered,
                    "order_disclosure",
                    actor=by,
                    from_state=CaseState.ESTABLISHED,
                    to_state=covered.state,
                    data={"order": order.reference},
                )
        share_with_liaisons(order)
        # The letter states the time the due date was computed with, whatever changes later.
        order_letter(order, letters.DISCLOSURE_ORDER, "issue", by=by, days=days)
    return order


def withdraw_order(*, order_id: int, by: Any, reason: str, expected_state: str | None = None) -> DisclosureOrder:
    if not reason.strip():
        raise ValidationError(_("Say why the order is withdrawn."))
    with transaction.atomic():
        order = lock_order(order_id, expected_state)
        was_issued = order.state != OrderState.DRAFT
        run_step(order, "withdraw", user=by, data={"reason": reason})
        if was_issued:
            order_letter(order, letters.ORDER_WITHDRAWN, "withdraw", by=by, reason=reason)
    return order


def decide_extension(
    *, order_id: int, by: Any, grant: bool, new_due_on: date | None = None, expected_state: str | None = None
) -> DisclosureOrder:
    """Grant the platform a new due date, or refuse (the original date stands)."""
    with transaction.atomic():
        order = lock_order(order_id, expected_state)
        if grant:
            if new_due_on is None or new_due_on <= (order.due_on or timezone.localdate()):
                raise ValidationError(_("A new due date comes after the current one."))
            reminder_on = max(add_working_days(new_due_on, -settings.ORDER_REMINDER_WORKING_DAYS), timezone.localdate())
            run_step(
                order,
                "grant_extension",
                user=by,
                due_on=new_due_on,
                reminder_on=reminder_on,
                data={"due_on": new_due_on},
            )
        else:
            run_step(order, "refuse_extension", user=by, data={"due_on": order.due_on})
        order_letter(
            order, letters.EXTENSION_DECISION, f"{order.pk}-{timezone.now():%Y%m%d%H%M%S%f}", by=by, granted=grant
        )
    return order


def _latest_answer(order: DisclosureOrder) -> DisclosureAnswer:
    return order.answers.select_for_update().order_by("-answered_at", "-id").first()


def accept_answer(*, order_id: int, by: Any, expected_state: str | None = None) -> DisclosureOrder:
    """Accept the answer. If it names a holder, the case is identified and the identity letter goes out."""
    with transaction.atomic():
        order = lock_order(order_id, expected_state)
        case = lock_case(order.case_id)
        answer = _latest_answer(order)
        run_step(order, "accept_answer", user=by, data={"outcome": answer.outcome, "names_holder": answer.names_holder})
        answer.review, answer.reviewed_by, answer.reviewed_at = AnswerReview.ACCEPTED, by, timezone.now()
        answer.save(update_fields=["review", "reviewed_by", "reviewed_at"])
        if answer.names_holder:
            # Each case the order covers is identified and gets its own identification letter.
            for covered in [case, *(lock_case(c.pk) for c in order.joint_cases.order_by("pk"))]:
                if covered.state != CaseState.DISCLOSURE_PENDING:
                    continue
                covered.record_identified()
                covered.save()
                record_event(
                    covered,
                    "record_identified",
                    actor=by,
                    from_state=CaseState.DISCLOSURE_PENDING,
                    to_state=covered.state,
                    data={"order": order.reference},
                )
                case_letter(covered, letters.IDENTIFICATION, f"answer-{answer.pk}", by=by, answer_id=answer.pk)
    return order


def reject_answer(*, order_id: int, by: Any, reasons: str, expected_state: str | None = None) -> DisclosureOrder:
    """The answer is incomplete: back to the organisation with reasons and a new due date."""
    if not reasons.strip():
        raise ValidationError(_("Say what is missing from the answer."))
    with transaction.atomic():
        order = lock_order(order_id, expected_state)
        answer = _latest_answer(order)
        _days, due_on, reminder_on = due_dates(order.organisation, order.kind, timezone.localdate())
        run_step(
            order,
            "reject_answer",
            user=by,
            due_on=due_on,
            reminder_on=reminder_on,
            data={"reasons": reasons, "due_on": due_on},
        )
        answer.review, answer.reviewed_by, answer.reviewed_at = AnswerReview.REJECTED, by, timezone.now()
        answer.review_reasons = reasons
        answer.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_reasons"])
        order_letter(order, letters.ANSWER_REJECTED, f"answer-{answer.pk}", by=by, answer_id=answer.pk)
    return order


def conclude_not_identified(*, case_id: int, by: Any, note: str = "", expected_state: str | None = None) -> Case:
    """The chain ended without a holder (no data, VPN, foreign operator): tell the complainant."""
    with transaction.atomic():
        case = lock_case(case_id, expected_state)
        if case.state == CaseState.DISCLOSURE_PENDING and not disclosure_chain_ended(case):
            raise ValidationError(_("Orders of this case are still open: withdraw or settle them first."))
        ensure_transition_allowed(case, "record_not_identified", by)
        run_transition(case, "record_not_identified", user=by, data={"note": note})
        case_letter(case, letters.NO_RESULT, "final", by=by, note=note)
    return case
