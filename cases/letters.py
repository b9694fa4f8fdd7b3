"""The letters a case produces, registered in the office's letter catalogue."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from ombudsman.letters.kinds import LetterContent, LetterKind, Signatory, register


def intake_signatory() -> Signatory:
    signatory = settings.OMBUDSMAN_INTAKE_SIGNATORY
    return Signatory(str(signatory["name"]), str(signatory["capacity"]), str(signatory["contact"]))


def _to_complainant(case: Case, signatory: Signatory, **context) -> LetterContent:
    return LetterContent(
        reference=case.reference,
        recipient_name=case.complainant_name,
        recipient_address=case.postal_address,
        recipient_email=case.complainant_email,
        signatory=signatory,
        context={"case": case, **context},
    )


def build_acknowledgement(case: Case) -> LetterContent:
    return _to_complainant(
        case,
        intake_signatory(),
        handling_target_days=settings.CASE_HANDLING_TARGET_DAYS,
        service=case.service,
        organisation=case.service.organisation,
    )


ACKNOWLEDGEMENT = register(
    LetterKind(
        code="acknowledgement",
        title=_("Acknowledgement of receipt"),
        template="letters/cases/acknowledgement.html",
        build=build_acknowledgement,
    )
)
