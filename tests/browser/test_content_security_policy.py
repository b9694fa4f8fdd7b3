"""The main pages, the admin and the API docs work in Chromium under the Content-Security-Policy:
no violation reported in the console."""

from __future__ import annotations

import re

import pytest

from ombudsman.accounts import roles
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, CaseFactory, UserFactory, make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page):
    """Console messages in which Chromium reports a blocked script, style, image or frame."""
    found: list[str] = []
    page.on(
        "console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status < 400, f"{url}: {response.status}"
    page.wait_for_load_state("networkidle")


def test_public_pages_and_api_docs_load_without_a_violation(live_server, page, violations):
    for path in ("/", "/complaint/", "/accounts/login/", "/verify/"):
        visit(page, live_server.url + path)
    visit(page, f"{live_server.url}/api/docs/")
    # Swagger UI really started: its script came from a URL, and it drew the operations.
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 5
    assert violations == []


def test_staff_pages_load_without_a_violation(live_server, page, violations):
    order, liaison = make_order("answered")
    CaseFactory()
    reviewer = UserFactory(role=roles.REVIEWER)
    log_in(page, live_server.url, reviewer)
    for path in (
        "/start/",
        "/office/cases/",
        f"/office/cases/{order.case.reference}/",
        f"/office/orders/{order.reference}/",
        "/office/search/?q=instagram",
        "/statistics/",
        "/office/referrals/new/",
    ):
        visit(page, live_server.url + path)
    assert violations == []


def test_the_admin_and_the_enrolment_load_without_a_violation(live_server, page, violations):
    administrator = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
    log_in(page, live_server.url, administrator)
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{administrator.pk}/change/",
        "/admin/otp_totp/totpdevice/",
    ):
        visit(page, live_server.url + path)
    page.context.clear_cookies()

    newcomer = UserFactory(role=roles.CASE_OFFICER)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(newcomer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
    qr_code = page.get_by_role("img", name="QR code to scan with the authenticator app")
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    assert violations == []


def test_an_inline_style_would_be_reported(live_server, page, violations):
    """The check above can fail: the policy blocks inline styles and the console reports it."""
    visit(page, live_server.url + "/")
    page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>body { color: red; }</style>')")
    page.wait_for_timeout(200)
    assert any("style-src" in text for text in violations), violations
