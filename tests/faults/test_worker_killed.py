"""A worker killed (SIGKILL) in the middle of its letters or of a deadline sweep: after a restart,
every letter exists once, every order reached its next state once, nothing was skipped.

The killed worker's message is not acknowledged; Redis would hand it out again only after the
visibility timeout (an hour). What the product relies on is the database: beat queues again the
letter requests still pending (the outbox) and runs the sweep every few minutes. These tests run
exactly that, then hand out every message once more, as the late redelivery would."""

from __future__ import annotations

import email
import io
import time
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
import time_machine
from django.db.models import Count
from django.utils import timezone
from pypdf import PdfReader

from ombudsman.audit.models import AuditEvent
from ombudsman.audit.services import find_broken_links
from ombudsman.deadlines.models import SweepRun
from ombudsman.deadlines.tasks import sweep_deadlines_task
from ombudsman.letters.models import Letter, LetterRequest
from ombudsman.letters.tasks import render_letter_task, requeue_pending_letters, send_letter_task
from platforms.models import DisclosureOrder, OrderState
from platforms.services.sweep import BATCH_SIZE
from tests.conftest import stored_files, wait_for
from tests.factories import CaseFactory, ComplaintFactory, ServiceFactory, make_order
from tests.faults.conftest import wait_until_the_killed_transaction_is_gone

LETTERS = 24


def queues_idle(broker) -> None:
    """Wait until both queues are empty and the worker has stopped changing letters."""
    client = broker.client()

    def snapshot() -> tuple[int, ...]:
        return (
            client.llen("letters"),
            client.llen("fast"),
            Letter.objects.count(),
            Letter.objects.filter(sent_at__isnull=False).count(),
        )

    before = None

    def idle() -> bool:
        nonlocal before
        now = snapshot()
        settled = now == before and now[:2] == (0, 0)
        before = now
        time.sleep(1)
        return settled

    wait_for(idle, timeout=180)


def mailed_references(directory: Path) -> list[str]:
    """The letter attached to each message the file back-end wrote."""
    found = []
    for path in sorted(directory.glob("*.log")):
        for raw in path.read_text().split("\n" + "-" * 79 + "\n"):
            if raw.strip():
                message = email.message_from_string(raw, policy=policy.default)
                found += [part.get_filename() for part in message.iter_attachments()]
    return found


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_among_its_letters_leaves_each_letter_once(broker, worker_processes, private_files, tmp_path):
    service = ServiceFactory()
    for n in range(LETTERS):
        CaseFactory(complaint=ComplaintFactory(service=service, email=f"complainant{n}@example.org"))
    assert LetterRequest.objects.count() == LETTERS  # each acknowledgement queued on the private Redis

    first = worker_processes("first")
    wait_for(lambda: Letter.objects.filter(sent_at__isnull=False).count() >= 3, timeout=120)
    first.kill()
    rendered_before_the_kill = Letter.objects.count()
    assert rendered_before_the_kill < LETTERS, "the worker finished before the kill: queue more letters"
    wait_until_the_killed_transaction_is_gone()

    worker_processes("second")
    queues_idle(broker)
    # What the killed worker held is still pending; beat finds it through the database.
    held = LetterRequest.objects.filter(completed_at__isnull=True).count()
    held += Letter.objects.filter(sent_at__isnull=True).count()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert requeue_pending_letters() == held
    queues_idle(broker)
    assert not LetterRequest.objects.filter(completed_at__isnull=True).exists()
    assert not Letter.objects.filter(sent_at__isnull=True).exists()

    # The killed worker's message comes back after the visibility timeout, and so may any other.
    for request_id in LetterRequest.objects.values_list("pk", flat=True):
        render_letter_task.delay(request_id)
    for letter_id in Letter.objects.values_list("pk", flat=True):
        send_letter_task.delay(letter_id)
    queues_idle(broker)

    letters = list(Letter.objects.select_related("request"))
    assert len(letters) == LETTERS == len({letter.request_id for letter in letters})
    stored = sorted(str(path.relative_to(private_files)) for path in stored_files(private_files / "letters"))
    assert stored == sorted(letter.pdf.name for letter in letters)  # no second copy, no leftover
    for letter in letters:
        with letter.pdf.open("rb") as handle:
            assert letter.reference in PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    issued = AuditEvent.objects.filter(action="letter_issued").values("object_id").annotate(n=Count("id"))
    assert len(issued) == LETTERS and {row["n"] for row in issued} == {1}
    assert AuditEvent.objects.filter(action="letter_sent").count() == LETTERS
    # E-mail goes out at least once; only a kill between the send and its commit sends it twice.
    mailed = mailed_references(tmp_path / "mail")
    assert {f"{letter.reference}-acknowledgement-v1.pdf" for letter in letters} == set(mailed)
    assert len(mailed) <= LETTERS + 1
    assert list(find_broken_links()) == []


ORDERS = 4 * BATCH_SIZE


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_sweep_leaves_every_order_overdue_once(broker, worker_processes):
    model, _liaison = make_order("issued")
    yesterday = timezone.localdate() - timedelta(days=1)
    DisclosureOrder.objects.bulk_create(
        [
            DisclosureOrder(
                reference=f"{model.reference}-{n}",
                case_id=model.case_id,
                organisation_id=model.organisation_id,
                kind=model.kind,
                identifiers=model.identifiers,
                data_requested=model.data_requested,
                reasons=model.reasons,
                state=OrderState.ISSUED,
                drafted_by_id=model.drafted_by_id,
                issued_by_id=model.issued_by_id,
                issued_at=model.issued_at,
                reminder_on=yesterday - timedelta(days=3),
                due_on=yesterday,
            )
            for n in range(1, ORDERS)
        ],
        batch_size=5000,
    )
    DisclosureOrder.objects.filter(pk=model.pk).update(due_on=yesterday)

    # Only the fast queue: the formal notices wait on the letters queue, their rendering is not
    # what this test is about.
    first = worker_processes("first", "fast")
    sweep_deadlines_task.delay()

    def some_batches_done() -> bool:
        return DisclosureOrder.objects.filter(state=OrderState.OVERDUE).exists()

    try:
        wait_for(some_batches_done, timeout=180)
    except AssertionError:
        raise AssertionError(first.output()) from None
    first.kill()
    wait_until_the_killed_transaction_is_gone()
    overdue = DisclosureOrder.objects.filter(state=OrderState.OVERDUE).count()
    print("FAULTS overdue at kill", overdue)
    assert 0 < overdue < ORDERS, "the sweep ended before the kill: add orders"
    assert SweepRun.objects.get().finished_at is None  # the killed run stays unfinished
    # A batch is one transaction: applied whole, with its events and letters, or not at all.
    assert overdue % BATCH_SIZE == 0
    assert AuditEvent.objects.filter(action="mark_overdue").count() == overdue
    assert LetterRequest.objects.filter(kind="formal_notice").count() == overdue

    # The next sweep (beat runs one every few minutes) on a fresh worker; then the killed
    # worker's message again, as the late redelivery would hand it out.
    worker_processes("second", "fast")
    for run in (1, 2):
        sweep_deadlines_task.delay()
        wait_for(lambda run=run: SweepRun.objects.filter(finished_at__isnull=False).count() == run, timeout=180)

    assert DisclosureOrder.objects.filter(state=OrderState.OVERDUE).count() == ORDERS
    marked = AuditEvent.objects.filter(action="mark_overdue")
    assert marked.count() == ORDERS == marked.values("object_id").distinct().count()
    assert not AuditEvent.objects.filter(action="escalate").exists()  # no state skipped
    notices = LetterRequest.objects.filter(kind="formal_notice")
    assert notices.count() == ORDERS == notices.values("object_id").distinct().count()
    finished = SweepRun.objects.filter(finished_at__isnull=False).order_by("started_at")
    assert [run.results["platforms.mark_overdue_orders"] for run in finished] == [ORDERS - overdue, 0]
    assert list(find_broken_links()) == []
