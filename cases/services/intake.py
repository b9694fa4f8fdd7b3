"""Complaint intake: a complaint becomes a case in state `submitted`, acknowledged by letter."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cases.evidence import CheckedFile
from cases.identifiers import normalise
from cases.letters import ACKNOWLEDGEMENT as ACKNOWLEDGEMENT_LETTER
from cases.models import (
    Case,
    CaseState,
    Channel,
    Evidence,
    MessageTime,
    PerpetratorIdentifier,
    ReferenceSequence,
)
from ombudsman.audit.services import (
    LOCK_HEAD_SQL,
    PUBLIC,
    EventSpec,
    append_events,
    event_rows,
    record_event,
    record_events,
)
from ombudsman.core.bulk import orm_insert_sql, reserve_ids
from ombudsman.deadlines import legal_due_date
from ombudsman.letters.models import LetterRequest
from ombudsman.letters.services import LetterSpec, letter_request_rows, queue_rendering, request_letters
from platforms.models import Service

ACKNOWLEDGEMENT = ACKNOWLEDGEMENT_LETTER.code


@dataclass
class Complaint:
    """A complaint as filed, already validated by the form it came from."""

    filer_role: str
    first_name: str
    last_name: str
    email: str
    phone: str
    street: str
    postal_code: str
    city: str
    country: str
    language: str
    service: Service
    offence_categories: list[str]
    description: str
    identifiers: list[tuple[str, str]]
    message_times: list[datetime]
    victim_name: str = ""
    police_report_number: str = ""
    identity_recipient: str = "complainant"
    identity_recipient_name: str = ""
    identity_recipient_address: str = ""
    declared_truthful: bool = False
    consented_to_processing: bool = False
    evidence: list[CheckedFile] = field(default_factory=list)


class IntakeError(ValueError):
    """The complaint cannot be accepted as it is; the message says why."""


def submit_complaint(*, complaint: Complaint, channel: str = Channel.WEB, entered_by: Any = None) -> Case:
    """Store a complaint with its evidence, in state `submitted`, and acknowledge it."""
    if not (complaint.declared_truthful and complaint.consented_to_processing):
        raise IntakeError("A complaint needs the truthfulness declaration and consent to processing.")
    if not complaint.identifiers or not complaint.message_times:
        raise IntakeError("A complaint names at least one identifier and one message time.")
    if channel != Channel.WEB and entered_by is None:
        raise IntakeError("A complaint received by post or e-mail is entered by a member of staff.")

    written: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            today = timezone.localdate(now)
            case = Case(
                channel=channel,
                language=complaint.language,
                filer_role=complaint.filer_role,
                complainant_first_name=complaint.first_name,
                complainant_last_name=complaint.last_name,
                complainant_email=complaint.email,
                complainant_phone=complaint.phone,
                street=complaint.street,
                postal_code=complaint.postal_code,
                city=complaint.city,
                country=complaint.country,
                victim_name=complaint.victim_name,
                service=complaint.service,
                offence_categories=complaint.offence_categories,
                description=complaint.description,
                police_report_number=complaint.police_report_number,
                identity_recipient=complaint.identity_recipient,
                identity_recipient_name=complaint.identity_recipient_name,
                identity_recipient_address=complaint.identity_recipient_address,
                declared_truthful=complaint.declared_truthful,
                consented_to_processing=complaint.consented_to_processing,
                submitted_at=now,
                entered_by=entered_by,
                # The file is complete at submission: the form asks for everything it needs.
                handling_started_on=today,
                handling_due_on=legal_due_date(today, settings.CASE_HANDLING_TARGET_DAYS),
            )
            # PostgreSQL writes the complaint in one statement (`_insert_complaint`), under an id
            # taken in advance; the trial's SQLite numbers and inserts the case row first.
            on_postgresql = connection.vendor == "postgresql"
            if on_postgresql:
                case.pk = reserve_ids(Case, 1)[0]
            else:
                _number_and_insert(case, today)
            identifiers = [
                PerpetratorIdentifier(
                    case=case, kind=kind, value=value, normalised=normalise(kind, value, complaint.service.name)
                )
                for kind, value in complaint.identifiers
            ]
            message_times = [MessageTime(case=case, received_at=moment) for moment in complaint.message_times]
            acknowledgement = LetterSpec(
                kind=ACKNOWLEDGEMENT,
                target=case,
                language=case.language,
                trigger_key=f"case:{case.pk}:{ACKNOWLEDGEMENT}",
                requested_by=entered_by,
            )
            event = EventSpec(
                case,
                "submitted",
                actor=entered_by,
                actor_label="" if entered_by else PUBLIC,
                to_state=CaseState.SUBMITTED,
                data={
                    "channel": channel,
                    "identifiers": len(complaint.identifiers),
                    # Hashes, never the uploaded names: the trail outlives the retention period.
                    "evidence": [{"type": c.content_type, "sha256": c.sha256} for c in complaint.evidence],
                },
            )
            store_evidence(case, complaint.evidence, written)
            if on_postgresql:
                request_id, head_hash = _insert_complaint(case, identifiers, message_times, acknowledgement, today)
                queue_rendering([request_id])
                append_events(event_rows([event]), locked_head_hash=head_hash)
            else:
                PerpetratorIdentifier.objects.bulk_create(identifiers)
                MessageTime.objects.bulk_create(message_times)
                request_letters([acknowledgement])
                record_events([event])
    except BaseException:
        # The rows rolled back; remove the files too, so nothing half-made remains.
        delete_written_files(written)
        raise
    return case


def _number_and_insert(case: Case, today: Any) -> None:
    case.reference = Case.format_reference(today.year, ReferenceSequence.next_number(today.year))
    case.save(force_insert=True)


def _insert_complaint(
    case: Case,
    identifiers: list[PerpetratorIdentifier],
    message_times: list[MessageTime],
    acknowledgement: LetterSpec,
    today: Any,
) -> tuple[int, str | None]:
    """PostgreSQL: the complaint's rows, its reference number and the lock on the trail's head
    in one statement, so the year's counter and the head stay locked for two round trips only
    (the event and the commit), and a submission makes six in all rather than twelve. Written
    by hand around the ORM's own INSERTs: the ORM writes one table per statement. Foreign keys
    are checked at commit, so the order of the rows does not matter. Returns the id of the
    acknowledgement's request and the head's hash (None while the trail is empty)."""
    number_sql, number_params = ReferenceSequence.next_number_sql(today.year)
    parts = [("reference_number", number_sql, number_params)]
    for name, objects in (("identifiers", identifiers), ("message_times", message_times)):
        sql, params = orm_insert_sql(objects)
        parts.append((name, sql, params))
    (request_row,) = letter_request_rows([acknowledgement])
    sql, params = orm_insert_sql([LetterRequest(**request_row)])
    parts.append(("letter_request", f"{sql} RETURNING id", params))
    parts.append(("chain_head", LOCK_HEAD_SQL, []))
    case.reference = Case.reference_sql(today.year, "SELECT last_number FROM reference_number")
    case_sql, case_params = orm_insert_sql([case], with_ids=True)
    ctes = ", ".join(f"{name} AS ({sql})" for name, sql, _params in parts)
    returning = "RETURNING reference, (SELECT id FROM letter_request), (SELECT last_hash FROM chain_head)"
    statement = f"WITH {ctes} {case_sql} {returning}"
    with connection.cursor() as cursor:
        cursor.execute(statement, [param for _name, _sql, params in parts for param in params] + case_params)
        case.reference, request_id, head_hash = cursor.fetchone()
    case._state.adding = False
    case._state.db = connection.alias
    return request_id, head_hash


def store_evidence(
    case: Case, files: list[CheckedFile], written: list[str], information_request: Any = None
) -> list[Evidence]:
    """Write checked files and their rows; `written` collects file names for clean-up on failure."""
    stored = []
    for checked in files:
        evidence = Evidence(
            case=case,
            information_request=information_request,
            token=secrets.token_hex(16),
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        evidence.file.save(evidence.token, checked.upload, save=False)
        written.append(evidence.file.name)
        evidence.save()
        stored.append(evidence)
    return stored


def delete_written_files(written: list[str]) -> None:
    storage = Evidence._meta.get_field("file").storage
    for name in written:
        storage.delete(name)


def record_evidence_download(*, case: Case, evidence: Evidence, user: Any) -> None:
    """Log who opened a piece of evidence: it may show intimate images."""
    with transaction.atomic():
        record_event(
            case,
            "evidence_downloaded",
            actor=user,
            data={"evidence_id": evidence.pk, "sha256": evidence.sha256},
        )
