"""An officer assesses and proposes; a second officer approves; the page shows the state and the letter."""

from __future__ import annotations

import re

import pytest

from cases.models import Case, CaseState, Criterion
from ombudsman.accounts import roles
from tests.browser.conftest import log_in
from tests.factories import CaseFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page) -> None:
    page.get_by_role("button", name=re.compile("^Log out")).click()


def test_an_officer_proposes_and_a_second_officer_approves(live_server, page):
    UserFactory(username="anna", first_name="Anna", last_name="Peeters", role=roles.CASE_OFFICER)
    UserFactory(username="sofie", first_name="Sofie", last_name="Janssens", role=roles.REVIEWER)
    case = CaseFactory()

    log_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/office/cases/")
    page.get_by_role("link", name=case.reference).click()
    page.get_by_text("Assign", exact=True).first.click()  # opens the step
    page.get_by_role("button", name="Assign").click()
    assert page.locator("#case-state").inner_text() == "In assessment"
    assert page.locator("#case-assignee").inner_text() == "Anna Peeters"

    page.get_by_text("Assess and propose a decision").click()
    form = page.locator("#action-propose_decision form")
    for index, criterion in enumerate(Criterion):
        answer = "no" if criterion == Criterion.HARASSMENT else "yes"
        form.locator(f"input[name='propose_decision-{criterion.value}_answer'][value='{answer}']").check()
        form.locator(f"textarea[name='propose_decision-{criterion.value}_reasoning']").fill(
            f"Reason {index}: the messages are political criticism, not harassment."
            if criterion == Criterion.HARASSMENT
            else f"Reason {index}: met."
        )
    form.get_by_label("Not established").check()
    form.get_by_role("button", name="Propose for review").click()
    assert page.locator("#case-state").inner_text() == "In review"
    # The proposer is not offered the approval.
    assert page.get_by_text("Approve the proposal").count() == 0
    log_out(page)

    log_in(page, live_server.url, "sofie")
    page.goto(f"{live_server.url}/office/cases/")
    page.get_by_role("link", name="To review").click()
    page.get_by_role("link", name=case.reference).click()
    page.get_by_text("Approve the proposal").click()
    page.locator("#action-approve").get_by_role("button", name="Approve").click()

    assert page.locator("#case-state").inner_text() == "Rejected"
    letters = page.get_by_role("region", name="Letters")
    assert letters.get_by_role("link", name=re.compile("Decision on your complaint")).count() == 1
    assert "political criticism" in page.locator("section[aria-labelledby='assessments-heading']").inner_text()
    assert Case.objects.get(pk=case.pk).state == CaseState.REJECTED
