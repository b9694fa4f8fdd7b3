"""Forms of the BIPT officer's steps, and of the Ombudsman's referral by hand."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases.action_forms import OfficerChoiceField
from enforcement.models import Cooperation, Judgment, SanctionProcedure, Seriousness
from ombudsman.accounts.roles import BIPT_OFFICER


class ProcedureStepForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, procedure: SanctionProcedure, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["expected_state"] = procedure.state
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.procedure = procedure

    prefix_name = "step"


def _date(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))


def _text(label: Any, rows: int = 4, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), max_length=20000
    )


class OpenInvestigationForm(ProcedureStepForm):
    prefix_name = "open_investigation"


class GrievancesForm(ProcedureStepForm):
    prefix_name = "notify_grievances"
    grievances = _text(_("Facts and grievances"), 6)
    evidence_list = _text(_("Evidence in the file"), 4)


class DefenceForm(ProcedureStepForm):
    prefix_name = "record_defence"
    summary = _text(_("The written defence received (summary)"))
    received_on = _date(_("Received on"), required=True)


class HearingForm(ProcedureStepForm):
    prefix_name = "schedule_hearing"
    at = forms.DateTimeField(
        label=_("Date and time of the hearing"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class HoldHearingForm(ProcedureStepForm):
    prefix_name = "hold_hearing"
    minutes = _text(_("Minutes of the hearing"))


class DraftForm(ProcedureStepForm):
    prefix_name = "draft_decision"
    text = _text(_("Draft decision"), 8)


class DecideForm(ProcedureStepForm):
    prefix_name = "decide"
    fine = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Impose a fine")), ("0", _("Dismiss without a fine"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reasons = _text(_("Reasons"), 6)
    seriousness = forms.ChoiceField(
        label=_("Seriousness"), choices=[("", "---------"), *Seriousness.choices], required=False
    )
    duration_days = forms.IntegerField(label=_("Days of non-cooperation"), min_value=0, required=False)
    repeated = forms.BooleanField(label=_("Repetition within five years"), required=False)
    cooperation = forms.ChoiceField(
        label=_("Cooperation"), choices=[("", "---------"), *Cooperation.choices], required=False
    )
    turnover = forms.DecimalField(
        label=_("Relevant turnover (EUR), if known"), min_value=0, required=False, max_digits=16, decimal_places=2
    )
    amount = forms.DecimalField(label=_("Fine (EUR)"), min_value=0, required=False, max_digits=14, decimal_places=2)
    confidential_terms = forms.CharField(
        label=_("Business secrets to black out in the published version (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_confidential_terms(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["confidential_terms"].splitlines() if line.strip()]


class AppealForm(ProcedureStepForm):
    prefix_name = "record_appeal"
    lodged_on = _date(_("Appeal lodged on"), required=True)


class JudgmentForm(ProcedureStepForm):
    prefix_name = "record_judgment"
    judgment = forms.ChoiceField(label=_("Judgment"), choices=Judgment.choices, widget=forms.RadioSelect)
    judged_on = _date(_("Judgment of"), required=True)
    reduced_amount = forms.DecimalField(
        label=_("Reduced fine (EUR)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )


class PaymentForm(ProcedureStepForm):
    prefix_name = "record_payment"
    paid_on = _date(_("Paid on"), required=True)
    amount = forms.DecimalField(label=_("Amount paid (EUR)"), min_value=0, max_digits=14, decimal_places=2)


class ComplianceForm(ProcedureStepForm):
    prefix_name = "compliance_restored"
    reasons = _text(_("Why the procedure is dismissed now that the platform answered"), 3)


class CloseForm(ProcedureStepForm):
    prefix_name = "close"


class DraftAnswerForm(forms.Form):
    received_on = _date(_("Answer to the draft received on"), required=True)
    summary = _text(_("The platform's answer (summary)"), 3)


class ContinueForm(forms.Form):
    reasons = _text(_("Why the procedure continues although the platform answered"), 3)


class AssignForm(forms.Form):
    officer = OfficerChoiceField(label=_("BIPT officer"), queryset=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            get_user_model().objects.filter(is_active=True, groups__name=BIPT_OFFICER).order_by("last_name")
        )


class FineHelperForm(forms.Form):
    """The proposal from the scale (GET); the officer decides the amount."""

    seriousness = forms.ChoiceField(label=_("Seriousness"), choices=Seriousness.choices)
    duration_days = forms.IntegerField(label=_("Days of non-cooperation"), min_value=0)
    repeated = forms.BooleanField(label=_("Repetition within five years"), required=False)
    cooperation = forms.ChoiceField(label=_("Cooperation"), choices=Cooperation.choices)
    turnover = forms.DecimalField(
        label=_("Relevant turnover (EUR), if known"), required=False, min_value=0, max_digits=16, decimal_places=2
    )


class ManualReferralForm(forms.Form):
    """The orders of one organisation (chosen first) that show the pattern."""

    orders = forms.ModelMultipleChoiceField(
        label=_("Orders concerned"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reason = _text(_("The pattern of non-cooperation"), 5)

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        from platforms.models import DisclosureOrder

        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["orders"].queryset = (
            DisclosureOrder.objects.filter(organisation=organisation).exclude(state="draft").order_by("-issued_at")
        )
        self.fields["orders"].label_from_instance = lambda order: (
            f"{order.reference} — {order.get_state_display()} — {order.due_on or ''}"
        )
