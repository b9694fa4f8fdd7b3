"""The steps offered on a case page: one per transition that has a form.

Which steps a user sees comes from the state machine (the transitions available to that
user in the case's state), never from a second list in a template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases import action_forms, services
from cases.models import Case


@dataclass(frozen=True)
class CaseAction:
    transition: str
    title: str | Promise
    button: str | Promise
    form_class: type[action_forms.CaseActionForm]
    perform: Callable[[Case, Any, dict[str, Any], Any], Any]


def _assign(case, user, data, form):
    return services.assign_case(
        case_id=case.pk, by=user, officer=data["officer"], expected_state=data["expected_state"]
    )


def _reassign(case, user, data, form):
    return services.reassign_case(
        case_id=case.pk, by=user, officer=data["officer"], expected_state=data["expected_state"]
    )


def _request_information(case, user, data, form):
    return services.request_information(
        case_id=case.pk, by=user, question=data["question"], expected_state=data["expected_state"]
    )


def _receive_information(case, user, data, form):
    return services.record_information_received(
        case_id=case.pk, by=user, answer=data["answer"], files=data["evidence"], expected_state=data["expected_state"]
    )


def _propose(case, user, data, form):
    return services.propose_decision(
        case_id=case.pk,
        by=user,
        answers=form.answers(),
        proposal=data["proposal"],
        expected_state=data["expected_state"],
    )


def _approve(case, user, data, form):
    return services.approve_assessment(
        case_id=case.pk, by=user, comment=data["comment"], expected_state=data["expected_state"]
    )


def _send_back(case, user, data, form):
    return services.send_back_assessment(
        case_id=case.pk, by=user, comment=data["comment"], expected_state=data["expected_state"]
    )


def _close(case, user, data, form):
    return services.close_case(case_id=case.pk, by=user, note=data["note"], expected_state=data["expected_state"])


def _withdraw(case, user, data, form):
    return services.withdraw_case(
        case_id=case.pk, by=user, reason=data["reason"], expected_state=data["expected_state"]
    )


def _conclude_not_identified(case, user, data, form):
    from platforms.services import conclude_not_identified

    return conclude_not_identified(case_id=case.pk, by=user, note=data["note"], expected_state=data["expected_state"])


ACTIONS: dict[str, CaseAction] = {
    action.transition: action
    for action in [
        CaseAction("assign", _("Assign"), _("Assign"), action_forms.AssignForm, _assign),
        CaseAction("reassign", _("Reassign"), _("Reassign"), action_forms.ReassignForm, _reassign),
        CaseAction(
            "request_information",
            _("Ask the complainant for information"),
            _("Send the request"),
            action_forms.RequestInformationForm,
            _request_information,
        ),
        CaseAction(
            "receive_information",
            _("Record the complainant's answer"),
            _("Record the answer"),
            action_forms.ReceiveInformationForm,
            _receive_information,
        ),
        CaseAction(
            "propose_decision",
            _("Assess and propose a decision"),
            _("Propose for review"),
            action_forms.ProposeDecisionForm,
            _propose,
        ),
        CaseAction("approve", _("Approve the proposal"), _("Approve"), action_forms.ApproveForm, _approve),
        CaseAction("send_back", _("Send back for reassessment"), _("Send back"), action_forms.SendBackForm, _send_back),
        CaseAction(
            "record_not_identified",
            _("Conclude: the holder could not be identified"),
            _("Conclude"),
            action_forms.ConcludeNotIdentifiedForm,
            _conclude_not_identified,
        ),
        CaseAction("close", _("Close the case"), _("Close"), action_forms.CloseForm, _close),
        CaseAction("withdraw", _("Record a withdrawal"), _("Withdraw"), action_forms.WithdrawForm, _withdraw),
    ]
}


def available_actions(case: Case, user: Any) -> list[CaseAction]:
    """The steps this user may take on this case now, from the state machine's guards."""
    names = [transition.name for transition in case.get_available_user_state_transitions(user)]
    return [ACTIONS[name] for name in names if name in ACTIONS]
