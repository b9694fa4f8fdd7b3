"""The retention purge (README "Privacy").

Two stages, each after its period from the case's closure (`retention.py`):
- identity: the identity data platforms and operators disclosed (the encrypted answer) and the
  identification letters that repeat it are erased; the answer keeps its outcome, date and channel;
- case: the case is pseudonymised (complainant, contact data, description, identifiers, message
  times, texts of requests for information and reasons of assessments), its evidence files and
  the PDFs of its letters are erased; what the statistics count (platform, categories, dates,
  states, orders and answers) stays.

Letters are immutable records: the PDF file is erased and the row kept with its SHA-256 and its
verification code, so the letter's existence stays provable. The audit trail is never changed:
each purge appends an event, so the chain still verifies. Like the deadline sweep, the purge
selects in the database what is past its period, locks it in batches with
`select_for_update(skip_locked=True)`, writes a `PurgeRecord` per case and stage (unique, so a
second run changes nothing), and removes files after commit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import Case, Evidence, InformationRequest, MessageTime, PerpetratorIdentifier
from ombudsman.audit.services import SYSTEM, EventSpec, record_events
from ombudsman.letters.models import Letter, LetterRequest
from ombudsman.privacy.models import PurgeRecord, PurgeRun, PurgeStage
from ombudsman.privacy.retention import case_years, identity_years, is_past_period, past_period
from platforms.letters import IDENTIFICATION
from platforms.models import DisclosureAnswer, DisclosureOrder

logger = logging.getLogger(__name__)

# What replaces personal data in the rows that are kept.
PSEUDONYM = "(pseudonymised)"
ERASED = "(erased at the end of the retention period)"

BATCH_SIZE = 100


@dataclass
class Erasure:
    """What one stage erased from one case; files are removed once the transaction commits."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[tuple[Any, str]] = field(default_factory=list)

    def add(self, kind: str, count: int) -> None:
        if count:
            self.counts[kind] = self.counts.get(kind, 0) + count


def _orders_covering(case: Case) -> QuerySet[DisclosureOrder]:
    return (
        DisclosureOrder.objects.filter(Q(case=case) | Q(joint_cases=case))
        .distinct()
        .select_related("case")
        .prefetch_related("joint_cases")
    )


def _letters_of(obj: Any) -> QuerySet[Letter]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return Letter.objects.filter(content_type=content_type, object_id=str(obj.pk))


def _erase_letter_files(letters: QuerySet[Letter], erasure: Erasure, kind: str) -> None:
    """Erase the PDF files (after commit); the row stays with its SHA-256 and verification code."""
    letters = letters.exclude(pdf="")
    storage = Letter._meta.get_field("pdf").storage
    erasure.files.extend((storage, name) for name in letters.values_list("pdf", flat=True))
    # A letter is never changed through its model; retention alone blanks its file, here.
    erasure.add(kind, letters.update(pdf=""))


def erase_identity(case: Case, today: date, erasure: Erasure) -> None:
    """Erase the identity data disclosed for `case`: the answers of its orders (once every case an
    order covers is past the identity period) and the case's identification letters."""
    years = identity_years()
    orders = [
        order.pk
        for order in _orders_covering(case)
        if all(is_past_period(covered, years, today) for covered in [order.case, *order.joint_cases.all()])
    ]
    answers = DisclosureAnswer.objects.filter(order_id__in=orders).exclude(identity_ciphertext="")
    erasure.add("identity_data", answers.update(identity_ciphertext=""))
    _erase_letter_files(_letters_of(case).filter(kind=IDENTIFICATION.code), erasure, "identification_letters")


def pseudonymise_case(case: Case, today: date, erasure: Erasure, purging: set[int]) -> None:
    """Replace the complainant's data by a pseudonym, erase the evidence, texts and letter files;
    keep what the statistics count. `purging`: the cases pseudonymised in this batch."""
    erase_identity(case, today, erasure)
    Case.objects.filter(pk=case.pk).update(
        complainant_first_name="",
        complainant_last_name=PSEUDONYM,
        complainant_email="",
        complainant_phone="",
        street="",
        postal_code="",
        city="",
        country="",
        victim_name="",
        description=ERASED,
        police_report_number="",
    )
    erasure.add("complainant", 1)
    erasure.add("identifiers", PerpetratorIdentifier.objects.filter(case=case).delete()[0])
    erasure.add("message_times", MessageTime.objects.filter(case=case).delete()[0])
    evidence = Evidence.objects.filter(case=case)
    storage = Evidence._meta.get_field("file").storage
    erasure.files.extend((storage, name) for name in evidence.values_list("file", flat=True) if name)
    erasure.add("evidence_files", evidence.delete()[0])
    erasure.add(
        "information_requests",
        InformationRequest.objects.filter(case=case).update(question=ERASED, answer=""),
    )
    for assessment in case.assessments.all():
        # The answer to each criterion (yes/no) stays; the reasons may quote the facts.
        answers = {key: {**value, "reasoning": ERASED} for key, value in assessment.answers.items()}
        type(assessment).objects.filter(pk=assessment.pk).update(
            answers=answers, review_comment=ERASED if assessment.review_comment else ""
        )
        erasure.add("assessments", 1)
    _erase_letter_files(_letters_of(case), erasure, "letters")
    _letters_of(case).update(recipient_name=PSEUDONYM, recipient_email="", recipient_address="")
    _letter_requests_of(case).update(parameters={})
    for order in _orders_covering(case):
        # An order that also covers a case still kept waits for that case's own purge.
        others = {covered.pk for covered in [order.case, *order.joint_cases.all()]} - purging
        if others and PurgeRecord.objects.filter(stage=PurgeStage.CASE, case_id__in=others).count() < len(others):
            continue
        DisclosureOrder.objects.filter(pk=order.pk).update(
            identifiers=[{"kind": item.get("kind", ""), "value": ERASED} for item in order.identifiers],
            reasons=ERASED,
        )
        erasure.add("orders", 1)
        _erase_letter_files(_letters_of(order), erasure, "order_letters")
        _letter_requests_of(order).update(parameters={})


def _letter_requests_of(obj: Any) -> QuerySet[LetterRequest]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return LetterRequest.objects.filter(content_type=content_type, object_id=str(obj.pk), completed_at__isnull=False)


def _remove_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:
            # The rows no longer name the file; an operator removes it by hand from the log.
            logger.exception("Could not remove the erased file %s", name)


@dataclass(frozen=True)
class Stage:
    stage: str
    action: str
    years: Callable[[], int]
    erase: Callable[[Case, date, Erasure, set[int]], None]


STAGES = (
    Stage(
        PurgeStage.IDENTITY.value, "identity_data_erased", identity_years, lambda c, t, e, _p: erase_identity(c, t, e)
    ),
    Stage(PurgeStage.CASE.value, "case_pseudonymised", case_years, pseudonymise_case),
)


def due(stage: Stage, today: date) -> QuerySet[Case]:
    """The cases past the stage's period that it has not purged yet."""
    purged = PurgeRecord.objects.filter(case=OuterRef("pk"), stage=stage.stage)
    return Case.objects.filter(past_period(stage.years(), today)).exclude(Exists(purged))


def _purge_stage(stage: Stage, today: date, run: PurgeRun, batch_size: int) -> int:
    purged = 0
    after = Q()
    while True:
        with transaction.atomic():
            # Each batch starts where the last one ended (index case_ended_closed_on), rather than
            # walking again past every case purged before.
            batch = list(
                due(stage, today)
                .filter(after)
                .select_for_update(skip_locked=True)
                .order_by("closed_on", "pk")[:batch_size]
            )
            if not batch:
                return purged
            last = batch[-1]
            after = Q(closed_on__gt=last.closed_on) | Q(closed_on=last.closed_on, pk__gt=last.pk)
            purging = {case.pk for case in batch}
            records, events, files = [], [], []
            for case in batch:
                erasure = Erasure()
                stage.erase(case, today, erasure, purging)
                files.extend(erasure.files)
                records.append(
                    PurgeRecord(
                        run=run,
                        case=case,
                        case_reference=case.reference,
                        stage=stage.stage,
                        closed_on=case.closed_on,
                        erased=sorted(erasure.counts),
                        counts=erasure.counts,
                    )
                )
                events.append(
                    EventSpec(
                        obj=case,
                        action=stage.action,
                        actor_label=SYSTEM,
                        data={"run": run.pk, "closed_on": case.closed_on.isoformat(), "counts": erasure.counts},
                    )
                )
            PurgeRecord.objects.bulk_create(records)
            record_events(events)
            transaction.on_commit(partial(_remove_files, files))
            purged += len(batch)


def purge_expired_data(today: date | None = None, *, batch_size: int = BATCH_SIZE) -> PurgeRun:
    """Run both stages for `today` (default: today in Brussels); returns the run and its results."""
    today = today or timezone.localdate()
    run = PurgeRun.objects.create(today=today, started_at=timezone.now())
    results = {stage.stage: _purge_stage(stage, today, run, batch_size) for stage in STAGES}
    PurgeRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), results=results)
    run.refresh_from_db()
    if any(results.values()):
        logger.info("retention purge for %s: %s", today, results)
    return run


def planned_purge(today: date | None = None) -> dict[str, list[str]]:
    """What a run on `today` would purge, per stage (case references), without changing anything."""
    today = today or timezone.localdate()
    return {
        stage.stage: list(due(stage, today).order_by("closed_on", "pk").values_list("reference", flat=True))
        for stage in STAGES
    }
