"""A complainant files a complaint in a real browser and sees the reference."""

from __future__ import annotations

import re

import pytest

from cases.models import Case
from tests.factories import ServiceFactory, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_complainant_submits_the_public_form_and_sees_the_reference(live_server, page, tmp_path):
    ServiceFactory(name="Instagram", organisation__name="Meta Platforms Ireland Ltd.")
    screenshot = tmp_path / "screenshot.png"
    screenshot.write_bytes(png_bytes())

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="File a complaint").first.click()
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
    page.locator("#id_identifiers-0-value").fill("@anon_brux_77")
    page.get_by_label("Threats").check()
    page.locator("#id_messages-0-received_at").fill("2026-11-20T21:35")
    page.get_by_label("Describe the messages and their effect on you").fill(
        "Every evening an unknown account threatens to publish my address."
    )
    page.get_by_label("Evidence (screenshots, PDF)").set_input_files(str(screenshot))
    page.get_by_label("I declare that the information I give is true and complete.").check()
    page.get_by_label(re.compile("I consent to the Ombudsman processing")).check()
    page.get_by_role("button", name="Send my complaint").click()

    page.wait_for_url(re.compile(r"/complaint/submitted/$"))
    reference = page.locator("#case-reference").inner_text()
    assert re.fullmatch(r"OMB-\d{4}-\d{6}", reference)
    case = Case.objects.get(reference=reference)
    assert case.language == "fr"
    assert case.evidence.count() == 1


def test_a_mistake_is_reported_on_the_form_without_losing_the_input(live_server, page):
    ServiceFactory(name="Snapchat", organisation__name="Snap B.V.")
    page.goto(f"{live_server.url}/complaint/")
    page.get_by_label("Your first name").fill("Ella")
    page.get_by_role("button", name="Send my complaint").click()

    summary = page.get_by_role("alert").first
    assert "Please correct the following" in summary.inner_text()
    assert page.get_by_label("Your first name").input_value() == "Ella"
    assert Case.objects.count() == 0
