"""Requests for information: the officer asks, the complainant answers through a signed link
(or by post, recorded by the officer), and the sweep closes the case when the date passes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import letters
from cases.evidence import CheckedFile
from cases.models import Case, CaseState, InformationRequest
from cases.services.handling import (
    CaseChangedMeanwhile,
    _letter,
    ensure_transition_allowed,
    lock_case,
    run_transition,
)
from cases.services.intake import delete_written_files, store_evidence
from ombudsman.audit.services import SYSTEM, record_event
from ombudsman.deadlines import legal_due_date
from ombudsman.deadlines.sweep import register_sweeper

COMPLAINANT = "complainant"


class InvalidReplyLink(Exception):
    """The link is not one the office sent, or it can no longer be used."""


def request_information(
    *, case_id: int, by: Any, question: str, expected_state: str | None = None
) -> InformationRequest:
    """Ask the complainant what is missing; the handling clock stops until they answer."""
    if not question.strip():
        raise ValidationError(_("Say what information is missing."))
    today = timezone.localdate()
    reply_by = legal_due_date(today, settings.INFORMATION_REPLY_DAYS)
    with transaction.atomic():
        case = lock_case(case_id, expected_state)
        ensure_transition_allowed(case, "request_information", by)
        request = InformationRequest.objects.create(case=case, requested_by=by, question=question, reply_by=reply_by)
        run_transition(
            case,
            "request_information",
            user=by,
            reply_by=reply_by,
            today=today,
            data={"question": question, "reply_by": reply_by.isoformat(), "request_id": request.pk},
        )
        _letter(case, letters.INFORMATION_REQUEST, f"request-{request.pk}", by=by, information_request_id=request.pk)
    return request


def open_request_from_link(token: str) -> InformationRequest:
    """The open request a reply link points to; anything else is an invalid link."""
    try:
        request_id = signing.Signer(salt=letters.REPLY_LINK_SALT).unsign_object(token)
    except signing.BadSignature:
        raise InvalidReplyLink from None
    request = InformationRequest.objects.select_related("case").filter(pk=request_id).first()
    if request is None or not request.is_open or request.case.state != CaseState.AWAITING_INFORMATION:
        raise InvalidReplyLink
    return request


def _record_answer(
    request_id: int, *, answer: str, files: list[CheckedFile], user: Any, channel: str
) -> InformationRequest:
    if not answer.strip() and not files:
        raise ValidationError(_("Write your answer or attach a file."))
    written: list[str] = []
    try:
        with transaction.atomic():
            # The case first, then the request: the sweep locks in the same order.
            case_id = InformationRequest.objects.values_list("case_id", flat=True).get(pk=request_id)
            case = lock_case(case_id, CaseState.AWAITING_INFORMATION)
            if user is not None:
                ensure_transition_allowed(case, "receive_information", user)
            request = InformationRequest.objects.select_for_update().get(pk=request_id)
            if not request.is_open:
                raise InvalidReplyLink
            request.answer = answer
            request.answered_at = timezone.now()
            request.save(update_fields=["answer", "answered_at"])
            stored = store_evidence(case, files, written, information_request=request)
            data = {
                "request_id": request.pk,
                "channel": channel,
                "evidence": [{"type": e.content_type, "sha256": e.sha256} for e in stored],
            }
            if user is None:
                # The complainant through the signed link: the link itself is the right to answer.
                case.receive_information(today=timezone.localdate())
                case.save()
                record_event(
                    case,
                    "receive_information",
                    actor_label=COMPLAINANT,
                    from_state=CaseState.AWAITING_INFORMATION,
                    to_state=case.state,
                    data=data,
                )
            else:
                run_transition(case, "receive_information", user=user, today=timezone.localdate(), data=data)
    except BaseException:
        delete_written_files(written)
        raise
    return request


def answer_information_request(*, token: str, answer: str, files: list[CheckedFile]) -> InformationRequest:
    """The complainant answers through the link of the letter; the case returns to assessment."""
    request = open_request_from_link(token)
    return _record_answer(request.pk, answer=answer, files=files, user=None, channel="link")


def record_information_received(
    *, case_id: int, by: Any, answer: str, files: list[CheckedFile], expected_state: str | None = None
) -> InformationRequest:
    """The officer records an answer that came by post or phone."""
    request = InformationRequest.objects.filter(
        case_id=case_id, answered_at__isnull=True, lapsed_at__isnull=True
    ).last()
    if request is None:
        raise CaseChangedMeanwhile(Case.objects.get(pk=case_id))
    return _record_answer(request.pk, answer=answer, files=files, user=by, channel="officer")


@register_sweeper("cases.lapse_unanswered_information_requests")
def lapse_unanswered_information_requests(today: date, batch_size: int = 200) -> int:
    """Close the cases whose request for information was not answered by its date."""
    lapsed = 0
    while True:
        with transaction.atomic():
            batch = list(
                Case.objects.select_for_update(skip_locked=True)
                .filter(state=CaseState.AWAITING_INFORMATION, information_due_on__lt=today)
                .order_by("information_due_on", "pk")[:batch_size]
            )
            if not batch:
                return lapsed
            for case in batch:
                request = case.information_requests.filter(answered_at__isnull=True, lapsed_at__isnull=True).last()
                reply_by = case.information_due_on
                case.lapse(today=today)
                case.save()
                if request is not None:
                    request.lapsed_at = timezone.now()
                    request.save(update_fields=["lapsed_at"])
                record_event(
                    case,
                    "lapse",
                    actor_label=SYSTEM,
                    from_state=CaseState.AWAITING_INFORMATION,
                    to_state=case.state,
                    data={"reply_by": reply_by.isoformat(), "request_id": request.pk if request else None},
                )
                _letter(
                    case,
                    letters.LAPSE,
                    f"request-{request.pk if request else 'none'}",
                    information_request_id=request.pk if request else None,
                )
            lapsed += len(batch)
