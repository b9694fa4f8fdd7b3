"""The forms of the steps an officer takes on a case page (one per transition)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases.evidence import check_evidence_files
from cases.forms import MultipleFileField
from cases.models import Answer, Case, Criterion, IdentityRecipient, Proposal
from cases.rules import is_reviewer
from ombudsman.accounts.roles import OMBUDSMAN_STAFF_ROLES


class CaseActionForm(forms.Form):
    """Every step carries the state the officer saw, so a concurrent change is detected."""

    expected_state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["expected_state"] = case.state
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user

    prefix_name = "action"


def office_staff():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=OMBUDSMAN_STAFF_ROLES)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class AssignForm(CaseActionForm):
    prefix_name = "assign"
    officer = OfficerChoiceField(label=_("Officer"), queryset=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = office_staff()
        # An officer takes the case; a reviewer may give it to anyone in the office.
        self.fields["officer"].queryset = staff if is_reviewer(self.user) else staff.filter(pk=self.user.pk)
        self.fields["officer"].initial = self.user.pk
        self.fields["officer"].empty_label = None


class ReassignForm(CaseActionForm):
    prefix_name = "reassign"
    officer = OfficerChoiceField(label=_("New officer"), queryset=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = office_staff().exclude(pk=self.case.assigned_to_id)


class RequestInformationForm(CaseActionForm):
    prefix_name = "request_information"
    question = forms.CharField(
        label=_("What is missing"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Written to the complainant as it stands, in their language."),
    )


class ReceiveInformationForm(CaseActionForm):
    prefix_name = "receive_information"
    answer = forms.CharField(
        label=_("The complainant's answer (received by post or phone)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )
    evidence = MultipleFileField(label=_("Documents received"), required=False)

    def clean_evidence(self) -> list[Any]:
        return check_evidence_files(self.cleaned_data.get("evidence") or [])


class ProposeDecisionForm(CaseActionForm):
    """Each criterion answered and reasoned; the reasons go verbatim into the decision letter."""

    prefix_name = "propose_decision"
    proposal = forms.ChoiceField(label=_("Proposal"), choices=Proposal.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        previous = self.case.assessments.order_by("-version").first()
        for criterion in Criterion:
            earlier = (previous.answers.get(criterion.value, {}) if previous else {}) or {}
            self.fields[f"{criterion.value}_answer"] = forms.ChoiceField(
                label=criterion.label,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                initial=earlier.get("answer"),
            )
            self.fields[f"{criterion.value}_reasoning"] = forms.CharField(
                label=_("Reasons"),
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=5000,
                initial=earlier.get("reasoning"),
            )
        # The proposal comes last, after the criteria it rests on.
        self.fields["proposal"] = self.fields.pop("proposal")

    def criteria_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"{c.value}_answer"], self[f"{c.value}_reasoning"]) for c in Criterion]

    def answers(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            c.value: {"answer": data[f"{c.value}_answer"], "reasoning": data[f"{c.value}_reasoning"].strip()}
            for c in Criterion
        }


class ApproveForm(CaseActionForm):
    prefix_name = "approve"
    comment = forms.CharField(
        label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )


class SendBackForm(CaseActionForm):
    prefix_name = "send_back"
    comment = forms.CharField(
        label=_("What must be reconsidered"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class CloseForm(CaseActionForm):
    prefix_name = "close"
    note = forms.CharField(
        label=_("Note to the complainant (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class ConcludeNotIdentifiedForm(CaseActionForm):
    prefix_name = "record_not_identified"
    note = forms.CharField(
        label=_("Explanation for the complainant (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
        help_text=_("For example: the IP address belongs to an anonymising service abroad."),
    )


class WithdrawForm(CaseActionForm):
    prefix_name = "withdraw"
    reason = forms.CharField(
        label=_("How did the complainant ask to withdraw?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("For example: “e-mail of 3 March asking to stop the procedure”."),
    )


class IdentityRecipientForm(forms.Form):
    """The complainant's choice of who receives the identity, changed at their request."""

    recipient = forms.ChoiceField(
        label=_("Send the identity to"), choices=IdentityRecipient.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Police zone or prosecutor's office"), required=False, max_length=200)
    address = forms.CharField(
        label=_("Its postal address"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class InformationReplyForm(forms.Form):
    """The complainant's answer through the link in our letter."""

    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=20000
    )
    evidence = MultipleFileField(label=_("Documents (screenshots, PDF)"), required=False)

    def clean_evidence(self) -> list[Any]:
        return check_evidence_files(self.cleaned_data.get("evidence") or [])
