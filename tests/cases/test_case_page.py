"""The case page offers exactly the steps the user may take, and the queue's views."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.actions import ACTIONS
from cases.models import Case, CaseState, Criterion, Proposal
from tests.factories import CaseFactory, answers_for, officer, reviewer

pytestmark = pytest.mark.django_db


def offered(client, case) -> set[str]:
    response = client.get(f"/office/cases/{case.reference}/")
    assert response.status_code == 200
    return {action.transition for action, _form in response.context["actions"]}


@pytest.mark.parametrize(
    ("state", "who", "expected"),
    [
        (CaseState.SUBMITTED, "officer", {"assign", "withdraw"}),
        (CaseState.SUBMITTED, "reviewer", {"assign", "withdraw"}),
        (CaseState.IN_ASSESSMENT, "assignee", {"request_information", "propose_decision", "withdraw"}),
        (CaseState.IN_ASSESSMENT, "reviewer", {"reassign", "withdraw"}),
        (CaseState.AWAITING_INFORMATION, "assignee", {"receive_information", "withdraw"}),
        (CaseState.IN_REVIEW, "assignee", {"withdraw"}),
        (CaseState.IN_REVIEW, "reviewer", {"approve", "send_back", "reassign", "withdraw"}),
        (CaseState.REJECTED, "assignee", {"close"}),
        (CaseState.CLOSED, "reviewer", set()),
    ],
)
def test_each_user_is_offered_exactly_their_steps(client, state, who, expected):
    case = CaseFactory(state=state)
    user = {"officer": officer, "reviewer": reviewer}.get(who, lambda: case.assigned_to)()
    client.force_login(user)
    assert offered(client, case) == expected


def test_an_officer_proposes_through_the_form_and_bad_input_is_reported(client):
    case = CaseFactory(state=CaseState.IN_ASSESSMENT)
    client.force_login(case.assigned_to)
    url = f"/office/cases/{case.reference}/do/propose_decision/"
    data = {"propose_decision-expected_state": "in_assessment", "propose_decision-proposal": Proposal.ESTABLISHED}
    for criterion, entry in answers_for(Proposal.NOT_ESTABLISHED).items():
        data[f"propose_decision-{criterion}_answer"] = entry["answer"]
        data[f"propose_decision-{criterion}_reasoning"] = entry["reasoning"]

    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "A complaint is established only when every criterion is met." in refused.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_ASSESSMENT

    data["propose_decision-proposal"] = Proposal.NOT_ESTABLISHED
    del data[f"propose_decision-{Criterion.NECESSARY}_reasoning"]
    missing = client.post(url, data)
    assert missing.status_code == 400 and "This field is required." in missing.content.decode()

    data[f"propose_decision-{Criterion.NECESSARY}_reasoning"] = "Disclosure is the only way to stop the messages."
    done = client.post(url, data)
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.IN_REVIEW and case.proposal == Proposal.NOT_ESTABLISHED


def test_a_user_who_may_see_but_not_act_is_refused(client):
    case = CaseFactory(state=CaseState.IN_ASSESSMENT)
    client.force_login(reviewer())
    response = client.post(
        f"/office/cases/{case.reference}/do/request_information/",
        {"request_information-expected_state": "in_assessment", "request_information-question": "?"},
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_ASSESSMENT


def test_a_stranger_cannot_act_and_learns_nothing(client):
    from ombudsman.accounts import roles
    from tests.factories import UserFactory

    case = CaseFactory(state=CaseState.IN_ASSESSMENT)
    client.force_login(UserFactory(role=roles.PLATFORM_LIAISON))
    response = client.post(f"/office/cases/{case.reference}/do/withdraw/", {"withdraw-reason": "x"})
    assert response.status_code == 404
    client.force_login(reviewer())
    assert client.post(f"/office/cases/{case.reference}/do/no_such_step/").status_code == 404


def test_every_step_with_a_form_is_a_transition_of_the_case():
    names = {t.name for t in Case._meta.get_field("state").get_all_transitions(Case)}
    assert set(ACTIONS) <= names


def test_the_queue_views_mine_to_review_and_near_deadline(client, time_machine):
    time_machine.move_to(datetime(2026, 1, 5, 10, tzinfo=ZoneInfo("Europe/Brussels")))
    anna = officer()
    old_mine = CaseFactory(state=CaseState.IN_ASSESSMENT, officer=anna)
    waiting_mine = CaseFactory(state=CaseState.AWAITING_INFORMATION, officer=anna)
    time_machine.move_to(datetime(2026, 3, 20, 10, tzinfo=ZoneInfo("Europe/Brussels")))
    recent_other = CaseFactory(state=CaseState.IN_REVIEW)
    intake = CaseFactory()

    client.force_login(anna)

    def refs(view: str) -> set[str]:
        return {c.reference for c in client.get("/office/cases/", {"view": view}).context["page"]}

    assert refs("mine") == {old_mine.reference, waiting_mine.reference}
    assert refs("all") == {old_mine.reference, waiting_mine.reference, intake.reference}
    assert refs("review") == set()  # only reviewers review
    # Submitted on 5 January: 90 days is Sunday 5 April, then Easter Monday, so Tuesday 7 April.
    assert old_mine.handling_due_on == date(2026, 4, 7)
    assert refs("deadline") == set()  # 18 days left on 20 March
    time_machine.move_to(datetime(2026, 3, 25, 10, tzinfo=ZoneInfo("Europe/Brussels")))
    client.force_login(anna)
    assert refs("deadline") == {old_mine.reference}  # the waiting case's clock is stopped
    page = client.get("/office/cases/", {"view": "deadline"}).content.decode()
    assert "13 days left" in page

    client.force_login(reviewer())
    assert refs("review") == {recent_other.reference}


def test_the_queue_costs_the_same_number_of_queries_with_assigned_cases(client):
    user = reviewer()
    client.force_login(user)

    def count(view: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/office/cases/", {"view": view}).status_code == 200
        return len(queries)

    # One case in each view that can hold one (an empty page skips its query).
    CaseFactory(state=CaseState.IN_ASSESSMENT)
    CaseFactory(state=CaseState.IN_REVIEW)
    few = {view: count(view) for view in ("all", "mine", "review", "deadline")}
    for state in [CaseState.IN_ASSESSMENT, CaseState.IN_REVIEW, CaseState.AWAITING_INFORMATION] * 4:
        CaseFactory(state=state)
    many = {view: count(view) for view in ("all", "mine", "review", "deadline")}
    assert few == many
