"""The steps offered on an order page, from the order's state machine (one per transition)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from platforms import forms, services
from platforms.models import DisclosureOrder


@dataclass(frozen=True)
class OrderAction:
    transition: str
    title: str | Promise
    button: str | Promise
    form_class: type[forms.StepForm]
    perform: Callable[[DisclosureOrder, Any, dict[str, Any], Any], Any]


def _state(data: dict[str, Any]) -> str:
    return data["expected_state"]


OFFICER_ACTIONS = {
    action.transition: action
    for action in [
        OrderAction(
            "issue",
            _("Issue the order"),
            _("Issue"),
            forms.IssueForm,
            lambda o, u, d, f: services.issue_order(order_id=o.pk, by=u, expected_state=_state(d)),
        ),
        OrderAction(
            "grant_extension",
            _("Grant the extension"),
            _("Grant"),
            forms.GrantExtensionForm,
            lambda o, u, d, f: services.decide_extension(
                order_id=o.pk, by=u, grant=True, new_due_on=d["new_due_on"], expected_state=_state(d)
            ),
        ),
        OrderAction(
            "refuse_extension",
            _("Refuse the extension"),
            _("Refuse"),
            forms.RefuseExtensionForm,
            lambda o, u, d, f: services.decide_extension(order_id=o.pk, by=u, grant=False, expected_state=_state(d)),
        ),
        OrderAction(
            "accept_answer",
            _("Accept the answer"),
            _("Accept"),
            forms.AcceptAnswerForm,
            lambda o, u, d, f: services.accept_answer(order_id=o.pk, by=u, expected_state=_state(d)),
        ),
        OrderAction(
            "reject_answer",
            _("Reject the answer as incomplete"),
            _("Reject"),
            forms.RejectAnswerForm,
            lambda o, u, d, f: services.reject_answer(
                order_id=o.pk, by=u, reasons=d["reasons"], expected_state=_state(d)
            ),
        ),
        OrderAction(
            "withdraw",
            _("Withdraw the order"),
            _("Withdraw"),
            forms.WithdrawForm,
            lambda o, u, d, f: services.withdraw_order(
                order_id=o.pk, by=u, reason=d["reason"], expected_state=_state(d)
            ),
        ),
    ]
}

LIAISON_ACTIONS = {
    action.transition: action
    for action in [
        OrderAction(
            "acknowledge",
            _("Acknowledge receipt"),
            _("Acknowledge"),
            forms.AcknowledgeForm,
            lambda o, u, d, f: services.acknowledge_order(order_id=o.pk, by=u, expected_state=_state(d)),
        ),
        OrderAction(
            "request_extension",
            _("Ask for more time"),
            _("Send the request"),
            forms.ExtensionRequestForm,
            lambda o, u, d, f: services.request_extension(
                order_id=o.pk, by=u, until=d["until"], reasons=d["reasons"], expected_state=_state(d)
            ),
        ),
        OrderAction(
            "answer",
            _("Answer the order"),
            _("Send the answer"),
            forms.AnswerForm,
            lambda o, u, d, f: services.submit_answer(
                order_id=o.pk,
                by=u,
                outcome=d["outcome"],
                identity=f.identity(),
                refusal_reasons=d["refusal_reasons"],
                channel="portal",
                expected_state=_state(d),
            ),
        ),
    ]
}


def available(order: DisclosureOrder, user: Any, registry: dict[str, OrderAction]) -> list[OrderAction]:
    """The steps this user may take on this order now, from the state machine's guards."""
    names = [transition.name for transition in order.get_available_user_state_transitions(user)]
    return [registry[name] for name in names if name in registry]
