"""Every step of a disclosure order x every role: allowed ones succeed, the rest change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from ombudsman.accounts import roles
from ombudsman.audit.models import AuditEvent
from platforms import services
from platforms.models import DisclosureOrder, OrderState
from tests.factories import IDENTITY, OrganisationFactory, UserFactory, liaison_of, make_order, officer, reviewer

pytestmark = pytest.mark.django_db

WHO = ["assigned officer", "other officer", "reviewer", "liaison", "other liaison", "bipt", "administrator"]


def actor(who: str, order: DisclosureOrder, liaison):
    return {
        "assigned officer": lambda: order.case.assigned_to,
        "other officer": officer,
        "reviewer": reviewer,
        "liaison": lambda: liaison,
        "other liaison": lambda: liaison_of(OrganisationFactory()),
        "bipt": lambda: UserFactory(role=roles.BIPT_OFFICER),
        "administrator": lambda: UserFactory(role=roles.ADMINISTRATOR, is_staff=True),
    }[who]()


STEPS = {
    "issue": ("draft", "issued", {"assigned officer"}, lambda o, u: services.issue_order(order_id=o.pk, by=u)),
    "acknowledge": (
        "issued",
        "acknowledged",
        {"liaison"},
        lambda o, u: services.acknowledge_order(order_id=o.pk, by=u),
    ),
    "request_extension": (
        "issued",
        "extension_requested",
        {"liaison"},
        lambda o, u: services.request_extension(
            order_id=o.pk, by=u, until=o.due_on + timedelta(days=5), reasons="Data held abroad."
        ),
    ),
    "grant_extension": (
        "extension_requested",
        "acknowledged",
        {"assigned officer"},
        lambda o, u: services.decide_extension(
            order_id=o.pk, by=u, grant=True, new_due_on=o.due_on + timedelta(days=9)
        ),
    ),
    "refuse_extension": (
        "extension_requested",
        "acknowledged",
        {"assigned officer"},
        lambda o, u: services.decide_extension(order_id=o.pk, by=u, grant=False),
    ),
    "answer": (
        "acknowledged",
        "answered",
        {"liaison"},
        lambda o, u: services.submit_answer(order_id=o.pk, by=u, outcome="identity", identity=IDENTITY, channel="api"),
    ),
    "accept_answer": (
        "answered",
        "fulfilled",
        {"assigned officer"},
        lambda o, u: services.accept_answer(order_id=o.pk, by=u),
    ),
    "reject_answer": (
        "answered",
        "issued",
        {"assigned officer"},
        lambda o, u: services.reject_answer(order_id=o.pk, by=u, reasons="The IP addresses lack ports."),
    ),
    "withdraw": (
        "issued",
        "withdrawn",
        {"assigned officer"},
        lambda o, u: services.withdraw_order(order_id=o.pk, by=u, reason="Wrong provider."),
    ),
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("step", list(STEPS))
def test_each_order_step_for_each_role(step, who):
    source, target, allowed, run = STEPS[step]
    order, liaison = make_order(source)
    user = actor(who, order, liaison)
    before = AuditEvent.objects.for_object(order).count()
    if who in allowed:
        run(order, user)
        order.refresh_from_db()
        assert order.state == target
        event = AuditEvent.objects.for_object(order).order_by("-id").first()
        assert (event.action, event.actor, event.from_state, event.to_state) == (step, user, source, target)
    else:
        with pytest.raises(PermissionDenied):
            run(order, user)
        order.refresh_from_db()
        assert order.state == source
        assert AuditEvent.objects.for_object(order).count() == before


def test_the_order_state_machine_has_exactly_the_designed_states_and_transitions():
    assert set(OrderState.values) == {
        "draft",
        "issued",
        "acknowledged",
        "extension_requested",
        "answered",
        "overdue",
        "fulfilled",
        "escalated",
        "withdrawn",
    }
    edges = set()
    for transition in DisclosureOrder._meta.get_field("state").get_all_transitions(DisclosureOrder):
        edges.add((transition.source, transition.target, transition.name))
    assert edges == {
        ("draft", "issued", "issue"),
        ("issued", "acknowledged", "acknowledge"),
        ("issued", "extension_requested", "request_extension"),
        ("acknowledged", "extension_requested", "request_extension"),
        ("extension_requested", "acknowledged", "grant_extension"),
        ("extension_requested", "acknowledged", "refuse_extension"),
        ("issued", "answered", "answer"),
        ("acknowledged", "answered", "answer"),
        ("overdue", "answered", "answer"),
        ("issued", "overdue", "mark_overdue"),
        ("acknowledged", "overdue", "mark_overdue"),
        ("overdue", "escalated", "escalate"),
        ("answered", "fulfilled", "accept_answer"),
        ("answered", "issued", "reject_answer"),
        ("draft", "withdrawn", "withdraw"),
        ("issued", "withdrawn", "withdraw"),
        ("acknowledged", "withdrawn", "withdraw"),
    }


def test_nobody_marks_an_order_overdue_or_escalates_it_by_hand():
    order, liaison = make_order("issued")
    for user in [order.case.assigned_to, liaison, reviewer()]:
        names = {t.name for t in order.get_available_user_state_transitions(user)}
        assert not names & {"mark_overdue", "escalate"}


def test_issuing_the_first_order_moves_the_case_and_shares_the_order_with_the_liaisons():
    order, liaison = make_order("draft")
    assert order.case.state == "established"
    assert not liaison.has_perm("platforms.view_disclosureorder", order)
    services.issue_order(order_id=order.pk, by=order.case.assigned_to)
    order.refresh_from_db()
    order.case.refresh_from_db()
    assert order.case.state == "disclosure_pending"
    assert order.due_on is not None and order.reminder_on < order.due_on
    from django.contrib.auth import get_user_model

    fresh = get_user_model().objects.get(pk=liaison.pk)
    assert fresh.has_perm("platforms.view_disclosureorder", order)
    assert fresh.has_perm("platforms.answer_disclosureorder", order)


def test_the_order_diagram_in_docs_matches_the_code():
    from pathlib import Path

    from ombudsman.core.diagrams import state_diagram_document

    committed = (Path(__file__).resolve().parents[2] / "docs" / "order-states.md").read_text()
    assert committed == state_diagram_document("platforms.DisclosureOrder", "docs/order-states.md"), (
        "docs/order-states.md is stale: run python manage.py state_diagram platforms.DisclosureOrder "
        "--output docs/order-states.md"
    )
