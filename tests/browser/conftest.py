import os
import re
import shutil

import pytest


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    assert executable, "chromium is missing: bin/test installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/Brussels")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, base_url: str, user) -> None:
    """Log `user` (a user or a username) in through the login form: password, then the code of
    their authenticator app (given one when they have none). Ends on the start page (the admin
    for an administrator)."""
    from django.contrib.auth import get_user_model

    from tests.conftest import authenticator, current_code
    from tests.factories import PASSWORD

    if isinstance(user, str):
        user = get_user_model().objects.get(username=user)
    device = authenticator(user)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/start/$|/admin/$"))
