"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from ombudsman.audit.models import AppendOnlyError, AuditEvent
from ombudsman.audit.services import find_broken_links, record_event
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


def three_events():
    case = CaseFactory()
    with transaction.atomic():
        record_event(case, "note", data={"text": "first"})
        record_event(case, "note", data={"text": "second"})
    return list(AuditEvent.objects.order_by("id"))


def test_an_intact_chain_verifies():
    events = three_events()
    assert len(events) == 3
    assert events[1].previous_hash == events[0].hash
    assert f"Audit chain intact ({len(events)} events)" in verify()


def test_changing_a_row_in_the_database_is_detected_with_its_event():
    events = three_events()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"text": "rewritten history"}', events[1].pk]
        )
    with pytest.raises(CommandError) as failure:
        verify()
    assert failure.value.returncode == 1
    assert f"Audit chain broken at event {events[1].pk}: its content does not match its hash" in str(failure.value)


def test_removing_a_row_in_the_middle_is_detected():
    events = three_events()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    broken = next(find_broken_links())
    assert broken.event_id == events[2].pk
    assert "link" in broken.reason


def test_removing_the_newest_row_is_detected():
    events = three_events()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    assert "removed from the end" in next(find_broken_links()).reason


def test_events_cannot_be_changed_or_deleted_through_the_application():
    event = three_events()[0]
    event.action = "something else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_an_event_outside_a_transaction_is_refused():
    case = CaseFactory()
    # pytest-django wraps the test in a transaction; leave it to check the guard itself.
    connection.in_atomic_block, previous = False, connection.in_atomic_block
    try:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            record_event(case, "note")
    finally:
        connection.in_atomic_block = previous


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    case = CaseFactory()
    barrier = threading.Barrier(4)
    errors = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(5):
                with transaction.atomic():
                    record_event(case, "note", data={"writer": n, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="note").count() == 20
    assert list(find_broken_links()) == []
