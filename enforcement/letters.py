"""The letters of referrals and sanction procedures (DESIGN.md §6), in the letter catalogue."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.letters import officer_signatory
from ombudsman.letters.kinds import LetterContent, LetterKind, Remedies, Signatory, register


def market_court_remedies() -> Remedies:
    return Remedies(
        body=str(_("The Market Court (Brussels Court of Appeal), Place Poelaert 1, 1000 Brussels")),
        form=str(_("A petition lodged at the registry of the Brussels Court of Appeal, signed by a lawyer.")),
        deadline=str(_("60 days from the notification of this decision.")),
    )


def bipt_signatory(procedure: Any) -> Signatory:
    officer = procedure.referral.assigned_to
    if officer is None:
        return Signatory(
            str(settings.BIPT_OFFICE["name"]), str(_("Enforcement service")), settings.BIPT_OFFICE["email"]
        )
    return Signatory(
        officer.display_name,
        officer.capacity or str(_("Enforcement officer")),
        officer.email or settings.BIPT_OFFICE["email"],
    )


def _bipt_issuer() -> dict[str, Any]:
    office = settings.BIPT_OFFICE
    return {
        "name": office["name"],
        "address": office["address"],
        "email": office["email"],
        "phone": "",
        "website": "https://www.bipt.be",
    }


def _to_organisation(procedure: Any, *, remedies: Remedies | None = None, **context: Any) -> LetterContent:
    organisation = procedure.referral.organisation
    return LetterContent(
        reference=procedure.referral.reference,
        recipient_name=organisation.name,
        recipient_address=organisation.legal_address,
        recipient_email=organisation.contact_point_email,
        signatory=bipt_signatory(procedure),
        remedies=remedies,
        issuer=_bipt_issuer(),
        context={"procedure": procedure, "referral": procedure.referral, "organisation": organisation, **context},
    )


def build_referral_dossier(referral: Any, parameters: dict[str, Any]) -> LetterContent:
    """For BIPT: the orders, their timelines and letters, the cases' references and offence
    categories; never a complainant's name or contact data."""
    from ombudsman.audit.models import AuditEvent
    from ombudsman.letters.models import Letter

    orders = []
    for order in referral.orders.select_related("case", "organisation").order_by("id"):
        orders.append(
            {
                "order": order,
                "case_reference": order.case.reference,
                "offences": order.case.offence_category_labels(),
                "events": AuditEvent.objects.for_object(order).order_by("id"),
                "letters": Letter.objects.filter(
                    content_type__app_label="platforms",
                    content_type__model="disclosureorder",
                    object_id=str(order.pk),
                ).order_by("created_at"),
            }
        )
    signatory = settings.OMBUDSMAN_ORDERS_SIGNATORY
    return LetterContent(
        reference=referral.reference,
        recipient_name=str(settings.BIPT_OFFICE["name"]),
        recipient_address=settings.BIPT_OFFICE["address"],
        recipient_email=settings.BIPT_OFFICE["email"],
        signatory=officer_signatory(referral.opened_by)
        if referral.opened_by
        else Signatory(str(signatory["name"]), str(signatory["capacity"]), str(signatory["contact"])),
        context={"referral": referral, "organisation": referral.organisation, "orders": orders},
    )


def build_grievances(procedure: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_organisation(procedure, defence_days=settings.DEFENCE_PERIOD_DAYS)


def build_hearing(procedure: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_organisation(procedure)


def build_draft(procedure: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_organisation(procedure)


def build_decision(procedure: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_organisation(procedure, remedies=market_court_remedies(), public=False)


def black_out(text: str, terms: list[str]) -> str:
    """The text with every business secret the officer marked replaced by […]."""
    for term in sorted(terms, key=len, reverse=True):
        text = re.sub(re.escape(term), "[…]", text, flags=re.IGNORECASE)
    return text


def build_public_decision(procedure: Any, parameters: dict[str, Any]) -> LetterContent:
    """The non-confidential version for publication: no personal data, no marked business secret."""
    terms = list(procedure.confidential_terms)
    return LetterContent(
        reference=procedure.referral.reference,
        recipient_name=str(_("Publication")),
        recipient_address="",
        recipient_email="",
        signatory=Signatory(
            str(settings.BIPT_OFFICE["name"]), str(_("Enforcement service")), settings.BIPT_OFFICE["email"]
        ),
        remedies=market_court_remedies(),
        issuer=_bipt_issuer(),
        context={
            "procedure": procedure,
            "organisation": procedure.referral.organisation,
            "public": True,
            "reasons": black_out(procedure.decision_reasons, terms),
            "grievances": black_out(procedure.grievances, terms),
        },
    )


def build_payment_reminder(procedure: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_organisation(procedure)


def build_closure(procedure: Any, parameters: dict[str, Any]) -> LetterContent:
    return _to_organisation(procedure)


def _kind(code: str, title: Any, build: Any, *, decision: bool = False, email: bool = True) -> LetterKind:
    return register(
        LetterKind(
            code=code,
            title=title,
            template=f"letters/enforcement/{code}.html",
            build=build,
            is_decision=decision,
            email_to_recipient=email,
        )
    )


REFERRAL_DOSSIER = _kind(
    "referral_dossier", _("Referral dossier: non-cooperation with disclosure orders"), build_referral_dossier
)
GRIEVANCES = _kind("grievances", _("Notice of grievances"), build_grievances)
HEARING_INVITATION = _kind("hearing_invitation", _("Invitation to a hearing"), build_hearing)
DRAFT_DECISION = _kind("draft_decision", _("Draft decision"), build_draft)
FINE_DECISION = _kind("fine_decision", _("Decision imposing an administrative fine"), build_decision, decision=True)
FINE_DECISION_PUBLIC = _kind(
    "fine_decision_public",
    _("Decision imposing an administrative fine (non-confidential version)"),
    build_public_decision,
    decision=True,
    email=False,
)
DISMISSAL = _kind("dismissal", _("Decision to dismiss the procedure"), build_decision, decision=True)
PAYMENT_REMINDER = _kind("payment_reminder", _("Reminder: administrative fine unpaid"), build_payment_reminder)
PROCEDURE_CLOSURE = _kind("procedure_closure", _("Closure of the sanction procedure"), build_closure)
