"""What a complainant types is shown as text, never as markup: on the officer's page in a real
browser and in the acknowledgement letter (PDF)."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import Case
from ombudsman.accounts import roles
from ombudsman.letters.models import Letter
from tests.browser.conftest import log_in
from tests.cases.helpers import complaint_post
from tests.factories import ServiceFactory, UserFactory
from tests.letters.test_letters import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>bold</b>"


def test_html_in_a_complaint_is_shown_as_text_on_the_page_and_in_the_letter(live_server, page):
    service = ServiceFactory(name="Instagram", organisation__name="Meta Platforms Ireland Ltd.")
    body = complaint_post(
        service,
        first_name=f"Emma{BOLD}",
        last_name=f"Claes{SCRIPT}",
        description=f"He wrote {SCRIPT}{BOLD} under every photo I post.",
    )
    assert Client().post("/complaint/", body).status_code == 302
    case = Case.objects.get()

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server.url, UserFactory(role=roles.REVIEWER))
    page.goto(f"{live_server.url}/office/cases/{case.reference}/")
    main = page.locator("main")
    assert main.get_by_text(f"He wrote {SCRIPT}{BOLD} under every photo I post.").is_visible()
    assert main.get_by_text(f"Emma{BOLD}", exact=False).first.is_visible()
    assert main.get_by_text(f"Claes{SCRIPT}", exact=False).first.is_visible()
    assert main.locator("b").count() == 0
    assert main.locator("script").count() == 0
    assert dialogs == []

    text = " ".join(pdf_text(Letter.objects.get(kind="acknowledgement")).split())
    assert f"Emma{BOLD} Claes{SCRIPT}" in text
