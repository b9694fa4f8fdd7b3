"""Paging an officer's queue: the intake queue and their own cases, merged in the list's order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case
from cases.permissions import queue_branches, queue_cases
from ombudsman.accounts import roles
from ombudsman.core.paging import LargeListPaginator
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_queue():
    officer = UserFactory(role=roles.CASE_OFFICER)
    someone_else = UserFactory(role=roles.CASE_OFFICER)
    intake = [CaseFactory() for _ in range(5)]
    own = [CaseFactory(state="in_assessment", officer=officer) for _ in range(4)]
    CaseFactory(state="in_assessment", officer=someone_else)  # not in this officer's queue
    # Interleave the two parts in time, so that every page mixes them.
    start = timezone.now() - timedelta(days=30)
    for position, case in enumerate([intake[0], own[0], own[1], intake[1], intake[2], own[2], intake[3], own[3]]):
        Case.objects.filter(pk=case.pk).update(submitted_at=start + timedelta(days=position))
    Case.objects.filter(pk=intake[4].pk).update(submitted_at=start + timedelta(days=3))  # same day as intake[1]
    return officer


@pytest.mark.parametrize("order", [("submitted_at", "id"), ("-submitted_at", "-id")])
def test_the_pages_of_an_officers_queue_follow_one_another_in_the_lists_order(officer_queue, order):
    cases = queue_cases(officer_queue).order_by(*order)
    expected = list(cases.values_list("reference", flat=True))
    assert len(expected) == 9

    paginator = LargeListPaginator(cases, 2, branches=queue_branches(cases, officer_queue))
    assert paginator.count == 9 and paginator.num_pages == 5
    pages, queries = [], set()
    for number in paginator.page_range:
        with CaptureQueriesContext(connection) as captured:
            pages.append([case.reference for case in paginator.page(number)])
        queries.add(len(captured))
    assert [reference for page in pages for reference in page] == expected
    assert [len(page) for page in pages] == [2, 2, 2, 2, 1]
    assert queries == {2}  # the page's ids, then its rows: on the first page as on the last


def test_an_empty_queue_has_one_empty_page(officer_queue):
    cases = queue_cases(officer_queue).filter(reference="none").order_by("submitted_at", "id")
    paginator = LargeListPaginator(cases, 25, branches=queue_branches(cases, officer_queue))
    assert list(paginator.get_page(1)) == []
