"""Every step of the case state machine x every role x assigned or not.

Allowed steps succeed; every other combination fails with no change and no audit event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import assign_perm

from cases import services
from cases.models import Case, CaseState, Proposal
from ombudsman.accounts import roles
from ombudsman.audit.models import AuditEvent
from tests.factories import CaseFactory, UserFactory, answers_for, officer, png_bytes, upload

pytestmark = pytest.mark.django_db

ROLES = [roles.CASE_OFFICER, roles.REVIEWER, roles.PLATFORM_LIAISON, roles.BIPT_OFFICER, roles.ADMINISTRATOR]
OFFICE = {roles.CASE_OFFICER, roles.REVIEWER}


@dataclass(frozen=True)
class Step:
    name: str
    source: str
    target: str
    run: Callable[[Case, Any], Any]
    # Who may take it: (role, assigned) -> bool
    allowed: Callable[[str, bool], bool]


def _checked(name: str) -> list:
    from cases.evidence import check_evidence_files

    return check_evidence_files([upload(name, png_bytes())])


STEPS = [
    Step(
        "assign",
        CaseState.SUBMITTED,
        CaseState.IN_ASSESSMENT,
        lambda case, user: services.assign_case(case_id=case.pk, by=user, officer=user),
        lambda role, assigned: role in OFFICE,
    ),
    Step(
        "reassign",
        CaseState.IN_ASSESSMENT,
        CaseState.IN_ASSESSMENT,
        lambda case, user: services.reassign_case(case_id=case.pk, by=user, officer=officer()),
        lambda role, assigned: role == roles.REVIEWER,
    ),
    Step(
        "request_information",
        CaseState.IN_ASSESSMENT,
        CaseState.AWAITING_INFORMATION,
        lambda case, user: services.request_information(case_id=case.pk, by=user, question="Which account?"),
        lambda role, assigned: role in OFFICE and assigned,
    ),
    Step(
        "receive_information",
        CaseState.AWAITING_INFORMATION,
        CaseState.IN_ASSESSMENT,
        lambda case, user: services.record_information_received(
            case_id=case.pk, by=user, answer="The account is @x.", files=_checked("reply.png")
        ),
        lambda role, assigned: role in OFFICE and assigned,
    ),
    Step(
        "propose_decision",
        CaseState.IN_ASSESSMENT,
        CaseState.IN_REVIEW,
        lambda case, user: services.propose_decision(
            case_id=case.pk, by=user, answers=answers_for(Proposal.ESTABLISHED), proposal=Proposal.ESTABLISHED
        ),
        lambda role, assigned: role in OFFICE and assigned,
    ),
    Step(
        "send_back",
        CaseState.IN_REVIEW,
        CaseState.IN_ASSESSMENT,
        lambda case, user: services.send_back_assessment(case_id=case.pk, by=user, comment="Check the dates."),
        # A reviewer, unless they are the assigned officer who made the proposal.
        lambda role, assigned: role == roles.REVIEWER and not assigned,
    ),
    Step(
        "approve",
        CaseState.IN_REVIEW,
        CaseState.REJECTED,
        lambda case, user: services.approve_assessment(case_id=case.pk, by=user),
        lambda role, assigned: role == roles.REVIEWER and not assigned,
    ),
    Step(
        "close",
        CaseState.REJECTED,
        CaseState.CLOSED,
        lambda case, user: services.close_case(case_id=case.pk, by=user),
        lambda role, assigned: role == roles.REVIEWER or (role in OFFICE and assigned),
    ),
    Step(
        "withdraw",
        CaseState.IN_ASSESSMENT,
        CaseState.WITHDRAWN,
        lambda case, user: services.withdraw_case(case_id=case.pk, by=user, reason="Letter of 3 March."),
        lambda role, assigned: role == roles.REVIEWER or (role in OFFICE and assigned),
    ),
]


def prepare(step: Step, user, role: str, assigned: bool) -> Case:
    """A case in the step's source state; 'assigned' means the acting user is its assignee
    (office roles) or holds its object permissions anyway (other roles: must still fail)."""
    assignee = user if (assigned and role in OFFICE and step.source != CaseState.SUBMITTED) else None
    case = CaseFactory(state=step.source, officer=assignee)
    if assigned and (role not in OFFICE or step.source == CaseState.SUBMITTED):
        assign_perm("cases.view_case", user, case)
        assign_perm("cases.change_case", user, case)
    return case


@pytest.mark.parametrize("assigned", [True, False], ids=["assigned", "not-assigned"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", STEPS, ids=[s.name for s in STEPS])
def test_each_step_for_each_role(step, role, assigned, django_capture_on_commit_callbacks):
    user = UserFactory(role=role)
    case = prepare(step, user, role, assigned)
    assert case.state == step.source
    events_before = AuditEvent.objects.for_object(case).count()

    if step.allowed(role, assigned):
        step.run(case, user)
        case.refresh_from_db()
        assert case.state == step.target
        event = AuditEvent.objects.for_object(case).order_by("-id").first()
        assert event.action == step.name and event.actor == user
        assert (event.from_state, event.to_state) == (step.source, step.target)
    else:
        with pytest.raises(PermissionDenied):
            step.run(case, user)
        case.refresh_from_db()
        assert case.state == step.source
        assert AuditEvent.objects.for_object(case).count() == events_before


def test_the_state_machine_has_exactly_the_designed_states():
    assert set(CaseState.values) == {
        "submitted",
        "in_assessment",
        "awaiting_information",
        "in_review",
        "established",
        "rejected",
        "disclosure_pending",
        "identified",
        "not_identified",
        "closed",
        "withdrawn",
    }


def test_the_state_machine_has_exactly_the_designed_transitions():
    field = Case._meta.get_field("state")
    edges = set()
    for transition in field.get_all_transitions(Case):
        targets = getattr(transition.target, "allowed_states", None) or [transition.target]
        for target in targets:
            edges.add((transition.source, target or transition.source, transition.name))
    open_states = [
        "submitted",
        "in_assessment",
        "awaiting_information",
        "in_review",
        "established",
        "disclosure_pending",
    ]
    expected = {
        ("submitted", "in_assessment", "assign"),
        ("in_assessment", "awaiting_information", "request_information"),
        ("awaiting_information", "in_assessment", "receive_information"),
        ("awaiting_information", "closed", "lapse"),
        ("in_assessment", "in_review", "propose_decision"),
        ("in_review", "in_assessment", "send_back"),
        ("in_review", "established", "approve"),
        ("in_review", "rejected", "approve"),
        ("established", "disclosure_pending", "order_disclosure"),
        ("disclosure_pending", "identified", "record_identified"),
        ("disclosure_pending", "not_identified", "record_not_identified"),
        ("identified", "closed", "close"),
        ("not_identified", "closed", "close"),
        ("rejected", "closed", "close"),
        *{(state, "withdrawn", "withdraw") for state in open_states},
        # Reassignment keeps the state.
        *{(state, state, "reassign") for state in [*open_states[1:], "rejected", "identified", "not_identified"]},
    }
    assert edges == expected


def test_nobody_takes_a_system_step_by_hand():
    case = CaseFactory(state=CaseState.AWAITING_INFORMATION)
    for user in [UserFactory(role=roles.REVIEWER), case.assigned_to]:
        assert "lapse" not in [t.name for t in case.get_available_user_state_transitions(user)]


def test_the_diagram_in_docs_matches_the_code():
    from pathlib import Path

    from ombudsman.core.diagrams import state_diagram_document

    committed = (Path(__file__).resolve().parents[2] / "docs" / "case-states.md").read_text()
    assert committed == state_diagram_document("cases.Case", "docs/case-states.md"), (
        "docs/case-states.md is stale: run python manage.py state_diagram cases.Case --output docs/case-states.md"
    )
