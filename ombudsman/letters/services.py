"""Issuing letters: request one in a use case's transaction; render it after commit."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import connection, models, transaction
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ombudsman.audit.services import LOCK_HEAD_SQL, SYSTEM, EventSpec, append_events, event_rows, record_event
from ombudsman.core.bulk import execute_with, insert_rows, orm_insert_sql, orm_update_sql
from ombudsman.core.queue import enqueue_on_commit
from ombudsman.letters.kinds import LetterKind, all_kinds, get_kind
from ombudsman.letters.models import Letter, LetterRequest, new_verification_code
from ombudsman.letters.rendering import html_to_pdf

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LetterSpec:
    """One letter to request; `request_letters` records many in one statement."""

    kind: str
    target: models.Model
    language: str
    trigger_key: str
    requested_by: object | None = None
    parameters: dict[str, Any] | None = None


def request_letters(specs: list[LetterSpec]) -> list[int]:
    """Record that letters are needed and queue their rendering after commit (one task for all).

    Call it inside the use case's transaction. The same trigger key twice gives one letter."""
    if not specs:
        return []
    ids = insert_rows(LetterRequest, letter_request_rows(specs), unique_field="trigger_key")
    queue_rendering(ids)
    return ids


def letter_request_rows(specs: list[LetterSpec]) -> list[dict[str, Any]]:
    """The rows of requests for `specs` ({attname: value}); unknown kinds and languages fail
    here, inside the use case, not later in a worker."""
    rows = []
    now = timezone.now()
    for spec in specs:
        get_kind(spec.kind)
        if spec.language not in dict(settings.LETTER_LANGUAGES):
            raise ValueError(f"letters are not written in {spec.language!r}")
        requested_by = spec.requested_by if getattr(spec.requested_by, "is_authenticated", False) else None
        rows.append(
            {
                "kind": spec.kind,
                "language": spec.language,
                "content_type_id": ContentType.objects.get_for_model(spec.target, for_concrete_model=False).pk,
                "object_id": str(spec.target.pk),
                "trigger_key": spec.trigger_key,
                "parameters": spec.parameters or {},
                "requested_by_id": requested_by.pk if requested_by else None,
                "requested_at": now,
                "completed_at": None,
                "attempts": 0,
                "last_error": "",
                "failed_at": None,
            }
        )
    return rows


def queue_rendering(request_ids: list[int]) -> None:
    """Queue the rendering of new requests once the transaction commits (one task for all)."""
    from ombudsman.letters.tasks import render_letter_task, render_letters_task

    if len(request_ids) == 1:
        enqueue_on_commit(render_letter_task, request_ids[0])
    elif request_ids:
        enqueue_on_commit(render_letters_task, request_ids)


def request_letter(
    *,
    kind: str,
    target: models.Model,
    language: str,
    trigger_key: str,
    requested_by: object | None = None,
    parameters: dict[str, Any] | None = None,
) -> LetterRequest:
    """Record that `target` needs one letter of `kind` (see `request_letters`)."""
    (request_id,) = request_letters([LetterSpec(kind, target, language, trigger_key, requested_by, parameters)])
    return LetterRequest.objects.get(pk=request_id)


def compose_letter(
    kind: LetterKind,
    target: models.Model,
    *,
    language: str,
    version: int = 1,
    parameters: dict[str, Any] | None = None,
) -> tuple[Letter, str]:
    """The unsaved letter of `kind` about `target` and its HTML, in `language`."""
    with translation.override(language):
        content = kind.build(target, parameters or {})
        letter = Letter(
            kind=kind.code,
            language=language,
            version=version,
            reference=content.reference,
            recipient_name=content.recipient_name,
            recipient_email=content.recipient_email,
            recipient_address=content.recipient_address,
            signatory_name=content.signatory.name,
            signatory_capacity=content.signatory.capacity,
            signatory_contact=content.signatory.contact,
            verification_code=new_verification_code(),
            created_at=timezone.now(),
        )
        html = render_to_string(
            kind.template,
            {
                "letter": letter,
                "kind": kind,
                "title": kind.title,
                "content": content,
                "remedies": content.remedies,
                "office": content.issuer or settings.OMBUDSMAN_OFFICE,
                "verify_url": f"{settings.OMBUDSMAN_PUBLIC_URL.rstrip('/')}/verify/",
                **content.context,
            },
        )
    return letter, html


def render_letter(request_id: int) -> Letter:
    """Render and store the letter of one request. Idempotent: a second run returns the
    letter of the first, also when both run at once (the request row is locked). Mailing it is
    the next step (`mail_letter`)."""
    written_name = None
    try:
        with transaction.atomic():
            # The request locked and the latest version of its letter read in one round trip.
            letter_request = (
                LetterRequest.objects.select_for_update().annotate(latest_version=_latest_version()).get(pk=request_id)
            )
            # The letter and the request's completion commit together: no completion, no letter.
            if letter_request.completed_at is not None:
                existing = Letter.objects.filter(request=letter_request).first()
                if existing is not None:
                    return existing
            kind = get_kind(letter_request.kind)
            target = _target(letter_request, kind)
            letter, html = compose_letter(
                kind,
                target,
                language=letter_request.language,
                version=(letter_request.latest_version or 0) + 1,
                parameters=letter_request.parameters,
            )
            letter.request = letter_request
            letter.content_type_id = letter_request.content_type_id
            letter.object_id = letter_request.object_id
            letter.created_by_id = letter_request.requested_by_id
            pdf = html_to_pdf(html)
            letter.sha256 = hashlib.sha256(pdf).hexdigest()
            # The name is the request's: what an attempt cut off before its commit wrote goes first.
            leftover = letter.pdf.field.generate_filename(letter, "")
            if letter.pdf.storage.exists(leftover):
                letter.pdf.storage.delete(leftover)
            letter.pdf.save(f"{letter.verification_code}.pdf", ContentFile(pdf), save=False)
            written_name = letter.pdf.name
            letter_request.completed_at = timezone.now()
            letter_request.attempts += 1
            head_hash = _insert_and_complete(letter, letter_request)
            event = EventSpec(
                target,
                "letter_issued",
                actor_label=SYSTEM,
                data={
                    "letter_id": letter.pk,
                    "kind": kind.code,
                    "version": letter.version,
                    "language": letter.language,
                    "sha256": letter.sha256,
                    "verification_code": letter.verification_code,
                },
            )
            append_events(event_rows([event]), locked_head_hash=head_hash)
            return letter
    except Exception as exc:
        # The row rolled back: remove the file so nothing is left half-made.
        if written_name:
            letter.pdf.storage.delete(written_name)
        LetterRequest.objects.filter(pk=request_id).update(
            attempts=models.F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise


def _insert_and_complete(letter: Letter, letter_request: LetterRequest) -> str | None:
    """Insert the letter and mark its request completed; on PostgreSQL in one statement that
    also locks the trail's head, whose hash it returns (None: not locked yet)."""
    if connection.vendor != "postgresql":
        letter.save()
        letter_request.save(update_fields=["completed_at", "attempts"])
        return None
    completed = orm_update_sql(
        LetterRequest,
        letter_request.pk,
        {"completed_at": letter_request.completed_at, "attempts": letter_request.attempts},
    )
    insert, params = orm_insert_sql([letter])
    statement = f"{insert} RETURNING id, (SELECT last_hash FROM chain_head)"  # noqa: S608 (the ORM's own INSERT)
    letter.pk, head_hash = execute_with(
        [("completed", *completed), ("chain_head", LOCK_HEAD_SQL, [])], statement, params
    )
    letter._state.adding = False
    letter._state.db = connection.alias
    return head_hash


def _target(letter_request: LetterRequest, kind: LetterKind) -> models.Model:
    """The request's target, with the relations its letter reads."""
    if not kind.related:
        return letter_request.target
    model = ContentType.objects.get_for_id(letter_request.content_type_id).model_class()
    return model._base_manager.select_related(*kind.related).get(pk=letter_request.object_id)


def _latest_version() -> Subquery:
    """The version of the latest letter of a request's kind about its object (None: the first)."""
    return Subquery(
        Letter.objects.filter(
            content_type_id=OuterRef("content_type_id"), object_id=OuterRef("object_id"), kind=OuterRef("kind")
        )
        .order_by("-version")
        .values("version")[:1]
    )


def mail_letter(letter: Letter) -> None:
    """Queue the e-mail of a rendered letter to its recipient, if its kind is mailed and it was not
    sent yet (a broker outage leaves it to the sweep of unsent letters)."""
    if letter.sent_at is None and letter.recipient_email and get_kind(letter.kind).email_to_recipient:
        from ombudsman.letters.tasks import send_letter_task

        enqueue_on_commit(send_letter_task, letter.pk)


def send_letter(letter_id: int) -> bool:
    """E-mail a letter to its recipient with the PDF attached, once. Returns whether it sent."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.sent_at is not None or not letter.recipient_email:
            return False
        with translation.override(letter.language):
            subject = f"{settings.OMBUDSMAN_OFFICE['name']} · {letter.title} · {letter.reference}"
            body = render_to_string(
                "letters/email_body.txt",
                {"letter": letter, "office_name": settings.OMBUDSMAN_OFFICE["name"]},
            )
        message = EmailMessage(subject=subject, body=body, to=[letter.recipient_email])
        with letter.pdf.open("rb") as handle:
            message.attach(
                f"{letter.reference}-{letter.kind}-v{letter.version}.pdf",
                handle.read(),
                "application/pdf",
            )
        # Delivery metadata only: the letter's content stays untouched.
        Letter.objects.filter(pk=letter.pk).update(sent_at=timezone.now())
        record_event(
            letter.target,
            "letter_sent",
            actor_label=SYSTEM,
            data={"letter_id": letter.pk, "channel": "email"},
        )
        # Last, just before the commit: a failure above sends nothing, and a failed send rolls
        # the record back for a retry. Only a crash between the send and the commit sends twice.
        message.send()
    return True


def pending_letter_requests(older_than: timedelta) -> models.QuerySet[LetterRequest]:
    """Letters triggered a while ago and still not rendered (a lost task, a broker outage, a worker
    killed while rendering), except those whose retries ran out: they wait for an administrator."""
    return LetterRequest.objects.filter(
        completed_at__isnull=True, failed_at__isnull=True, requested_at__lt=timezone.now() - older_than
    ).order_by("requested_at")


def mark_letter_failed(request_id: int) -> None:
    """The automatic retries of a request ran out: it waits for an administrator."""
    LetterRequest.objects.filter(pk=request_id, completed_at__isnull=True).update(failed_at=timezone.now())
    logger.error("letter request %s failed after its retries", request_id)


def retry_letter_requests(request_ids: list[int], *, by: object) -> int:
    """An administrator retries letters that could not be rendered: each starts over with its
    retries, and the error it had stays shown until it renders. Returns how many."""
    from ombudsman.letters.tasks import render_letter_task

    retried = 0
    with transaction.atomic():
        for letter_request in LetterRequest.objects.select_for_update().filter(
            pk__in=request_ids, completed_at__isnull=True
        ):
            record_event(
                letter_request.target,
                "letter_retried",
                actor=by,
                data={
                    "letter_request": letter_request.pk,
                    "kind": letter_request.kind,
                    "attempts": letter_request.attempts,
                    "last_error": letter_request.last_error,
                },
            )
            LetterRequest.objects.filter(pk=letter_request.pk).update(attempts=0, failed_at=None)
            enqueue_on_commit(render_letter_task, letter_request.pk)
            retried += 1
    return retried


def unsent_letters(older_than: timedelta) -> models.QuerySet[Letter]:
    """Letters to be e-mailed that were rendered a while ago and still not sent."""
    mailed_kinds = [kind.code for kind in all_kinds() if kind.email_to_recipient]
    return (
        Letter.objects.filter(kind__in=mailed_kinds, sent_at__isnull=True, created_at__lt=timezone.now() - older_than)
        .exclude(recipient_email="")
        .order_by("created_at")
    )


def describe_verification(code: str) -> dict[str, object] | None:
    """What the public may learn about a letter from its code: that it exists, its kind,
    date and hash, and nothing about the people in it."""
    letter = Letter.objects.filter(verification_code=code.strip().upper()).first()
    if letter is None:
        return None
    return {
        "code": letter.verification_code,
        "kind": letter.title,
        "issued_on": timezone.localdate(letter.created_at),
        "version": letter.version,
        "sha256": letter.sha256,
    }
