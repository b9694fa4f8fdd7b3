from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.identifiers import normalise_phone
from ombudsman.privacy.access import OUTPUTS, SubjectQuery
from ombudsman.privacy.models import DataSubject


class SubjectAccessForm(forms.Form):
    subject = forms.ChoiceField(
        label=_("Whose data"), choices=DataSubject.choices, initial=DataSubject.COMPLAINANT, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("Name"), required=False, max_length=200, help_text=_("First and last name, as the person gave it.")
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    output = forms.ChoiceField(choices=[(o, o) for o in OUTPUTS], required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("phone") and normalise_phone(data["phone"]) is None:
            self.add_error("phone", _("Enter a phone number, e.g. +32 470 12 34 56."))
        if not (data.get("name") or data.get("email")):
            raise forms.ValidationError(_("Give the person's name or e-mail address (every detail given must match)."))
        return data

    def query(self) -> SubjectQuery:
        data = self.cleaned_data
        return SubjectQuery(subject=data["subject"], name=data["name"], email=data["email"], phone=data["phone"])

    def chosen_output(self) -> str:
        return self.cleaned_data.get("output") or "html"
