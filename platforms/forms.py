"""Forms of disclosure orders: the officer's and the liaison's (portal)."""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platforms.models import AnswerOutcome, DataItem, DisclosureOrder, OrderKind, Organisation


def normalise_e164(value: str) -> str:
    """A phone number in E.164 (+32470123456), or a ValidationError."""
    try:
        number = phonenumbers.parse(value, None if value.strip().startswith("+") else "BE")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(value)s” is not a phone number in international form (+32...).") % {"value": value}
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("“%(value)s” is not a valid phone number.") % {"value": value})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class StepForm(forms.Form):
    """Every step carries the state the user saw, so a concurrent change is detected."""

    prefix_name = "step"
    expected_state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, order: DisclosureOrder, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["expected_state"] = order.state
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.order = order
        self.user = user


class DraftOrderForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Addressed to"), queryset=Organisation.objects.filter(active=True))
    kind = forms.ChoiceField(label=_("Kind of order"), choices=OrderKind.choices)
    identifiers = forms.MultipleChoiceField(
        label=_("Identifiers concerned"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    data_requested = forms.MultipleChoiceField(
        label=_("Data requested"),
        choices=DataItem.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[DataItem.NAMES, DataItem.EMAIL, DataItem.PHONE, DataItem.IP_ADDRESSES, DataItem.REGISTRATION],
    )
    joint_cases = forms.ModelMultipleChoiceField(
        label=_("Also for these established cases naming the same perpetrator"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The platform answers once; each case gets its own letters."),
    )
    reasons = forms.CharField(
        label=_("Statement of reasons (objective, necessity, proportionality)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=_("Sent to the organisation: never name the complainant or give their contact data."),
    )

    def __init__(self, *args: Any, case: Any, user: Any = None, **kwargs: Any) -> None:
        from cases.models import CaseState
        from cases.search import linked_cases

        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["joint_cases"].queryset = linked_cases(case, user).filter(state=CaseState.ESTABLISHED)
        self.fields["joint_cases"].label_from_instance = lambda other: f"{other.reference} — {other.service.name}"
        if not self.fields["joint_cases"].queryset.exists():
            del self.fields["joint_cases"]
        self.fields["organisation"].initial = case.service.organisation_id
        self.fields["identifiers"].choices = [
            (str(identifier.pk), str(identifier)) for identifier in case.identifiers.all()
        ]
        self.fields["identifiers"].initial = [choice for choice, _label in self.fields["identifiers"].choices]
        approved = case.assessments.filter(review_outcome="approved").order_by("-version").first()
        if approved:
            answers = approved.answers
            self.fields["reasons"].initial = "\n\n".join(
                answers.get(key, {}).get("reasoning", "") for key in ("harassment", "necessary")
            ).strip()

    def identifier_rows(self) -> list[dict[str, str]]:
        chosen = {int(pk) for pk in self.cleaned_data["identifiers"]}
        return [
            {"kind": identifier.kind, "value": identifier.value}
            for identifier in self.case.identifiers.all()
            if identifier.pk in chosen
        ]


class FollowUpOrderForm(forms.Form):
    """A follow-up order to the Belgian operator behind an IP address or a phone number."""

    organisation = forms.ModelChoiceField(
        label=_("Operator"), queryset=Organisation.objects.filter(active=True, kind=Organisation.Kind.OPERATOR)
    )
    kind = forms.ChoiceField(
        label=_("Kind of order"),
        choices=[
            (OrderKind.IP_SUBSCRIBER, OrderKind.IP_SUBSCRIBER.label),
            (OrderKind.NUMBER_SUBSCRIBER, OrderKind.NUMBER_SUBSCRIBER.label),
        ],
    )
    ip_address = forms.CharField(label=_("IP address"), required=False, validators=[validate_ipv46_address])
    port = forms.IntegerField(label=_("Source port"), required=False, min_value=0, max_value=65535)
    timestamp = forms.DateTimeField(
        label=_("Time of use (Belgian time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    phone = forms.CharField(label=_("Phone number"), required=False)
    reasons = forms.CharField(
        label=_("Statement of reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )

    def __init__(self, *args: Any, order: DisclosureOrder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reasons"].initial = order.reasons

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("kind") == OrderKind.IP_SUBSCRIBER:
            if not (cleaned.get("ip_address") and cleaned.get("timestamp")):
                raise ValidationError(_("An order about an IP address gives the address and the time of use."))
        elif cleaned.get("kind") == OrderKind.NUMBER_SUBSCRIBER:
            if not cleaned.get("phone"):
                raise ValidationError(_("An order about a phone number gives the number."))
            cleaned["phone"] = normalise_e164(cleaned["phone"])
        return cleaned

    def identifier_rows(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        if data["kind"] == OrderKind.IP_SUBSCRIBER:
            row = {"kind": "ip_address", "value": data["ip_address"], "timestamp": data["timestamp"].isoformat()}
            if data.get("port") is not None:
                row["port"] = data["port"]
            return [row]
        return [{"kind": "phone", "value": data["phone"]}]


class IssueForm(StepForm):
    prefix_name = "issue"


class WithdrawForm(StepForm):
    prefix_name = "withdraw"
    reason = forms.CharField(label=_("Why is the order withdrawn?"), widget=forms.Textarea(attrs={"rows": 2}))


class GrantExtensionForm(StepForm):
    prefix_name = "grant_extension"
    new_due_on = forms.DateField(label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_due_on"].initial = self.order.extension_requested_until


class RefuseExtensionForm(StepForm):
    prefix_name = "refuse_extension"


class AcceptAnswerForm(StepForm):
    prefix_name = "accept_answer"


class RejectAnswerForm(StepForm):
    prefix_name = "reject_answer"
    reasons = forms.CharField(label=_("What is missing"), widget=forms.Textarea(attrs={"rows": 3}))


class ReadIdentityForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why do you need to see the identity data?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Recorded with your name and the time; listed on the case."),
    )


# The liaison's forms (portal).


class AcknowledgeForm(StepForm):
    prefix_name = "acknowledge"


class ExtensionRequestForm(StepForm):
    prefix_name = "request_extension"
    until = forms.DateField(label=_("New date asked for"), widget=forms.DateInput(attrs={"type": "date"}))
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def clean_until(self) -> date:
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise ValidationError(_("Ask for a date in the future."))
        return until


class AnswerForm(StepForm):
    prefix_name = "answer"
    outcome = forms.ChoiceField(label=_("Your answer"), choices=AnswerOutcome.choices, widget=forms.RadioSelect)
    holder_name = forms.CharField(label=_("Name of the holder"), required=False, max_length=300)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number (E.164, e.g. +32470123456)"), required=False, max_length=40)
    postal_address = forms.CharField(
        label=_("Postal address"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    account_created_at = forms.DateTimeField(
        label=_("Account created (UTC)"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    refusal_reasons = forms.CharField(
        label=_("Reasons for refusing"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    IP_ROWS = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(self.IP_ROWS):
            self.fields[f"ip_{index}_address"] = forms.CharField(
                label=_("IP address"), required=False, validators=[validate_ipv46_address]
            )
            self.fields[f"ip_{index}_port"] = forms.IntegerField(
                label=_("Source port"), required=False, min_value=0, max_value=65535
            )
            self.fields[f"ip_{index}_timestamp"] = forms.DateTimeField(
                label=_("Time (UTC)"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
            )

    def ip_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"ip_{i}_address"], self[f"ip_{i}_port"], self[f"ip_{i}_timestamp"]) for i in range(self.IP_ROWS)]

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        return normalise_e164(phone) if phone else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        addresses = []
        for index in range(self.IP_ROWS):
            address = cleaned.get(f"ip_{index}_address")
            port = cleaned.get(f"ip_{index}_port")
            moment = cleaned.get(f"ip_{index}_timestamp")
            if not address and port is None and not moment:
                continue
            if not (address and moment):
                self.add_error(f"ip_{index}_address", _("An IP address goes with the time it was used."))
                continue
            row = {"address": address, "timestamp": moment.astimezone(UTC).isoformat()}
            if port is not None:
                row["port"] = port
            addresses.append(row)
        cleaned["ip_addresses"] = addresses
        return cleaned

    def identity(self) -> dict[str, Any]:
        data = self.cleaned_data
        account = (
            {"created_at": data["account_created_at"].astimezone(UTC).isoformat()}
            if data.get("account_created_at")
            else {}
        )
        return {
            "holder_name": data.get("holder_name", "").strip(),
            "email": data.get("email", ""),
            "phone": data.get("phone", ""),
            "postal_address": data.get("postal_address", "").strip(),
            "ip_addresses": data.get("ip_addresses", []),
            "account": account,
        }
