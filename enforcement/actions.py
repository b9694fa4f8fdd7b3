"""The steps offered on a procedure page, from the procedure's state machine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from enforcement import forms
from enforcement.models import SanctionProcedure


@dataclass(frozen=True)
class ProcedureAction:
    transition: str
    title: str | Promise
    button: str | Promise
    form_class: type[forms.ProcedureStepForm]


ACTIONS = {
    action.transition: action
    for action in [
        ProcedureAction("open_investigation", _("Open the investigation"), _("Open"), forms.OpenInvestigationForm),
        ProcedureAction("notify_grievances", _("Notify the grievances"), _("Notify"), forms.GrievancesForm),
        ProcedureAction("record_defence", _("Record the written defence"), _("Record"), forms.DefenceForm),
        ProcedureAction("schedule_hearing", _("Schedule a hearing (on request)"), _("Schedule"), forms.HearingForm),
        ProcedureAction("hold_hearing", _("Record the hearing"), _("Record"), forms.HoldHearingForm),
        ProcedureAction("draft_decision", _("Send the draft decision"), _("Send"), forms.DraftForm),
        ProcedureAction("decide", _("Decide"), _("Decide"), forms.DecideForm),
        ProcedureAction("record_appeal", _("Record an appeal to the Market Court"), _("Record"), forms.AppealForm),
        ProcedureAction("record_judgment", _("Record the judgment"), _("Record"), forms.JudgmentForm),
        ProcedureAction("record_payment", _("Record the payment"), _("Record"), forms.PaymentForm),
        ProcedureAction("compliance_restored", _("Compliance restored: dismiss"), _("Dismiss"), forms.ComplianceForm),
        ProcedureAction("close", _("Close the procedure"), _("Close"), forms.CloseForm),
    ]
}


def available(procedure: SanctionProcedure, user: Any) -> list[ProcedureAction]:
    """The steps this user may take now, from the state machine's guards."""
    names = [transition.name for transition in procedure.get_available_user_state_transitions(user)]
    return [ACTIONS[name] for name in names if name in ACTIONS]
