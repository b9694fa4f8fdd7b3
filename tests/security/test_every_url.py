"""Every URL of the project, for every role and for an anonymous visitor, answers as the table
says. The URLs come from the URL configuration, so a new view without a row fails this test."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.letters import reply_link
from cases.models import CaseState, InformationRequest
from ombudsman.accounts import roles
from ombudsman.letters.models import Letter, LetterRequest
from ombudsman.letters.services import render_letter
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    UserFactory,
    liaison_of,
    make_order,
    make_procedure,
    officer,
    png_bytes,
    reviewer,
    upload,
)

ROLES = ["anonymous", "stranger", "assignee", "reviewer", "liaison", "other_liaison", "bipt", "administrator"]


def codes(text: str) -> dict[str, int]:
    return dict(zip(ROLES, [int(code) for code in text.split()], strict=True))


ALL_200 = codes("200 200 200 200 200 200 200 200")
POST_ONLY = codes("302 405 405 405 405 405 405 405")
OFFICE_PAGE = codes("302 200 200 200 404 404 404 404")
CASE_PAGE = codes("302 404 200 200 404 404 404 404")
LIAISON_OWN = codes("302 404 404 404 200 404 404 404")
LIAISONS = codes("302 404 404 404 200 200 404 404")
BIPT = codes("302 404 404 404 404 404 200 404")
API_ANY = codes("401 200 200 200 200 200 200 200")
API_OWN = codes("401 404 404 404 200 404 404 404")
API_POST = codes("401 405 405 405 405 405 405 405")

# URL name -> (path arguments, expected answer per role)
TABLE = {
    "home": ({}, ALL_200),
    "healthz": ({}, ALL_200),
    "start": ({}, codes("302 200 200 200 200 200 200 302")),
    "set_language": ({}, codes("302 302 302 302 302 302 302 302")),
    "login": ({}, codes("200 302 302 302 302 302 302 302")),
    "logout": ({}, codes("405 405 405 405 405 405 405 405")),
    # A complete login (force_login in the tests) has nothing left to confirm: on to the start page.
    "two_factor_verify": ({}, codes("302 302 302 302 302 302 302 302")),
    "two_factor_setup": ({}, codes("302 302 302 302 302 302 302 302")),
    "cases:complaint_form": ({}, ALL_200),
    "cases:complaint_submitted": ({}, codes("302 302 302 302 302 302 302 302")),
    "cases:information_reply": ({"token": "reply_token"}, ALL_200),
    "cases:queue": ({}, OFFICE_PAGE),
    "cases:staff_complaint_form": ({}, OFFICE_PAGE),
    "cases:search": ({}, OFFICE_PAGE),
    "cases:detail": ({"reference": "case"}, CASE_PAGE),
    "cases:action": ({"reference": "case", "transition": "close"}, POST_ONLY),
    "cases:identity_recipient": ({"reference": "case"}, POST_ONLY),
    "cases:evidence": ({"reference": "case", "token": "evidence"}, CASE_PAGE),
    "cases:letter": ({"reference": "case", "letter_id": "case_letter"}, CASE_PAGE),
    "platforms:draft_order": ({"reference": "case"}, POST_ONLY),
    "platforms:order": ({"reference": "order"}, CASE_PAGE),
    "platforms:order_step": ({"reference": "order", "transition": "withdraw"}, POST_ONLY),
    "platforms:read_identity": ({"reference": "order", "answer_id": "answer"}, POST_ONLY),
    "platforms:follow_up": ({"reference": "order"}, POST_ONLY),
    "platforms:order_letter": ({"reference": "order", "letter_id": "order_letter"}, CASE_PAGE),
    "platforms:portal_orders": ({}, LIAISONS),
    "platforms:portal_api_token": ({}, LIAISONS),
    "platforms:portal_order": ({"reference": "order"}, LIAISON_OWN),
    "platforms:portal_step": ({"reference": "order", "transition": "answer"}, POST_ONLY),
    "platforms:portal_letter": ({"reference": "order", "letter_id": "order_letter"}, LIAISON_OWN),
    "enforcement:referrals": ({}, BIPT),
    "enforcement:referral": ({"reference": "referral"}, BIPT),
    "enforcement:step": ({"reference": "referral", "transition": "close"}, POST_ONLY),
    "enforcement:assign": ({"reference": "referral"}, POST_ONLY),
    "enforcement:draft_answer": ({"reference": "referral"}, POST_ONLY),
    "enforcement:continue": ({"reference": "referral"}, POST_ONLY),
    "enforcement:letter": ({"reference": "referral", "letter_id": "referral_letter"}, BIPT),
    "enforcement:new_referral": ({}, codes("302 404 404 200 404 404 404 404")),
    "dashboard:statistics": ({}, codes("302 200 200 200 404 404 200 404")),
    "dashboard:digest": ({}, POST_ONLY),
    "dashboard:csv": ({"key": "scoreboard"}, codes("302 200 200 200 404 404 200 404")),
    "privacy:access": ({}, codes("302 404 404 200 404 404 404 200")),
    "letters:verify_form": ({}, ALL_200),
    "letters:verify": ({"code": "code"}, ALL_200),
    "admin:index": ({}, codes("302 302 302 302 302 302 302 200")),
    # The API authenticates by token only.
    "api-orders": ({}, API_ANY),
    "api-order": ({"reference": "order"}, API_OWN),
    "api-letter": ({"reference": "order", "letter_id": "order_letter"}, API_OWN),
    "api-acknowledge": ({"reference": "order"}, API_POST),
    "api-extension": ({"reference": "order"}, API_POST),
    "api-answer": ({"reference": "order"}, API_POST),
    "api-schema": ({}, ALL_200),
    "api-docs": ({}, ALL_200),
}


def project_urls() -> dict[str, str]:
    """Every named URL of the project (the admin's own pages are guarded by the admin)."""
    found: dict[str, str] = {}

    def walk(resolver: URLResolver, prefix: str, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, prefix + str(pattern.pattern), pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = prefix + str(pattern.pattern)

    walk(get_resolver(), "", None)
    return {name: route for name, route in found.items() if not name.startswith("admin:") or name == "admin:index"}


def test_every_url_has_a_row():
    assert set(project_urls()) == set(TABLE), "add a row to TABLE for each new URL (and remove stale ones)"


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order, liaison = make_order("answered")
        case = order.case
        waiting = CaseFactory(state=CaseState.AWAITING_INFORMATION)
        procedure = make_procedure("grievances_notified")
        from cases.evidence import check_evidence_files
        from cases.services.intake import store_evidence

        store_evidence(case, check_evidence_files([upload("proof.png", png_bytes())]), [])
    for request in LetterRequest.objects.filter(completed_at__isnull=True):
        render_letter(request.pk)
    users = {
        "stranger": officer(),
        "assignee": case.assigned_to,
        "reviewer": reviewer(),
        "liaison": liaison,
        "other_liaison": liaison_of(OrganisationFactory()),
        "bipt": procedure.referral.assigned_to,
        "administrator": UserFactory(role=roles.ADMINISTRATOR, is_staff=True),
    }
    case_letter = Letter.objects.filter(content_type__model="case", object_id=str(case.pk)).first()
    order_letter = Letter.objects.filter(content_type__model="disclosureorder", object_id=str(order.pk)).first()
    referral_letter = Letter.objects.filter(
        content_type__model="referral", object_id=str(procedure.referral.pk)
    ).first()
    values = {
        "case": case.reference,
        "order": order.reference,
        "referral": procedure.referral.reference,
        "answer": order.answers.get().pk,
        "evidence": case.evidence.get().token,
        "case_letter": case_letter.pk,
        "order_letter": order_letter.pk,
        "referral_letter": referral_letter.pk,
        "code": case_letter.verification_code,
        "reply_token": re.search(r"/reply/([^/]+)/", reply_link(InformationRequest.objects.get(case=waiting).pk))[1],
    }
    return users, values


def path_for(name: str, arguments: dict, values: dict) -> str:
    route = project_urls()[name]
    for key, placeholder in arguments.items():
        value = values.get(placeholder, placeholder)
        route = re.sub(rf"<(?:\w+:)?{key}>", str(value), route)
    return "/" + route.replace("^", "").replace("$", "")


@pytest.mark.django_db
def test_every_url_answers_each_role_as_expected(world, client):
    users, values = world
    wrong = []
    for name, (arguments, expected) in sorted(TABLE.items()):
        path = path_for(name, arguments, values)
        for role in ROLES:
            user = users.get(role)
            if name.startswith("api-"):
                api = APIClient()
                if user:
                    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
                status = api.get(path).status_code
            else:
                client.logout()
                if user:
                    client.force_login(user)
                status = client.get(path).status_code
            if status != expected[role]:
                wrong.append(f"{name} {path} as {role}: {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)
