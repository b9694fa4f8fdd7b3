"""The load data for benchmarks: plausible shares, a valid audit chain, pages that work on it."""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count

from cases.models import Case, CaseState
from ombudsman.accounts.models import User
from ombudsman.audit.models import AuditEvent
from ombudsman.letters.models import Letter, LetterRequest
from platforms.models import DisclosureAnswer, DisclosureOrder
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

CASES = 2000


@pytest.fixture
def load_data():
    output = io.StringIO()
    call_command("generate_load_data", "--cases", str(CASES), "--until", "2026-03-02", stdout=output)
    return output.getvalue()


def test_the_load_data_has_plausible_shares_and_a_valid_audit_chain(load_data):
    assert "Load data written" in load_data
    assert Case.objects.count() == CASES
    cases = Case.objects.all()
    # About 0.3 orders per case, most of them answered.
    orders = DisclosureOrder.objects.count()
    assert 0.2 * CASES < orders < 0.4 * CASES
    assert DisclosureAnswer.objects.count() > 0.9 * orders
    # Ten years, more complaints each year.
    per_year = Counter(cases.values_list("submitted_at__year", flat=True))
    assert len(per_year) >= 10
    assert per_year[2025] > 1.5 * per_year[2016]
    # Most cases concluded; the newest still in every open state of intake and assessment.
    states = Counter(cases.values_list("state", flat=True))
    assert states[CaseState.CLOSED] + states[CaseState.WITHDRAWN] > 0.8 * CASES
    for state in (CaseState.SUBMITTED, CaseState.IN_ASSESSMENT):
        assert states[state] > 0, state
    assert cases.filter(state=CaseState.SUBMITTED, assigned_to__isnull=True).count() == states[CaseState.SUBMITTED]
    assert not cases.exclude(state=CaseState.SUBMITTED).filter(assigned_to__isnull=True).exists()
    # Many platforms, none with most of the complaints; every officer holds some cases.
    platforms = Counter(cases.values_list("service__name", flat=True))
    assert len(platforms) >= 8 and max(platforms.values()) < 0.35 * CASES
    busiest = cases.values("assigned_to").annotate(n=Count("id")).order_by("-n")
    assert busiest.count() >= 4
    # Every case acknowledged; a letter for every request; every letter issued in the audit trail.
    assert Letter.objects.filter(kind="acknowledgement").count() == CASES
    assert LetterRequest.objects.count() == Letter.objects.count()
    assert AuditEvent.objects.filter(action="letter_issued").count() == Letter.objects.count()
    assert AuditEvent.objects.count() > 8 * CASES
    call_command("verify_audit_chain", stdout=io.StringIO())  # raises at a broken link


def test_the_queue_and_the_case_page_work_on_the_load_data(load_data, client):
    case = Case.objects.filter(state=CaseState.IN_ASSESSMENT, assigned_to__is_active=True).first()
    officer = case.assigned_to
    client.force_login(officer)
    queue = client.get("/office/cases/", {"view": "mine", "per_page": 100, "sort": "deadline"})
    assert queue.status_code == 200
    assert case.reference in {row.reference for row in queue.context["page"]}
    page = client.get(f"/office/cases/{case.reference}/")
    assert page.status_code == 200
    assert "assign" in {event.action for event in page.context["events"]}

    closed = Case.objects.filter(state=CaseState.CLOSED, orders__state="fulfilled").first()
    client.force_login(User.objects.get(username="load-reviewer-01"))
    page = client.get(f"/office/cases/{closed.reference}/")
    assert page.status_code == 200
    assert len(page.context["letters"]) >= 3  # acknowledgement, identification or no result, closure


def test_a_complaint_after_the_load_takes_the_next_reference_of_the_year(load_data, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 18, tzinfo=ZoneInfo("Europe/Brussels")))
    newest = Case.objects.filter(reference__startswith="OMB-2026-").order_by("-reference").first()
    case = CaseFactory()
    assert case.reference == f"OMB-2026-{int(newest.reference.rsplit('-', 1)[1]) + 1:06d}"
