"""Complaint intake: a complaint becomes a case in state `submitted`, acknowledged by letter."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
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
from ombudsman.audit.services import LOCK_HEAD_SQL, PUBLIC, EventSpec, append_events, event_rows, record_event
from ombudsman.core.bulk import execute_with, orm_insert_sql
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
        # The files first, before anything is locked: an upload can be large.
        evidence = write_evidence_files(complaint.evidence, written)
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
            if connection.vendor == "postgresql":
                request_id, head_hash = _insert_complaint(case, complaint, evidence, entered_by, today)
                queue_rendering([request_id])
            else:  # the trial's SQLite: the ORM, one table at a time
                _number_and_insert(case, today)
                PerpetratorIdentifier.objects.bulk_create(_identifiers(complaint, case.pk))
                MessageTime.objects.bulk_create(_message_times(complaint, case.pk))
                for each in evidence:
                    each.case = case
                    each.save()
                request_letters([_acknowledgement(case, entered_by)])
                head_hash = None
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
            append_events(event_rows([event]), locked_head_hash=head_hash)
    except BaseException:
        # The rows rolled back; remove the files too, so nothing half-made remains.
        delete_written_files(written)
        raise
    return case


def _identifiers(complaint: Complaint, case_id: Any) -> list[PerpetratorIdentifier]:
    return [
        PerpetratorIdentifier(
            case_id=case_id, kind=kind, value=value, normalised=normalise(kind, value, complaint.service.name)
        )
        for kind, value in complaint.identifiers
    ]


def _message_times(complaint: Complaint, case_id: Any) -> list[MessageTime]:
    return [MessageTime(case_id=case_id, received_at=moment) for moment in complaint.message_times]


def _acknowledgement(case: Case, entered_by: Any) -> LetterSpec:
    return LetterSpec(
        kind=ACKNOWLEDGEMENT,
        target=case,
        language=case.language,
        trigger_key=f"case:{case.pk}:{ACKNOWLEDGEMENT}",
        requested_by=entered_by,
    )


def _number_and_insert(case: Case, today: Any) -> None:
    case.reference = Case.format_reference(today.year, ReferenceSequence.next_number(today.year))
    case.save(force_insert=True)


def _insert_complaint(
    case: Case, complaint: Complaint, evidence: list[Evidence], entered_by: Any, today: Any
) -> tuple[int, str | None]:
    """PostgreSQL: the case, its rows, its id and reference number, and the lock on the trail's
    head, in one statement: the year's counter and the head then stay locked for two round trips
    only (the event and the commit), and a submission makes four in all (with BEGIN) rather than
    thirteen. Written by hand around the ORM's own INSERTs, as the ORM writes one table per
    statement; the rows name the case by its id from the statement's `new_case`. Foreign keys
    are checked at commit, so the order of the rows does not matter. Returns the id of the
    acknowledgement's request and the head's hash (None while the trail is empty)."""
    case_id = RawSQL("(SELECT id FROM new_case)", [])
    number_sql, number_params = ReferenceSequence.next_number_sql(today.year)
    parts = [
        ("new_case", f"SELECT nextval(pg_get_serial_sequence('{Case._meta.db_table}', 'id')) AS id", []),
        ("reference_number", number_sql, number_params),
    ]
    for name, objects in (
        ("identifiers", _identifiers(complaint, case_id)),
        ("message_times", _message_times(complaint, case_id)),
        ("evidence", [_with_case_id(each, case_id) for each in evidence]),
    ):
        if objects:
            parts.append((name, *orm_insert_sql(objects)))
    (request_row,) = letter_request_rows([_acknowledgement(case, entered_by)])
    request_row["object_id"] = RawSQL("(SELECT id::text FROM new_case)", [])
    request_row["trigger_key"] = RawSQL("(SELECT 'case:' || id || %s FROM new_case)", [f":{ACKNOWLEDGEMENT}"])
    sql, params = orm_insert_sql([LetterRequest(**request_row)])
    parts.append(("letter_request", f"{sql} RETURNING id", params))
    parts.append(("chain_head", LOCK_HEAD_SQL, []))
    case.id = case_id
    case.reference = Case.reference_sql(today.year, "SELECT last_number FROM reference_number")
    case_sql, case_params = orm_insert_sql([case], with_ids=True)
    returning = "RETURNING id, reference, (SELECT id FROM letter_request), (SELECT last_hash FROM chain_head)"
    case.id, case.reference, request_id, head_hash = execute_with(parts, f"{case_sql} {returning}", case_params)
    case._state.adding = False
    case._state.db = connection.alias
    for each in evidence:
        each.case = case
        each._state.adding = False
    return request_id, head_hash


def _with_case_id(evidence: Evidence, case_id: Any) -> Evidence:
    evidence.case_id = case_id
    return evidence


def store_evidence(
    case: Case, files: list[CheckedFile], written: list[str], information_request: Any = None
) -> list[Evidence]:
    """Write checked files and their rows; `written` collects file names for clean-up on failure."""
    stored = write_evidence_files(files, written, information_request=information_request)
    for evidence in stored:
        evidence.case = case
        evidence.save()
    return stored


def write_evidence_files(
    files: list[CheckedFile], written: list[str], information_request: Any = None
) -> list[Evidence]:
    """Write checked files to storage; their rows, unsaved, are returned for the caller to save.
    `written` collects file names for clean-up on failure."""
    stored = []
    for checked in files:
        evidence = Evidence(
            information_request=information_request,
            token=secrets.token_hex(16),
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        evidence.file.save(evidence.token, checked.upload, save=False)
        written.append(evidence.file.name)
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
