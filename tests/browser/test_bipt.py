"""A BIPT officer takes a referral to a fine decision in a real browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from enforcement.models import SanctionProcedure
from enforcement.services.sweep import close_defence_periods
from tests.browser.conftest import log_in
from tests.factories import make_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_bipt_officer_takes_a_referral_to_a_decision(live_server, page):
    procedure = make_procedure("referred")
    reference = procedure.referral.reference
    officer = procedure.referral.assigned_to

    log_in(page, live_server.url, officer)
    page.goto(f"{live_server.url}/bipt/referrals/")
    page.get_by_role("link", name=reference).click()

    def step(title: str, button: str, fill: dict | None = None) -> None:
        page.get_by_text(title, exact=True).click()
        section = page.locator("details[open]").last
        for label, value in (fill or {}).items():
            section.get_by_label(label).fill(value)
        section.get_by_role("button", name=button).click()

    step("Open the investigation", "Open")
    assert page.locator("#procedure-state").inner_text() == "Investigating"
    step(
        "Notify the grievances",
        "Notify",
        {
            "Facts and grievances": "Three orders left unanswered beyond the formal notice.",
            "Evidence in the file": "The orders, the formal notices and their hashes.",
        },
    )
    assert page.locator("#procedure-state").inner_text() == "Grievances notified"

    # Thirty days later, nobody answered: the sweep closes the defence.
    SanctionProcedure.objects.filter(pk=procedure.pk).update(defence_due_on=timezone.localdate() - timedelta(days=1))
    close_defence_periods(timezone.localdate())
    page.goto(f"{live_server.url}/bipt/referrals/{reference}/")
    assert page.locator("#procedure-state").inner_text() == "Defence closed"
    step("Send the draft decision", "Send", {"Draft decision": "BIPT intends to impose a fine of EUR 50,000."})

    # The draft decision may not be decided before the platform's period to answer it.
    page.locator("#step-decide summary").click()
    section = page.locator("#step-decide")
    section.get_by_label("Impose a fine").check()
    section.get_by_label("Reasons").fill(
        "The organisation ignored three orders despite formal notice, leaving victims without redress."
    )
    section.get_by_label("Seriousness").select_option("serious")
    section.get_by_label("Days of non-cooperation").fill("65")
    section.locator("select[name='decide-cooperation']").select_option("none")
    section.get_by_label("Fine (EUR)").fill("50000")
    section.get_by_role("button", name="Decide").click()
    assert "could answer the draft decision" in page.locator("#step-decide").inner_text()
    assert page.locator("#procedure-state").inner_text() == "Draft decision"

    SanctionProcedure.objects.filter(pk=procedure.pk).update(
        draft_answer_due_on=timezone.localdate() - timedelta(days=1)
    )
    page.goto(f"{live_server.url}/bipt/referrals/{reference}/")
    page.locator("#step-decide summary").click()
    section = page.locator("#step-decide")
    section.get_by_label("Impose a fine").check()
    section.get_by_label("Reasons").fill(
        "The organisation ignored three orders despite formal notice, leaving victims without redress."
    )
    section.get_by_label("Seriousness").select_option("serious")
    section.get_by_label("Days of non-cooperation").fill("65")
    section.locator("select[name='decide-cooperation']").select_option("none")
    section.get_by_label("Fine (EUR)").fill("50000")
    section.get_by_role("button", name="Decide").click()

    assert page.locator("#procedure-state").inner_text() == "Fine imposed"
    letters = page.get_by_role("region", name="Letters").inner_text()
    assert "Decision imposing an administrative fine" in letters
    assert "non-confidential version" in letters
