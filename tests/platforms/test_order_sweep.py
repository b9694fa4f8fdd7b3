"""Order deadlines driven by the sweep: reminder once, overdue with formal notice, escalation."""

from __future__ import annotations

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from enforcement.models import Referral
from ombudsman.audit.models import AuditEvent
from ombudsman.deadlines.models import ClosureDay
from ombudsman.deadlines.sweep import sweep_deadlines
from ombudsman.letters.models import LetterRequest
from platforms import services
from platforms.models import DisclosureOrder, OrderDeadline
from tests.factories import make_order

BRUSSELS = ZoneInfo("Europe/Brussels")


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=BRUSSELS)


def letters_of(order: DisclosureOrder, kind: str) -> int:
    return LetterRequest.objects.filter(
        object_id=str(order.pk), kind=kind, content_type__model="disclosureorder"
    ).count()


def state(order: DisclosureOrder) -> str:
    return DisclosureOrder.objects.values_list("state", flat=True).get(pk=order.pk)


@pytest.mark.django_db
def test_reminder_overdue_and_escalation_each_happen_once(time_machine):
    time_machine.move_to(on(date(2026, 3, 2)))  # Monday
    order, _liaison = make_order("issued")
    # 10 days: Thursday 12 March; the reminder 3 working days before: Monday 9 March.
    assert (order.due_on, order.reminder_on) == (date(2026, 3, 12), date(2026, 3, 9))

    assert sweep_deadlines(date(2026, 3, 6))["platforms.remind_orders"] == 0
    for _ in range(2):
        sweep_deadlines(date(2026, 3, 9))
    assert letters_of(order, "order_reminder") == 1
    assert AuditEvent.objects.for_object(order).filter(action="reminder_sent").count() == 1

    # The due date itself is still in time.
    sweep_deadlines(date(2026, 3, 12))
    assert state(order) == "issued"

    first = sweep_deadlines(date(2026, 3, 13))
    second = sweep_deadlines(date(2026, 3, 13))
    assert (first["platforms.mark_overdue_orders"], second["platforms.mark_overdue_orders"]) == (1, 0)
    order.refresh_from_db()
    assert order.state == "overdue"
    # 7 days of grace from Friday 13 March: Friday 20 March.
    assert (order.overdue_since, order.grace_until) == (date(2026, 3, 13), date(2026, 3, 20))
    assert letters_of(order, "formal_notice") == 1

    sweep_deadlines(date(2026, 3, 20))
    assert state(order) == "overdue"
    for _ in range(2):
        sweep_deadlines(date(2026, 3, 21))
    order.refresh_from_db()
    assert order.state == "escalated" and order.escalated_at is not None
    referral = Referral.objects.get()
    assert list(referral.orders.all()) == [order]
    assert referral.organisation == order.organisation
    assert AuditEvent.objects.for_object(order).filter(action="escalate").count() == 1


@pytest.mark.django_db
def test_an_answer_during_the_grace_period_stops_the_escalation(time_machine):
    time_machine.move_to(on(date(2026, 3, 2)))
    order, liaison = make_order("issued")
    sweep_deadlines(date(2026, 3, 13))
    services.submit_answer(order_id=order.pk, by=liaison, outcome="no_data", channel="portal")
    sweep_deadlines(date(2026, 4, 30))
    assert state(order) == "answered"
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_sweep_catches_up_after_a_skipped_week(time_machine):
    time_machine.move_to(on(date(2026, 3, 2)))
    order, _liaison = make_order("issued")
    # Nothing ran for a week after the due date: the first sweep marks it overdue, no stale reminder.
    results = sweep_deadlines(date(2026, 3, 19))
    assert results["platforms.mark_overdue_orders"] == 1
    assert letters_of(order, "order_reminder") == 0
    order.refresh_from_db()
    assert order.grace_until == date(2026, 3, 26)  # the grace period runs from the formal notice
    sweep_deadlines(date(2026, 4, 10))
    assert state(order) == "escalated"


@pytest.mark.django_db
def test_due_dates_follow_the_organisation_and_the_closure_days(time_machine):
    time_machine.move_to(on(date(2026, 3, 2)))
    case_order, _ = make_order("draft")
    OrderDeadline.objects.create(organisation=case_order.organisation, kind="account_data", days=15)
    ClosureDay.objects.create(day=date(2026, 3, 17), reason="Office move")
    services.issue_order(order_id=case_order.pk, by=case_order.case.assigned_to)
    case_order.refresh_from_db()
    assert case_order.due_on == date(2026, 3, 18)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_in_parallel_produce_each_letter_once(time_machine):
    time_machine.move_to(on(date(2026, 3, 2)))
    orders = [make_order("issued")[0] for _ in range(6)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep() -> None:
        try:
            barrier.wait()
            results.append(sweep_deadlines(date(2026, 3, 13)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r["platforms.mark_overdue_orders"] for r in results) == len(orders)
    for order in orders:
        assert state(order) == "overdue"
        assert letters_of(order, "formal_notice") == 1
        assert AuditEvent.objects.for_object(order).filter(action="mark_overdue").count() == 1
    from ombudsman.audit.services import find_broken_links

    assert list(find_broken_links()) == []
