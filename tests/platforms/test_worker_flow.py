"""From issue to escalation through a real Celery worker on Redis."""

from __future__ import annotations

from datetime import timedelta

import pytest

from enforcement.models import Referral
from ombudsman.deadlines.tasks import sweep_deadlines_task
from ombudsman.letters.models import Letter
from platforms.models import DisclosureOrder
from tests.conftest import wait_for
from tests.factories import make_order


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_unanswered_order_is_reminded_noticed_and_escalated_by_the_worker(celery_worker_on_redis):
    order, _liaison = make_order("issued")

    def order_letters(kind: str):
        return Letter.objects.filter(kind=kind, object_id=str(order.pk), content_type__model="disclosureorder")

    assert wait_for(lambda: order_letters("disclosure_order").exists())

    sweep_deadlines_task.apply_async(args=[order.reminder_on.isoformat()])
    assert wait_for(lambda: order_letters("order_reminder").exists())

    sweep_deadlines_task.apply_async(args=[(order.due_on + timedelta(days=1)).isoformat()])
    assert wait_for(lambda: order_letters("formal_notice").exists())
    order.refresh_from_db()
    assert order.state == "overdue"

    sweep_deadlines_task.apply_async(args=[(order.grace_until + timedelta(days=1)).isoformat()])
    assert wait_for(lambda: DisclosureOrder.objects.get(pk=order.pk).state == "escalated")
    assert Referral.objects.get().orders.get() == order
    # Each letter once, although the worker got every sweep.
    assert [order_letters(kind).count() for kind in ("disclosure_order", "order_reminder", "formal_notice")] == [
        1,
        1,
        1,
    ]
