"""Every page carries the security headers; no web template holds inline script or style."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ombudsman.accounts import roles
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def policy(response) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


def assert_secure_headers(response) -> None:
    assert policy(response) == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    assert {features[name] for name in ("camera", "microphone", "geolocation", "payment")} == {"()"}


@pytest.mark.parametrize("path", ["/", "/complaint/", "/accounts/login/", "/verify/", "/api/docs/", "/no-such-page/"])
def test_public_pages_carry_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_secure_headers(response)


def test_staff_pages_carry_the_security_headers(client):
    case = CaseFactory()
    client.force_login(UserFactory(role=roles.REVIEWER))
    for path in ("/start/", "/office/cases/", f"/office/cases/{case.reference}/", "/statistics/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_secure_headers(response)
    client.force_login(UserFactory(role=roles.ADMINISTRATOR, is_staff=True))
    assert_secure_headers(client.get("/admin/"))


def test_the_api_docs_load_their_script_from_a_url(client):
    page = client.get("/api/docs/").content.decode()
    assert "<style" not in page
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in attributes for attributes in scripts)
    start_up = re.search(r'<script src="(/api/docs/\?[^"]*script=[^"]*)"', page)[1].replace("&amp;", "&")
    script = client.get(start_up)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def web_templates() -> list[Path]:
    """Letters and other documents with a print page (@page) are rendered to PDF by WeasyPrint,
    not by a browser: their styles may stay inline."""
    return [
        path
        for path in TEMPLATES.rglob("*.html")
        if path.relative_to(TEMPLATES).parts[0] != "letters" and "@page" not in path.read_text()
    ]


def test_no_web_template_has_inline_script_or_style():
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match[0]}"
        for path in web_templates()
        for match in inline.finditer(path.read_text())
    ]
    assert web_templates() and not offenders, offenders
