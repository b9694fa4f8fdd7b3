"""The platform's side: acknowledge an order, ask for more time, answer it (portal or API)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platforms.models import AnswerOutcome, DisclosureAnswer, DisclosureOrder
from platforms.services.common import lock_order, run_step

IDENTITY_FIELDS = ("holder_name", "email", "phone", "postal_address", "ip_addresses", "account")


def acknowledge_order(*, order_id: int, by: Any, expected_state: str | None = None) -> DisclosureOrder:
    """Confirm receipt of the order (DSA art. 10(1))."""
    with transaction.atomic():
        order = lock_order(order_id, expected_state)
        return run_step(order, "acknowledge", user=by)


def request_extension(
    *, order_id: int, by: Any, until: date, reasons: str, expected_state: str | None = None
) -> DisclosureOrder:
    """Ask the officer for a later due date, with reasons."""
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons for needing more time.")]})
    with transaction.atomic():
        order = lock_order(order_id, expected_state)
        if order.due_on is not None and until <= order.due_on:
            raise ValidationError({"until": [_("Ask for a date after the current due date.")]})
        return run_step(
            order, "request_extension", user=by, until=until, reasons=reasons, data={"until": until, "reasons": reasons}
        )


def submit_answer(
    *,
    order_id: int,
    by: Any,
    outcome: str,
    identity: dict[str, Any] | None = None,
    refusal_reasons: str = "",
    channel: str,
    expected_state: str | None = None,
) -> DisclosureAnswer:
    """Answer with identity data, "no data held", or a reasoned refusal. Identity data is
    encrypted before it is stored, and never written to the audit trail."""
    identity = {key: value for key, value in (identity or {}).items() if key in IDENTITY_FIELDS and value}
    if outcome not in AnswerOutcome.values:
        raise ValidationError({"outcome": [_("Choose identity data, no data held, or refusal.")]})
    if outcome == AnswerOutcome.IDENTITY and not identity:
        raise ValidationError({"identity": [_("Give at least one item of identity data.")]})
    if outcome != AnswerOutcome.IDENTITY and identity:
        raise ValidationError({"identity": [_("Identity data goes with the outcome “identity data provided”.")]})
    if outcome == AnswerOutcome.REFUSAL and not refusal_reasons.strip():
        raise ValidationError({"refusal_reasons": [_("A refusal states its reasons.")]})
    with transaction.atomic():
        order = lock_order(order_id, expected_state)
        answer = DisclosureAnswer(
            order=order,
            outcome=outcome,
            names_holder=bool(identity.get("holder_name")),
            refusal_reasons=refusal_reasons.strip(),
            answered_by=by,
            answered_at=timezone.now(),
            channel=channel,
        )
        answer.seal_identity(identity)
        run_step(
            order,
            "answer",
            user=by,
            data={
                "outcome": outcome,
                "channel": channel,
                # Which items were given, never their values.
                "items": sorted(identity),
                "names_holder": answer.names_holder,
            },
        )
        answer.save()
    return answer


def issue_api_token(*, user: Any) -> str:
    """A new API token for a liaison user; the previous one stops working."""
    from rest_framework.authtoken.models import Token

    from ombudsman.accounts.roles import PLATFORM_LIAISON, has_role
    from ombudsman.audit.services import record_event
    from platforms.services.common import OrderStepRefused

    if not has_role(user, PLATFORM_LIAISON):
        raise OrderStepRefused(_("Only the liaison users of platforms and operators use the API."))
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        record_event(user, "api_token_issued", actor=user)
    return token.key
