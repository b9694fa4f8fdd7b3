"""The letters of disclosure orders (DESIGN.md §6), registered in the letter catalogue."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.letters import officer_signatory
from cases.models import IdentityRecipient
from ombudsman.letters.kinds import LetterContent, LetterKind, Remedies, register


def _portal_url() -> str:
    return f"{settings.OMBUDSMAN_PUBLIC_URL.rstrip('/')}/portal/orders/"


def order_remedies() -> Remedies:
    return Remedies(
        body=str(
            _(
                "For the provider: the Council of State (administrative litigation section), Rue de la Science 33, "
                "1040 Brussels. For the user concerned: the same, and the Data Protection Authority."
            )
        ),
        form=str(_("A petition for annulment, filed through the Council of State's electronic procedure.")),
        deadline=str(_("60 days from the notification of this order.")),
    )


def _to_organisation(order: Any, remedies: Remedies | None = None, **context: Any) -> LetterContent:
    organisation = order.organisation
    return LetterContent(
        reference=order.reference,
        recipient_name=str(
            _("%(organisation)s, point of contact for authorities") % {"organisation": organisation.name}
        ),
        recipient_address=organisation.legal_address,
        recipient_email=organisation.contact_point_email,
        signatory=officer_signatory(order.issued_by or order.drafted_by),
        remedies=remedies,
        context={"order": order, "organisation": organisation, "portal_url": _portal_url(), **context},
    )


def build_disclosure_order(order: Any, parameters: dict[str, Any]) -> LetterContent:
    from platforms.models import OrderDeadline

    return _to_organisation(
        order,
        remedies=order_remedies(),
        # The time the due date was computed with at issue (requests of earlier versions lack it).
        days=parameters.get("days") or OrderDeadline.days_for(order.organisation, order.kind),
        grace_days=settings.FORMAL_NOTICE_GRACE_DAYS,
        api_url=f"{settings.OMBUDSMAN_PUBLIC_URL.rstrip('/')}/api/v1/",
    )


def build_reminder(order: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_organisation(order)


def build_formal_notice(order: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_organisation(order)


def build_answer_rejected(order: Any, parameters: dict[str, Any]) -> LetterContent:
    answer = order.answers.get(pk=parameters["answer_id"])
    return _to_organisation(order, answer=answer)


def build_extension_decision(order: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_organisation(order, granted=parameters.get("granted", False))


def build_order_withdrawn(order: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_organisation(order, reason=parameters.get("reason", ""))


def _identity_recipient(case: Any) -> tuple[str, str, str]:
    """Name, address and e-mail of whoever the complainant chose to receive the identity."""
    if case.identity_recipient == IdentityRecipient.COMPLAINANT:
        return case.complainant_name, case.postal_address, case.complainant_email
    return case.identity_recipient_name, case.identity_recipient_address, ""


def build_identification(case: Any, parameters: dict[str, Any]) -> LetterContent:
    from platforms.models import DisclosureAnswer
    from platforms.services.identity import log_identity_reading

    answer = DisclosureAnswer.objects.select_related("order__organisation").get(pk=parameters["answer_id"])
    log_identity_reading(
        answer,
        purpose="Identification letter to the recipient chosen by the complainant",
        actor_label="system",
        case=case,
    )
    name, address, email = _identity_recipient(case)
    return LetterContent(
        reference=case.reference,
        recipient_name=name,
        recipient_address=address,
        recipient_email=email,
        signatory=officer_signatory(case.assigned_to),
        context={
            "case": case,
            "answer": answer,
            "identity": answer.unseal_identity(),
            "to_authority": case.identity_recipient != IdentityRecipient.COMPLAINANT,
        },
    )


def build_no_result(case: Any, parameters: dict[str, Any]) -> LetterContent:
    return LetterContent(
        reference=case.reference,
        recipient_name=case.complainant_name,
        recipient_address=case.postal_address,
        recipient_email=case.complainant_email,
        signatory=officer_signatory(case.assigned_to),
        context={"case": case, "note": parameters.get("note", "")},
    )


# What the letters about an order read besides the order: loaded with it in one query.
ORDER_RELATED = ("organisation", "issued_by", "drafted_by")


def _kind(code: str, title: Any, build: Any, related: tuple[str, ...] = ORDER_RELATED) -> LetterKind:
    return register(
        LetterKind(
            code=code,
            title=title,
            template=f"letters/platforms/{code}.html",
            build=build,
            related=related,
        )
    )


DISCLOSURE_ORDER = _kind(
    "disclosure_order", _("Order to disclose data on the holder of an account"), build_disclosure_order
)
REMINDER = _kind("order_reminder", _("Reminder: disclosure order due soon"), build_reminder)
FORMAL_NOTICE = _kind("formal_notice", _("Formal notice: disclosure order not answered"), build_formal_notice)
ANSWER_REJECTED = _kind("answer_rejected", _("Your answer to the order is incomplete"), build_answer_rejected)
EXTENSION_DECISION = _kind("extension_decision", _("Decision on your request for more time"), build_extension_decision)
ORDER_WITHDRAWN = _kind("order_withdrawn", _("Withdrawal of a disclosure order"), build_order_withdrawn)
IDENTIFICATION = _kind(
    "identification", _("Identification of the holder of the account or line"), build_identification, related=()
)
NO_RESULT = _kind("no_result", _("The holder could not be identified"), build_no_result, related=())
