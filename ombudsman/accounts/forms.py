from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ombudsman.accounts import two_factor


class SecondFactorForm(forms.Form):
    """One code: from the authenticator app, or a backup code (verify); from the app (enrol)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def __init__(self, user: Any, *args: Any, enrolling: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.enrolling = enrolling
        self.device = None
        if enrolling:
            self.fields["code"].help_text = _("The six digits your app shows after scanning the code.")
        else:
            self.fields["code"].help_text = _("The six digits your authenticator app shows, or a backup code.")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        check = two_factor.confirm_authenticator if self.enrolling else two_factor.verify_second_factor
        try:
            self.device = check(self.user, code)
        except two_factor.SecondFactorRefused as refused:
            raise forms.ValidationError(str(refused), code="refused") from refused
        return code
