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
