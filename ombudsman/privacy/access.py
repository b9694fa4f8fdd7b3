"""Data-subject access (GDPR art. 15): for a complainant, or a holder named in an answer to an
order, the data the office holds about them, who received it, and each access to it, without
the other party's identity.

The complainant's export never shows what platforms and operators disclosed (the holder); the
holder's export never shows the complainant's name or contact data: it names no complainant,
leaves out the description, and blacks out the complainant's name, e-mail and phone wherever a
free text (the purpose of a reading) mentions them. Matching a holder decrypts the answers in
memory; only the answers that match are read, and each of those readings is logged with its
purpose like any other. Every export is recorded (`SubjectAccessRequest` and an audit event)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.identifiers import normalise_phone
from cases.models import Case, IdentityRecipient
from cases.services.information import COMPLAINANT as COMPLAINANT_LINK
from enforcement.models import Referral
from ombudsman.accounts.roles import ADMINISTRATOR, BIPT_HEAD, BIPT_OFFICER, REVIEWER, ROLE_LABELS, ROLES, has_role
from ombudsman.audit.models import AuditEvent
from ombudsman.audit.services import PUBLIC, SYSTEM, record_event
from ombudsman.letters.models import Letter
from ombudsman.privacy.models import DataSubject, SubjectAccessRequest
from ombudsman.privacy.purge import PSEUDONYM
from ombudsman.privacy.retention import ENDED_STATES, case_years, erased_on, identity_years
from platforms.letters import IDENTIFICATION
from platforms.models import DisclosureAnswer, DisclosureOrder
from platforms.services.identity import log_identity_reading

READING_PURPOSE = "Data-subject access request of the holder (GDPR art. 15)"
REDACTED = "[…]"
OUTPUTS = ("html", "json", "pdf")


def may_answer_access_requests(user: Any) -> bool:
    return has_role(user, REVIEWER, ADMINISTRATOR)


@dataclass(frozen=True)
class SubjectQuery:
    """Who the export is about; every detail given must match."""

    subject: str
    name: str = ""
    email: str = ""
    phone: str = ""


def _fold(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


# Who did something, by role and organisation, never by name.


def _actor_labels() -> dict[str, str]:
    return {
        SYSTEM: _("The office's system (automatic)"),
        PUBLIC: _("The complainant, on the public form"),
        COMPLAINANT_LINK: _("The complainant, through the reply link"),
    }


class _Roles:
    """The role of each user met, read once per user."""

    def __init__(self) -> None:
        self._cache: dict[int, str] = {}

    def __call__(self, user: Any, actor_label: str = "") -> str:
        if user is None:
            return _actor_labels().get(actor_label, actor_label or _("The office's system (automatic)"))
        if user.pk not in self._cache:
            held = [role for role in ROLES if has_role(user, role)]
            organisation = (
                _("BIPT") if any(r in (BIPT_OFFICER, BIPT_HEAD) for r in held) else settings.OMBUDSMAN_OFFICE["name"]
            )
            roles = ", ".join(str(ROLE_LABELS[role]) for role in held) or _("Staff")
            self._cache[user.pk] = f"{roles} — {organisation}"
        return self._cache[user.pk]


# The complainant.


def find_complainant_cases(query: SubjectQuery) -> list[Case]:
    """The cases whose complainant (or victim) matches every detail given."""
    if not (query.name.strip() or query.email.strip()):
        return []
    matches = Q()
    if query.email.strip():
        matches &= Q(complainant_email__iexact=query.email.strip())
    if query.name.strip():
        name = " ".join(query.name.split())
        matches &= Q(full_name__iexact=name) | Q(reversed_name__iexact=name) | Q(victim_name__iexact=name)
    cases = (
        Case.objects.annotate(
            full_name=Concat("complainant_first_name", Value(" "), "complainant_last_name"),
            reversed_name=Concat("complainant_last_name", Value(" "), "complainant_first_name"),
        )
        .filter(matches)
        .select_related("service__organisation")
        .order_by("submitted_at", "pk")
    )
    phone = normalise_phone(query.phone) if query.phone.strip() else None
    if query.phone.strip():
        return [case for case in cases if phone and normalise_phone(case.complainant_phone or "") == phone]
    return list(cases)


def _orders_of(case: Case) -> QuerySet[DisclosureOrder]:
    return (
        DisclosureOrder.objects.filter(Q(case=case) | Q(joint_cases=case), issued_at__isnull=False)
        .distinct()
        .select_related("organisation")
        .order_by("issued_at", "pk")
    )


def _letters_of(case: Case) -> QuerySet[Letter]:
    return Letter.objects.filter(
        content_type__app_label="cases", content_type__model="case", object_id=str(case.pk)
    ).order_by("created_at", "pk")


def _complainant_recipients(case: Case, letters: list[Letter]) -> list[dict[str, Any]]:
    recipients = []
    orders = list(_orders_of(case))
    for order in orders:
        recipients.append(
            {
                "recipient": order.organisation.name,
                "date": order.issued_at,
                "what": _(
                    "Disclosure order %(order)s: the accounts or numbers reported, the dates of the messages and "
                    "the reasons for the order; never your name or contact data."
                )
                % {"order": order.reference},
            }
        )
    referrals = Referral.objects.filter(orders__in=orders).distinct().order_by("opened_at")
    for referral in referrals:
        recipients.append(
            {
                "recipient": str(settings.BIPT_OFFICE["name"]),
                "date": referral.opened_at,
                "what": _(
                    "Referral %(referral)s: the case reference, the offence categories and the history of the "
                    "orders; never your name or contact data."
                )
                % {"referral": referral.reference},
            }
        )
    for letter in letters:
        if letter.kind == IDENTIFICATION.code and letter.recipient_name not in (case.complainant_name, PSEUDONYM):
            recipients.append(
                {
                    "recipient": letter.recipient_name,
                    "date": letter.created_at,
                    "what": _("The identification letter, at your request: your case and the identity found."),
                }
            )
    return recipients


def _complainant_case(case: Case, roles: _Roles) -> dict[str, Any]:
    letters = list(_letters_of(case))
    events = (
        AuditEvent.objects.for_object(case)
        .exclude(action="identity_read")  # readings of the holder's data: not the complainant's
        .select_related("actor")
        .order_by("id")
    )
    return {
        "reference": case.reference,
        "submitted_at": case.submitted_at,
        "channel": case.get_channel_display(),
        "state": case.get_state_display(),
        "closed_on": case.closed_on,
        "you": {
            _("Who files"): case.get_filer_role_display(),
            _("First name"): case.complainant_first_name,
            _("Last name"): case.complainant_last_name,
            _("E-mail"): case.complainant_email,
            _("Phone"): case.complainant_phone,
            _("Address"): case.postal_address.strip(),
            _("Name of the victim"): case.victim_name,
            _("Language of correspondence"): case.get_language_display(),
        },
        "complaint": {
            _("Platform"): f"{case.service.name} ({case.service.organisation.name})",
            _("Offence categories"): ", ".join(case.offence_category_labels()),
            _("Description"): case.description,
            _("Police report number"): case.police_report_number,
            _("Accounts or numbers reported"): ", ".join(str(i) for i in case.identifiers.all()),
            _("Messages received"): ", ".join(
                timezone.localtime(m.received_at).strftime("%Y-%m-%d %H:%M") for m in case.message_times.all()
            ),
            _("Identity sent to"): case.get_identity_recipient_display()
            + (
                f" ({case.identity_recipient_name})" if case.identity_recipient != IdentityRecipient.COMPLAINANT else ""
            ),
        },
        "evidence": [
            {
                "file": e.original_name,
                "type": e.content_type,
                "size": e.size,
                "sha256": e.sha256,
                "received": e.uploaded_at,
            }
            for e in case.evidence.all()
        ],
        "information_requests": [
            {"asked": r.requested_at, "question": r.question, "answered": r.answered_at, "answer": r.answer}
            for r in case.information_requests.order_by("requested_at", "pk")
        ],
        "letters": [
            {
                "letter": str(letter.title),
                "date": letter.created_at,
                "to": letter.recipient_name,
                "verification_code": letter.verification_code,
                "sha256": letter.sha256,
                "file_kept": bool(letter.pdf),
            }
            for letter in letters
        ],
        "recipients": _complainant_recipients(case, letters),
        "accesses": [
            {"date": event.created_at, "what": str(event.label), "by": roles(event.actor, event.actor_label)}
            for event in events
        ],
        "pseudonymised_on": erased_on(case.closed_on, case_years()) if case.state in ENDED_STATES else None,
    }


# The holder.


def _holder_matches(identity: dict[str, Any], query: SubjectQuery, phone: str | None) -> bool:
    checks = []
    if query.name.strip():
        checks.append(_fold(identity.get("holder_name")) == _fold(query.name))
    if query.email.strip():
        checks.append(_fold(identity.get("email")) == _fold(query.email))
    if query.phone.strip():
        checks.append(phone is not None and normalise_phone(str(identity.get("phone") or "")) == phone)
    return bool(checks) and all(checks)


def find_holder_answers(query: SubjectQuery) -> list[tuple[DisclosureAnswer, dict[str, Any]]]:
    """The answers whose identity data matches every detail given (decrypted in memory)."""
    phone = normalise_phone(query.phone) if query.phone.strip() else None
    found = []
    answers = DisclosureAnswer.objects.exclude(identity_ciphertext="").order_by("answered_at", "pk")
    for answer in answers.iterator(chunk_size=1000):
        identity = answer.unseal_identity()
        if _holder_matches(identity, query, phone):
            found.append((answer, identity))
    return found


def _redactor(cases: list[Case]) -> Callable[[str], str]:
    """Blacks out the complainants' names and contact data in a free text."""
    words = set()
    for case in cases:
        for value in (
            case.complainant_name,
            case.complainant_first_name,
            case.complainant_last_name,
            case.complainant_email,
            case.complainant_phone,
            case.victim_name,
            case.street,
        ):
            if value and len(value.strip()) >= 2 and value != PSEUDONYM:
                words.add(value.strip())
    if not words:
        return lambda text: text
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in sorted(words, key=len, reverse=True)), re.IGNORECASE
    )
    return lambda text: pattern.sub(REDACTED, text)


def _ip_text(ip: dict[str, Any]) -> str:
    port = f" port {ip['port']}" if ip.get("port") is not None else ""
    return f"{ip.get('address', '')}{port} {ip.get('timestamp', '')}".strip()


def _identity_rows(identity: dict[str, Any]) -> dict[str, str]:
    labels = {"holder_name": _("Name"), "email": _("E-mail"), "phone": _("Phone"), "postal_address": _("Address")}
    rows = {str(label): str(identity[key]) for key, label in labels.items() if identity.get(key)}
    addresses = [_ip_text(ip) for ip in identity.get("ip_addresses") or []]
    if addresses:
        rows[_("IP addresses")] = "; ".join(addresses)
    for key, value in (identity.get("account") or {}).items():
        rows[f"{_('Account')}: {key}"] = str(value)
    return rows


def _holder_recipients(answer: DisclosureAnswer, order: DisclosureOrder) -> list[dict[str, Any]]:
    recipients = []
    letters = (
        Letter.objects.filter(kind=IDENTIFICATION.code, request__parameters__answer_id=answer.pk)
        .select_related("content_type")
        .order_by("created_at")
    )
    for letter in letters:
        case = letter.target
        to_complainant = case is None or letter.recipient_name in (case.complainant_name, PSEUDONYM)
        recipients.append(
            {
                "recipient": _("The complainant (whose identity is not given)")
                if to_complainant
                else letter.recipient_name,
                "date": letter.created_at,
                "what": _("The identification letter, with the identity data of this answer."),
            }
        )
    for follow_up in order.follow_ups.filter(issued_at__isnull=False).select_related("organisation"):
        recipients.append(
            {
                "recipient": follow_up.organisation.name,
                "date": follow_up.issued_at,
                "what": _("Order %(order)s: the IP address or phone number of this answer, to name its subscriber.")
                % {"order": follow_up.reference},
            }
        )
    return recipients


def _holder_answer(answer: DisclosureAnswer, identity: dict[str, Any], roles: _Roles) -> dict[str, Any]:
    order = answer.order
    covered = order.all_cases()
    redact = _redactor(covered)
    ended = all(case.state in ENDED_STATES and case.closed_on for case in covered)
    return {
        "order": order.reference,
        "source": order.organisation.name,
        "answered_at": answer.answered_at,
        "service": order.case.service.name,
        "offence_categories": ", ".join(order.case.offence_category_labels()),
        "identifiers": order.identifier_labels(),
        "data": _identity_rows(identity),
        "recipients": _holder_recipients(answer, order),
        "accesses": [
            {"date": access.accessed_at, "what": redact(access.purpose), "by": roles(access.user, access.actor_label)}
            for access in answer.accesses.select_related("user").order_by("accessed_at", "pk")
        ],
        "erased_on": max(erased_on(case.closed_on, identity_years()) for case in covered) if ended else None,
    }


# The use case.


def export_subject_data(*, query: SubjectQuery, output: str, by: Any = None, actor_label: str = "") -> dict[str, Any]:
    """The export for one data subject; records the lookup (and, for a holder, each reading)."""
    if by is not None and not may_answer_access_requests(by):
        raise PermissionDenied(_("Only reviewers and administrators answer data-subject access requests."))
    if query.subject not in DataSubject.values or output not in OUTPUTS:
        raise ValueError(f"unknown subject {query.subject!r} or output {output!r}")
    roles = _Roles()
    with transaction.atomic():
        if query.subject == DataSubject.COMPLAINANT:
            cases = find_complainant_cases(query)
            references = [case.reference for case in cases]
            items = [_complainant_case(case, roles) for case in cases]
            answers = 0
        else:
            matches = find_holder_answers(query)
            for answer, _identity in matches:
                log_identity_reading(answer, purpose=READING_PURPOSE, user=by, actor_label=actor_label)
            items = [_holder_answer(answer, identity, roles) for answer, identity in matches]
            references = sorted({answer.order.case.reference for answer, _identity in matches})
            answers = len(matches)
        register = SubjectAccessRequest.objects.create(
            requested_by=by,
            actor_label=actor_label,
            subject=query.subject,
            output=output,
            case_references=references,
            answers=answers,
        )
        record_event(
            register,
            "subject_access_export",
            actor=by,
            actor_label=actor_label,
            data={"subject": query.subject, "output": output, "cases": references, "answers": answers},
        )
    return {
        "generated_at": register.requested_at,
        "controller": {
            "name": str(settings.OMBUDSMAN_OFFICE["name"]),
            "address": str(settings.OMBUDSMAN_OFFICE["address"]),
            "email": settings.OMBUDSMAN_OFFICE["email"],
        },
        "subject": {
            "kind": str(DataSubject(query.subject).label),
            "name": query.name,
            "email": query.email,
            "phone": query.phone,
        },
        "purpose": _purpose(query.subject),
        "retention": _(
            "Identity data disclosed by platforms and operators is erased %(identity)s years after the case is "
            "closed; the case is pseudonymised, and its evidence and letters erased, after %(case)s years."
        )
        % {"identity": identity_years(), "case": case_years()},
        "rights": _(
            "You may ask for your data to be corrected or erased, or object to its processing, by writing to "
            "%(email)s; you may lodge a complaint with the Data Protection Authority (www.dataprotectionauthority.be)."
        )
        % {"email": settings.OMBUDSMAN_OFFICE["email"]},
        "cases" if query.subject == DataSubject.COMPLAINANT else "answers": items,
    }


def _purpose(subject: str) -> str:
    if subject == DataSubject.COMPLAINANT:
        return _(
            "Handling your complaint (Act of 21 March 1991, art. 43bis §3 7°): assessing it, ordering platforms "
            "and operators to disclose who holds the account or line, and writing to you."
        )
    return _(
        "Identifying the holder of an account or line used for harassment, at the request of its victim "
        "(Act of 21 March 1991, art. 43bis §3 7°); the holder is not necessarily the author."
    )
