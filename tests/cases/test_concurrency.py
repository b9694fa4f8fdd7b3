"""Concurrent submissions on PostgreSQL get distinct, gap-free references."""

from __future__ import annotations

import re

import pytest

from cases.models import Case
from cases.services import submit_complaint
from tests.conftest import in_parallel
from tests.factories import ComplaintFactory, ServiceFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_references():
    service = ServiceFactory()
    workers = 8
    complaints = iter([ComplaintFactory.build(service=service) for _ in range(workers)])

    references = in_parallel(lambda: submit_complaint(complaint=next(complaints)).reference, times=workers)

    assert len(set(references)) == workers
    numbers = sorted(int(re.fullmatch(r"OMB-\d{4}-(\d{6})", ref).group(1)) for ref in references)
    assert numbers == list(range(numbers[0], numbers[0] + workers))
    assert Case.objects.count() == workers


@pytest.mark.django_db(transaction=True)
def test_complaints_and_other_changes_written_at_once_keep_one_unbroken_audit_chain():
    import itertools
    import threading

    from django.db import transaction

    from ombudsman.audit.models import AuditEvent
    from ombudsman.audit.services import find_broken_links, record_event
    from tests.factories import UserFactory

    service = ServiceFactory()
    clerk = UserFactory(username="accueil.élodie")  # a name JSON escapes, hashed in Python
    other = submit_complaint(complaint=ComplaintFactory.build(service=service))
    counter = itertools.count()
    lock = threading.Lock()

    def work() -> None:
        with lock:
            number = next(counter)
        for round_ in range(4):
            if number % 2:
                submit_complaint(
                    complaint=ComplaintFactory.build(service=service),
                    channel="post" if round_ % 2 else "web",
                    entered_by=clerk if round_ % 2 else None,
                )
            else:
                with transaction.atomic():
                    record_event(other, "note", data={"writer": number, "round": round_, "text": 'say "hi" \\ é'})

    in_parallel(work, times=6)
    assert Case.objects.count() == 1 + 12
    assert AuditEvent.objects.filter(action="submitted").count() == 1 + 12
    assert AuditEvent.objects.filter(action="note").count() == 12
    assert list(find_broken_links()) == []
