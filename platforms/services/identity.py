"""Reading identity data: only with a stated purpose, and every reading is logged."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import rules as case_rules
from cases.services.handling import TransitionRefused
from ombudsman.audit.services import record_event
from platforms.models import DisclosureAnswer, IdentityAccess


def may_read_identity(case: Any, user: Any) -> bool:
    return case_rules.is_assignee(case, user) or case_rules.is_reviewer(user)


def reading_case(order: Any, user: Any) -> Any:
    """The case from which the user reads an order's identity data (theirs), or None."""
    for case in order.all_cases():
        if case_rules.is_assignee(case, user):
            return case
    return order.case if case_rules.is_reviewer(user) else None


def read_identity(*, answer_id: int, by: Any, purpose: str) -> dict[str, Any]:
    """The identity data of an answer, for an officer of the case who states why."""
    if len(purpose.strip()) < 10:
        raise ValidationError(_("State the purpose of reading the identity data (a sentence)."))
    with transaction.atomic():
        answer = DisclosureAnswer.objects.select_related("order__case").get(pk=answer_id)
        case = reading_case(answer.order, by)
        if case is None:
            raise TransitionRefused(_("You may not read the identity data of this case."))
        if not answer.identity_ciphertext:
            raise ValidationError(_("The identity data of this answer was erased at the end of its retention period."))
        log_identity_reading(answer, purpose=purpose.strip(), user=by, case=case)
        return answer.unseal_identity()


def log_identity_reading(
    answer: DisclosureAnswer, *, purpose: str, user: Any = None, actor_label: str = "", case: Any = None
) -> None:
    """Log a reading against the case it was read for (the order's own case by default)."""
    case = case or answer.order.case
    IdentityAccess.objects.create(answer=answer, case=case, user=user, actor_label=actor_label, purpose=purpose)
    record_event(
        case,
        "identity_read",
        actor=user,
        actor_label=actor_label,
        data={"order": answer.order.reference, "answer_id": answer.pk, "purpose": purpose},
    )
