"""Concurrent submissions on PostgreSQL get distinct, gap-free references."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection

from cases.models import Case
from cases.services import submit_complaint
from tests.factories import ComplaintFactory, ServiceFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_references():
    service = ServiceFactory()
    workers = 8
    barrier = threading.Barrier(workers)
    references, errors = [], []

    def submit() -> None:
        try:
            complaint = ComplaintFactory.build(service=service)
            barrier.wait()
            references.append(submit_complaint(complaint=complaint).reference)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(references)) == workers
    numbers = sorted(int(re.fullmatch(r"OMB-\d{4}-(\d{6})", ref).group(1)) for ref in references)
    assert numbers == list(range(numbers[0], numbers[0] + workers))
    assert Case.objects.count() == workers


@pytest.mark.django_db
def test_numbering_restarts_each_year(time_machine):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    brussels = ZoneInfo("Europe/Brussels")
    time_machine.move_to(datetime(2026, 12, 31, 23, 30, tzinfo=brussels))
    last_of_2026 = submit_complaint(complaint=ComplaintFactory()).reference
    # 00:10 in Brussels is still 23:10 UTC on 31 December: the year is the Belgian one.
    time_machine.move_to(datetime(2027, 1, 1, 0, 10, tzinfo=brussels))
    first_of_2027 = submit_complaint(complaint=ComplaintFactory()).reference
    assert last_of_2026.startswith("OMB-2026-")
    assert first_of_2027 == "OMB-2027-000001"
