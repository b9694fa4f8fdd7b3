"""The letters a case produces, registered in the office's letter catalogue (DESIGN.md §6)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ombudsman.letters.kinds import LetterContent, LetterKind, Remedies, Signatory, register

# Salt of the signed links that let a complainant answer a request for information.
REPLY_LINK_SALT = "cases.information-reply"


def intake_signatory() -> Signatory:
    signatory = settings.OMBUDSMAN_INTAKE_SIGNATORY
    return Signatory(str(signatory["name"]), str(signatory["capacity"]), str(signatory["contact"]))


def officer_signatory(user: Any) -> Signatory:
    """The official handling the case signs; their name, capacity and contact are on the letter."""
    if user is None:
        return intake_signatory()
    contact = " · ".join(part for part in (user.email, user.phone) if part) or settings.OMBUDSMAN_OFFICE["email"]
    return Signatory(user.display_name, user.capacity or str(_("Case officer")), contact)


def decision_remedies() -> Remedies:
    return Remedies(
        body=str(
            _(
                "The Council of State (administrative litigation section), Rue de la Science 33, "
                "1040 Brussels, www.raadvst-consetat.be"
            )
        ),
        form=str(
            _(
                "A petition for annulment, signed by you or your lawyer, filed through the Council of "
                "State's electronic procedure or sent by registered mail. New facts can also be the "
                "subject of a new complaint to the Ombudsman at any time."
            )
        ),
        deadline=str(_("60 days from the day you receive this letter.")),
    )


def reply_link(information_request_id: int) -> str:
    # No timestamp: the link printed in the letter stays the same however often it is rendered.
    token = signing.Signer(salt=REPLY_LINK_SALT).sign_object(information_request_id)
    return f"{settings.OMBUDSMAN_PUBLIC_URL.rstrip('/')}/reply/{token}/"


def _to_complainant(case: Any, signatory: Signatory, remedies: Remedies | None = None, **context: Any) -> LetterContent:
    return LetterContent(
        reference=case.reference,
        recipient_name=case.complainant_name,
        recipient_address=case.postal_address,
        recipient_email=case.complainant_email,
        signatory=signatory,
        remedies=remedies,
        context={"case": case, **context},
    )


def build_acknowledgement(case: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_complainant(
        case,
        intake_signatory(),
        handling_target_days=settings.CASE_HANDLING_TARGET_DAYS,
        service=case.service,
        organisation=case.service.organisation,
    )


def build_information_request(case: Any, parameters: dict[str, Any]) -> LetterContent:
    request = case.information_requests.get(pk=parameters["information_request_id"])
    return _to_complainant(
        case,
        officer_signatory(request.requested_by),
        information_request=request,
        reply_link=reply_link(request.pk),
    )


def build_decision(case: Any, parameters: dict[str, Any]) -> LetterContent:
    assessment = case.assessments.select_related("proposed_by", "reviewed_by").get(pk=parameters["assessment_id"])
    return _to_complainant(
        case,
        officer_signatory(assessment.proposed_by),
        remedies=decision_remedies(),
        assessment=assessment,
        reviewer=assessment.reviewed_by,
    )


def build_lapse(case: Any, parameters: dict[str, Any]) -> LetterContent:
    request = case.information_requests.get(pk=parameters["information_request_id"])
    return _to_complainant(case, officer_signatory(case.assigned_to), information_request=request)


def build_withdrawal(case: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_complainant(case, officer_signatory(case.assigned_to), reason=parameters.get("reason", ""))


def build_closure(case: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_complainant(
        case,
        officer_signatory(case.assigned_to),
        outcome=parameters.get("outcome", ""),
        note=parameters.get("note", ""),
    )


ACKNOWLEDGEMENT = register(
    LetterKind(
        code="acknowledgement",
        title=_("Acknowledgement of receipt"),
        template="letters/cases/acknowledgement.html",
        build=build_acknowledgement,
    )
)
INFORMATION_REQUEST = register(
    LetterKind(
        code="information_request",
        title=_("Request for information"),
        template="letters/cases/information_request.html",
        build=build_information_request,
    )
)
DECISION = register(
    LetterKind(
        code="decision",
        title=_("Decision on your complaint"),
        template="letters/cases/decision.html",
        build=build_decision,
        is_decision=True,
    )
)
LAPSE = register(
    LetterKind(
        code="lapse",
        title=_("Your complaint is closed: no reply received"),
        template="letters/cases/lapse.html",
        build=build_lapse,
    )
)
WITHDRAWAL = register(
    LetterKind(
        code="withdrawal",
        title=_("Confirmation of the withdrawal of your complaint"),
        template="letters/cases/withdrawal.html",
        build=build_withdrawal,
    )
)
CLOSURE = register(
    LetterKind(
        code="closure",
        title=_("Closure of your file"),
        template="letters/cases/closure.html",
        build=build_closure,
    )
)
