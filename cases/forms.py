"""Forms of complaint intake: the public form and the staff entry of a posted complaint."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases.evidence import check_evidence_files
from cases.models import Channel, FilerRole, IdentifierKind, IdentityRecipient, OffenceCategory
from cases.services import Complaint
from ombudsman.core.forms import QuickCopyForm
from ombudsman.core.widgets import QuickSelect
from platforms.catalogue import complaint_services
from platforms.models import Service

PHONE_CHARACTERS = re.compile(r"[\s\-./()]")
PHONE_NUMBER = re.compile(r"^\+?\d{6,15}$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ServiceChoiceField(forms.ChoiceField):
    """Services grouped under their organisation, so "Instagram" reads "Meta Platforms Ireland";
    read from the cached catalogue (platforms.catalogue), cleaned to the Service itself."""

    def __init__(self, **kwargs: Any) -> None:
        # A callable: read only when the form is drawn, not when a filled-in form is accepted.
        super().__init__(choices=self.grouped_choices, **kwargs)

    @staticmethod
    def grouped_choices() -> list[Any]:
        grouped: list[Any] = [("", "---------")]
        services = complaint_services().values()
        for organisation, members in groupby(services, key=lambda service: service.organisation.name):
            grouped.append((organisation, [(service.pk, service.name) for service in members]))
        return grouped

    def to_python(self, value: Any) -> Service | None:
        if value in self.empty_values:
            return None
        try:
            service = complaint_services().get(int(str(value)))
        except ValueError:  # not a number, or too long a one
            service = None
        if service is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return service

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)  # to_python has checked the choice


class ComplaintForm(QuickCopyForm):
    """The public complaint form; works without JavaScript."""

    filer_role = forms.ChoiceField(
        label=_("Who files this complaint?"), choices=FilerRole.choices, widget=forms.RadioSelect
    )
    victim_name = forms.CharField(
        label=_("Name of the victim"),
        required=False,
        max_length=200,
        help_text=_("Only when you file for someone else."),
    )
    first_name = forms.CharField(label=_("Your first name"), max_length=100)
    last_name = forms.CharField(label=_("Your last name"), max_length=100)
    email = forms.EmailField(label=_("Your e-mail address"), help_text=_("Our letters are also sent here."))
    phone = forms.CharField(label=_("Your phone number"), required=False, max_length=40)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=12)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.CharField(label=_("Country"), max_length=60, initial=_("Belgium"))
    language = forms.ChoiceField(
        label=_("Language of our letters"),
        choices=settings.LETTER_LANGUAGES,
        widget=forms.RadioSelect,
    )
    service = ServiceChoiceField(label=_("Where were you harassed?"), help_text=_("The platform and service."))
    offence_categories = forms.MultipleChoiceField(
        label=_("What happened?"),
        choices=OffenceCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every category that applies."),
    )
    description = forms.CharField(
        label=_("Describe the messages and their effect on you"),
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=30,
        max_length=20000,
    )
    police_report_number = forms.CharField(label=_("Police report number (if any)"), required=False, max_length=60)
    identity_recipient = forms.ChoiceField(
        label=_("If the sender is identified, who should receive the identity?"),
        choices=IdentityRecipient.choices,
        initial=IdentityRecipient.COMPLAINANT,
        widget=forms.RadioSelect,
        help_text=_("You can change this later by contacting us."),
    )
    identity_recipient_name = forms.CharField(
        label=_("Police zone or prosecutor's office"),
        required=False,
        max_length=200,
        help_text=_("Only if the identity goes to the police or the public prosecutor."),
    )
    identity_recipient_address = forms.CharField(
        label=_("Its postal address"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = MultipleFileField(
        label=_("Evidence (screenshots, PDF)"),
        required=False,
        help_text=_("Images or PDF documents, at most %(count)d files of %(size)d MB each.")
        % {
            "count": settings.EVIDENCE_MAX_FILES,
            "size": settings.EVIDENCE_MAX_FILE_SIZE // (1024 * 1024),
        },
    )
    declared_truthful = forms.BooleanField(label=_("I declare that the information I give is true and complete."))
    consented_to_processing = forms.BooleanField(
        label=_(
            "I consent to the Ombudsman processing these data to handle my complaint, "
            "including sending an order to the platform concerned."
        )
    )
    # Honeypot: hidden from people and assistive technology; only robots fill it in.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = translation.get_language()[:2]
        for field in self.fields.values():
            if not field.required:
                field.label = format_lazy("{} ({})", field.label, _("optional"))
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("This complaint could not be accepted."))
        return ""

    def clean_evidence(self) -> list[Any]:
        return check_evidence_files(self.cleaned_data.get("evidence") or [])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("filer_role") in (FilerRole.PARENT, FilerRole.LAWYER) and not cleaned.get("victim_name"):
            self.add_error("victim_name", _("Give the name of the victim you file for."))
        if cleaned.get("identity_recipient") in (IdentityRecipient.POLICE, IdentityRecipient.PROSECUTOR):
            for field in ("identity_recipient_name", "identity_recipient_address"):
                if not cleaned.get(field):
                    self.add_error(field, _("Say which police zone or prosecutor's office, and its address."))
        return cleaned

    def to_complaint(self, identifiers: list[tuple[str, str]], message_times: list[Any]) -> Complaint:
        data = self.cleaned_data
        return Complaint(
            filer_role=data["filer_role"],
            victim_name=data.get("victim_name", ""),
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            street=data["street"],
            postal_code=data["postal_code"],
            city=data["city"],
            country=data["country"],
            language=data["language"],
            service=data["service"],
            offence_categories=data["offence_categories"],
            description=data["description"],
            police_report_number=data.get("police_report_number", ""),
            identity_recipient=data["identity_recipient"],
            identity_recipient_name=data.get("identity_recipient_name", ""),
            identity_recipient_address=data.get("identity_recipient_address", ""),
            declared_truthful=data["declared_truthful"],
            consented_to_processing=data["consented_to_processing"],
            evidence=data.get("evidence", []),
            identifiers=identifiers,
            message_times=message_times,
        )


class StaffComplaintForm(ComplaintForm):
    """A complaint received by post or e-mail, typed in by a member of staff."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(Channel.POST, Channel.POST.label), (Channel.EMAIL, Channel.EMAIL.label)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        self.fields["email"].label = format_lazy("{} ({})", _("E-mail address"), _("optional"))
        self.fields["email"].help_text = _("If the complainant gave one; letters are then also e-mailed.")
        self.fields["declared_truthful"].label = _("The complainant signed the truthfulness declaration.")
        self.fields["consented_to_processing"].label = _("The complainant consented to the processing.")
        del self.fields["website"]


class IdentifierForm(QuickCopyForm):
    kind = forms.ChoiceField(label=_("Type"), choices=[("", "---------"), *IdentifierKind.choices], required=False)
    value = forms.CharField(
        label=_("Account name, profile URL, phone number or e-mail"),
        required=False,
        max_length=500,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind, value = cleaned.get("kind"), (cleaned.get("value") or "").strip()
        if not kind and not value:
            return cleaned
        if not kind:
            self.add_error("kind", _("Choose the type of this identifier."))
        elif not value:
            self.add_error("value", _("Fill in the identifier or clear its type."))
        else:
            cleaned["value"] = self._normalise(kind, value)
        return cleaned

    def _normalise(self, kind: str, value: str) -> str:
        if kind == IdentifierKind.PHONE:
            compact = PHONE_CHARACTERS.sub("", value)
            if compact.startswith("00"):
                compact = "+" + compact[2:]
            if not PHONE_NUMBER.match(compact):
                self.add_error("value", _("“%(value)s” is not a phone number.") % {"value": value})
            return compact
        if kind == IdentifierKind.EMAIL:
            try:
                EmailValidator()(value)
            except ValidationError:
                self.add_error("value", _("“%(value)s” is not an e-mail address.") % {"value": value})
            return value.lower()
        if kind == IdentifierKind.PROFILE_URL:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                self.add_error(
                    "value",
                    _("“%(value)s” is not a web address (https://...).") % {"value": value},
                )
        return value


class BaseFilledFormSet(forms.BaseFormSet):
    """A fixed set of optional rows (no JavaScript); at least one must be filled."""

    empty_message = _("Fill in at least one row.")

    def filled(self) -> list[dict[str, Any]]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data and any(form.cleaned_data.values())]

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.filled():
            raise ValidationError(self.empty_message)


class IdentifierFormSet(forms.formset_factory(IdentifierForm, formset=BaseFilledFormSet, extra=3, max_num=10)):
    empty_message = _("Give at least one identifier of the person who harasses you.")

    def identifiers(self) -> list[tuple[str, str]]:
        return [(row["kind"], row["value"]) for row in self.filled()]


class MessageTimeForm(QuickCopyForm):
    received_at = forms.DateTimeField(
        label=_("Date and time of a message"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Belgian time, e.g. 2026-03-14 21:35."),
    )

    def clean_received_at(self) -> Any:
        moment = self.cleaned_data.get("received_at")
        if moment and moment > timezone.now():
            raise ValidationError(_("A message cannot have been received in the future."))
        return moment


class MessageTimeFormSet(forms.formset_factory(MessageTimeForm, formset=BaseFilledFormSet, extra=3, max_num=20)):
    empty_message = _("Give the date and time of at least one message.")

    def message_times(self) -> list[Any]:
        return [row["received_at"] for row in self.filled()]


class CaseQueueFilterForm(forms.Form):
    """Filters, sort and page size of the work queue (GET)."""

    SORTS = {
        "oldest": ("submitted_at", "id"),
        "newest": ("-submitted_at", "-id"),
        # Cases whose handling clock runs first, nearest target first (index case_queue_deadline).
        "deadline": ("clock_order", "handling_due_on", "id"),
    }
    PAGE_SIZES = (25, 50, 100)

    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect)
    organisation = forms.TypedChoiceField(
        label=_("Platform"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices], widget=QuickSelect
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        widget=QuickSelect,
        choices=[("oldest", _("Oldest first")), ("newest", _("Newest first")), ("deadline", _("Nearest target first"))],
    )
    per_page = forms.TypedChoiceField(
        label=_("Rows per page"),
        required=False,
        widget=QuickSelect,
        coerce=int,
        empty_value=PAGE_SIZES[0],
        choices=[(size, size) for size in PAGE_SIZES],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from cases.models import CaseState
        from platforms.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All")), *CaseState.choices]
        # One plain query for the list, as the page draws it on every request.
        self.fields["organisation"].choices = [("", _("All")), *Organisation.objects.values_list("pk", "name")]

    def apply(self, queryset, default_sort: str = "oldest"):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("organisation"):
            queryset = queryset.filter(service__organisation=data["organisation"])
        if data.get("channel"):
            queryset = queryset.filter(channel=data["channel"])
        return queryset.order_by(*self.SORTS[data.get("sort") or default_sort])

    def page_size(self) -> int:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("per_page") or self.PAGE_SIZES[0]
