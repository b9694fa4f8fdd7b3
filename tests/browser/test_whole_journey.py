"""The whole journey in a real browser: from the public form to the identification letter, and from
an ignored order to BIPT's fine."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from cases.models import Case, CaseState, Criterion
from enforcement.models import Referral, SanctionProcedure
from ombudsman.accounts import roles
from ombudsman.audit.services import find_broken_links
from ombudsman.letters.models import Letter
from platforms.models import DisclosureOrder, Organisation
from tests.browser.test_assessment import log_in, log_out
from tests.factories import (
    OrganisationFactory,
    ServiceFactory,
    UserFactory,
    liaison_of,
    operator,
    png_bytes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_text(letter: Letter) -> str:
    with letter.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def file_a_complaint(page, base_url: str, tmp_path, account: str) -> Case:
    screenshot = tmp_path / "screenshot.png"
    screenshot.write_bytes(png_bytes())
    page.goto(f"{base_url}/complaint/")
    page.get_by_label("I am the victim").check()
    page.get_by_label("Your first name").fill("Camille")
    page.get_by_label("Your last name").fill("Renard")
    page.get_by_label("Your e-mail address").fill("camille.renard@example.org")
    page.get_by_label("Street and number").fill("Rue de la Loi 16")
    page.get_by_label("Postal code").fill("1000")
    page.get_by_label("City").fill("Bruxelles")
    page.get_by_label("French").check()
    page.get_by_label("Where were you harassed?").select_option(label="Instagram")
    page.locator("#id_identifiers-0-kind").select_option("account_name")
    page.locator("#id_identifiers-0-value").fill(account)
    page.get_by_label("Threats").check()
    page.locator("#id_messages-0-received_at").fill("2026-11-20T21:35")
    page.get_by_label("Describe the messages and their effect on you").fill(
        "Every evening an unknown account threatens to publish my address and photos of my house."
    )
    page.get_by_label("Evidence (screenshots, PDF)").set_input_files(str(screenshot))
    page.get_by_label("I declare that the information I give is true and complete.").check()
    page.get_by_label(re.compile("I consent to the Ombudsman processing")).check()
    page.get_by_role("button", name="Send my complaint").click()
    page.wait_for_url(re.compile(r"/complaint/submitted/$"))
    return Case.objects.get(reference=page.locator("#case-reference").inner_text())


def assess_and_approve(page, base_url: str, case: Case, officer: str, reviewer: str) -> None:
    """The officer proposes that every criterion is met; a second officer approves."""
    log_in(page, base_url, officer)
    page.goto(f"{base_url}/office/cases/{case.reference}/")
    page.get_by_text("Assign", exact=True).first.click()
    page.get_by_role("button", name="Assign").click()
    assert page.locator("#case-state").inner_text() == "In assessment"
    page.get_by_text("Assess and propose a decision").click()
    form = page.locator("#action-propose_decision form")
    for criterion in Criterion:
        form.locator(f"input[name='propose_decision-{criterion.value}_answer'][value='yes']").check()
        form.locator(f"textarea[name='propose_decision-{criterion.value}_reasoning']").fill(
            "Met: the screenshots show repeated threats from the same account."
        )
    form.get_by_label("Established", exact=True).check()
    form.get_by_role("button", name="Propose for review").click()
    assert page.locator("#case-state").inner_text() == "In review"
    log_out(page)

    log_in(page, base_url, reviewer)
    page.goto(f"{base_url}/office/cases/?view=review")
    page.get_by_role("link", name=case.reference).click()
    page.get_by_text("Approve the proposal").click()
    page.locator("#action-approve").get_by_role("button", name="Approve").click()
    assert page.locator("#case-state").inner_text() == "Established"
    log_out(page)


def draft_and_issue_order(page, base_url: str, case: Case, organisation: str) -> DisclosureOrder:
    page.goto(f"{base_url}/office/cases/{case.reference}/")
    page.get_by_text("Draft a disclosure order").click()
    form = page.locator("#draft-order form")
    form.get_by_label("Addressed to").select_option(label=organisation)
    form.get_by_label("Kind of order").select_option("account_data")
    form.locator("input[name='identifiers']").first.check()
    form.locator("input[name='data_requested']").first.check()
    form.get_by_label(re.compile("Statement of reasons")).fill(
        "Repeated threats against the victim; only the holder's data lets the victim file a complaint."
    )
    form.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(re.compile(r"/office/orders/[^/]+/$"))
    page.get_by_text("Issue the order").click()
    page.locator("#step-issue").get_by_role("button", name="Issue").click()
    assert page.locator("#order-state").inner_text() == "Issued"
    return DisclosureOrder.objects.get(reference=page.url.rstrip("/").rsplit("/", 1)[1])


def answer_in_portal(page, base_url: str, liaison: str, order: DisclosureOrder, fill) -> None:
    log_in(page, base_url, liaison)
    page.goto(f"{base_url}/portal/orders/")
    page.get_by_role("link", name=order.reference).click()
    page.get_by_text("Answer the order").click()
    form = page.locator("#step-answer form")
    form.get_by_label("Identity data provided").check()
    fill(form)
    form.get_by_role("button", name="Send the answer").click()
    assert page.locator("#order-state").inner_text() == "Answered"
    log_out(page)


def accept_answer(page, base_url: str, order: DisclosureOrder) -> None:
    page.goto(f"{base_url}/office/orders/{order.reference}/")
    page.get_by_text("Accept the answer").click()
    page.locator("#step-accept_answer").get_by_role("button", name="Accept").click()
    assert page.locator("#order-state").inner_text() == "Fulfilled"


def test_from_the_public_form_to_the_identification_letter(live_server, page, tmp_path):
    meta = OrganisationFactory(name="Meta Platforms Ireland Ltd.", letter_language="fr")
    ServiceFactory(name="Instagram", organisation=meta)
    proximus = operator()
    liaison_of(meta, username="meta-legal")
    liaison_of(proximus, username="proximus-legal")
    UserFactory(username="anna", first_name="Anna", last_name="Peeters", role=roles.CASE_OFFICER)
    UserFactory(username="sofie", first_name="Sofie", last_name="Janssens", role=roles.REVIEWER)
    base = live_server.url

    case = file_a_complaint(page, base, tmp_path, "@anon_brux_77")
    assert case.state == CaseState.SUBMITTED
    assess_and_approve(page, base, case, "anna", "sofie")

    # The officer orders Meta to disclose the account's data.
    log_in(page, base, "anna")
    platform_order = draft_and_issue_order(page, base, case, "Meta Platforms Ireland Ltd.")
    assert platform_order.organisation == meta
    log_out(page)

    # Meta's liaison answers with the IP address the account used.
    def ip_address(form):
        form.locator("input[name='answer-ip_0_address']").fill("81.82.83.84")
        form.locator("input[name='answer-ip_0_port']").fill("51234")
        form.locator("input[name='answer-ip_0_timestamp']").fill("2026-11-20T20:35")

    answer_in_portal(page, base, "meta-legal", platform_order, ip_address)

    # The officer accepts it and orders Proximus to name the subscriber behind the address.
    log_in(page, base, "anna")
    accept_answer(page, base, platform_order)
    follow_up = page.locator("section[aria-labelledby='follow-up-heading'] form")
    follow_up.get_by_label("Operator").select_option(label=proximus.name)
    follow_up.get_by_label("Kind of order").select_option("ip_subscriber")
    follow_up.get_by_label("IP address").fill("81.82.83.84")
    follow_up.get_by_label("Source port").fill("51234")
    follow_up.get_by_label(re.compile("Time of use")).fill("2026-11-20T21:35")
    follow_up.get_by_label("Statement of reasons").fill(
        "Meta named this IP address; its subscriber holds the line used to send the threats."
    )
    follow_up.get_by_role("button", name="Draft the follow-up order").click()
    page.get_by_text("Issue the order").click()
    page.locator("#step-issue").get_by_role("button", name="Issue").click()
    assert page.locator("#order-state").inner_text() == "Issued"
    operator_order = DisclosureOrder.objects.get(follows=platform_order)
    assert operator_order.organisation == proximus
    log_out(page)

    # Proximus answers with the subscriber; the officer accepts: the case is identified.
    def holder(form):
        form.get_by_label("Name of the holder").fill("Jan Janssens")
        form.get_by_label("Postal address").fill("Kerkstraat 1, 9000 Gent")

    answer_in_portal(page, base, "proximus-legal", operator_order, holder)
    log_in(page, base, "anna")
    accept_answer(page, base, operator_order)
    page.goto(f"{base}/office/cases/{case.reference}/")
    assert page.locator("#case-state").inner_text() == "Identified"
    letters = page.get_by_role("region", name="Letters").inner_text()
    assert "Identification of the holder of the account or line" in letters

    # The complainant's letter names the holder, in French, with the warnings.
    letter = Letter.objects.get(kind="identification", object_id=str(case.pk))
    assert (letter.language, letter.recipient_email) == ("fr", "camille.renard@example.org")
    text = pdf_text(letter)
    with translation.override("fr"):
        warning = gettext("The holder of an account or line is not necessarily the author of the messages.")
        title = gettext("Identification of the holder of the account or line")
    for expected in ["Jan Janssens", "Kerkstraat 1, 9000 Gent", case.reference, "Camille Renard", warning, title]:
        assert expected in text, expected
    # Every letter of the journey exists once; the audit chain holds.
    kinds = sorted(Letter.objects.values_list("kind", flat=True))
    assert kinds.count("identification") == 1 and kinds.count("acknowledgement") == 1
    assert list(find_broken_links()) == []


def test_an_ignored_order_is_escalated_and_bipt_imposes_a_fine(live_server, page, tmp_path):
    snap = OrganisationFactory(name="Snap B.V.", letter_language="nl")
    ServiceFactory(name="Instagram", organisation=snap)
    liaison_of(snap, username="snap-legal")
    UserFactory(username="anna", first_name="Anna", last_name="Peeters", role=roles.CASE_OFFICER)
    UserFactory(username="sofie", first_name="Sofie", last_name="Janssens", role=roles.REVIEWER)
    UserFactory(username="bert", first_name="Bert", last_name="Claes", role=roles.BIPT_OFFICER)
    UserFactory(username="hilde", first_name="Hilde", last_name="Maes", role=roles.BIPT_HEAD)
    base = live_server.url

    case = file_a_complaint(page, base, tmp_path, "@ghost_sender")
    assess_and_approve(page, base, case, "anna", "sofie")
    log_in(page, base, "anna")
    order = draft_and_issue_order(page, base, case, "Snap B.V.")
    log_out(page)

    # Nobody answers. The sweep marks the order overdue after its due date, with a formal
    # notice, and escalates it to BIPT after the grace period.
    call_command("sweep_deadlines", today=(order.due_on + timedelta(days=1)).isoformat())
    order.refresh_from_db()
    assert order.state == "overdue"
    call_command("sweep_deadlines", today=(order.grace_until + timedelta(days=1)).isoformat())
    order.refresh_from_db()
    assert order.state == "escalated"
    referral = Referral.objects.get(organisation=snap)
    assert list(referral.orders.values_list("pk", flat=True)) == [order.pk]
    assert set(Letter.objects.filter(object_id=str(order.pk)).values_list("kind", flat=True)) >= {
        "disclosure_order",
        "formal_notice",
    }

    # BIPT's head assigns the referral; the officer takes it to a fine.
    log_in(page, base, "hilde")
    page.goto(f"{base}/bipt/referrals/")
    page.get_by_role("link", name=referral.reference).click()
    page.get_by_text("Assign to a BIPT officer").click()
    page.locator("#assign").get_by_role("combobox").select_option(label="Bert Claes")
    page.locator("#assign").get_by_role("button").click()
    assert page.locator("#referral-officer").inner_text() == "Bert Claes"
    log_out(page)

    log_in(page, base, "bert")
    page.goto(f"{base}/bipt/referrals/{referral.reference}/")

    def step(title: str, button: str, fill: dict | None = None) -> None:
        page.get_by_text(title, exact=True).click()
        section = page.locator("details[open]").last
        for label, value in (fill or {}).items():
            section.get_by_label(label).fill(value)
        section.get_by_role("button", name=button).click()

    step("Open the investigation", "Open")
    step(
        "Notify the grievances",
        "Notify",
        {
            "Facts and grievances": "The order was left unanswered beyond the formal notice.",
            "Evidence in the file": "The order, the formal notice and their hashes.",
        },
    )
    assert page.locator("#procedure-state").inner_text() == "Grievances notified"
    # Thirty days pass without a defence: the sweep closes the defence period.
    procedure = SanctionProcedure.objects.get(referral=referral)
    SanctionProcedure.objects.filter(pk=procedure.pk).update(defence_due_on=timezone.localdate() - timedelta(days=1))
    call_command("sweep_deadlines")
    page.goto(f"{base}/bipt/referrals/{referral.reference}/")
    assert page.locator("#procedure-state").inner_text() == "Defence closed"
    step("Send the draft decision", "Send", {"Draft decision": "BIPT intends to impose a fine of EUR 20,000."})
    assert page.locator("#procedure-state").inner_text() == "Draft decision"
    # The platform's period to answer the draft has passed.
    SanctionProcedure.objects.filter(pk=procedure.pk).update(
        draft_answer_due_on=timezone.localdate() - timedelta(days=1)
    )
    page.goto(f"{base}/bipt/referrals/{referral.reference}/")
    page.locator("#step-decide summary").click()
    section = page.locator("#step-decide")
    section.get_by_label("Impose a fine").check()
    section.get_by_label("Reasons").fill("The platform ignored an order and its formal notice, leaving a victim alone.")
    section.get_by_label("Seriousness").select_option("serious")
    section.get_by_label("Days of non-cooperation").fill("40")
    section.locator("select[name='decide-cooperation']").select_option("none")
    section.get_by_label("Fine (EUR)").fill("20000")
    section.get_by_role("button", name="Decide").click()
    assert page.locator("#procedure-state").inner_text() == "Fine imposed"

    decision = Letter.objects.get(kind="fine_decision")
    text = pdf_text(decision)
    assert "Snap B.V." in text and ("20.000" in text or "20 000" in text or "20,000" in text)
    assert SanctionProcedure.objects.get(pk=procedure.pk).state == "fine_imposed"
    assert Organisation.objects.get(pk=snap.pk).name == "Snap B.V."
