"""BIPT's letters read back, and nothing BIPT can reach names a complainant."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cases.models import Case
from ombudsman.letters.models import Letter, LetterRequest
from ombudsman.letters.services import render_letter
from tests.factories import CaseFactory, ComplaintFactory, bipt_head, make_order, make_procedure, reviewer

pytestmark = pytest.mark.django_db


def render_all() -> None:
    for request in LetterRequest.objects.filter(completed_at__isnull=True).order_by("id"):
        render_letter(request.pk)


def text_of(letter: Letter) -> str:
    with letter.pdf.open("rb") as handle:
        return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages).split())


def test_the_referral_dossier_lists_orders_timelines_letters_and_no_complainant():
    procedure = make_procedure("referred")
    render_all()
    order = procedure.referral.orders.get()
    dossier = Letter.objects.get(kind="referral_dossier")
    text = text_of(dossier)

    case = order.case
    assert order.reference in text and case.reference in text
    assert "Threats" in text or "Menaces" in text  # the case's offence category
    order_letter = Letter.objects.get(kind="disclosure_order")
    assert order_letter.verification_code in text.replace(" ", "")  # table cells may wrap
    assert order_letter.sha256[:20] in text.replace(" ", "")
    for private in [case.complainant_first_name, case.complainant_last_name, case.complainant_email, case.street]:
        assert private not in text


def test_the_grievances_and_the_decisions_read_back_with_rights_and_remedies():
    procedure = make_procedure("fine_imposed")
    render_all()
    grievances = text_of(Letter.objects.get(kind="grievances"))
    assert "answer in writing" in grievances and "ask to be heard" in grievances and "consult the file" in grievances
    full = text_of(Letter.objects.get(kind="fine_decision"))
    assert "EUR 50,000.00" in full and "Projekt Falcon" in full
    assert "Market Court" in full and "60 days" in full
    public_letter = Letter.objects.get(kind="fine_decision_public")
    public = text_of(public_letter)
    assert "Projekt Falcon" not in public and "[…]" in public
    assert "EUR 50,000.00" in public and "Market Court" in public
    assert public_letter.recipient_email == "" and public_letter.sent_at is None
    for reference in [o.case.reference for o in procedure.referral.orders.all()]:
        assert reference not in public


def test_nothing_bipt_can_reach_names_a_complainant(client):
    """Crawl every page, PDF and CSV export a BIPT officer and a BIPT head can open."""
    case = CaseFactory(
        complaint=ComplaintFactory(
            first_name="Zoraïde",
            last_name="Vandenbroucke",
            email="zoraide.v@mail.example",
            phone="+32470111222",
            street="Sint-Jorisstraat 77",
        ),
        state="established",
        proposal="established",
    )
    order, _ = make_order("issued", case=case)
    procedure = make_procedure("closed")
    from enforcement import services

    referral = services.open_referral_by_hand(
        organisation=order.organisation,
        orders=[order],
        reason="Pattern of late answers over the last months.",
        by=reviewer(),
    )
    services.assign_referral(referral_id=referral.pk, by=bipt_head(), officer=procedure.referral.assigned_to)
    render_all()
    secrets = ["Zoraïde", "Vandenbroucke", "zoraide.v@mail.example", "+32470111222", "470111222", "Sint-Jorisstraat"]

    for user in [procedure.referral.assigned_to, bipt_head()]:
        client.force_login(user)
        to_visit, seen = ["/bipt/referrals/", "/statistics/", "/start/"], set()
        pages = 0
        while to_visit:
            url = to_visit.pop()
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url, follow=True)
            if response.status_code != 200:
                continue
            pages += 1
            if response["Content-Type"].startswith("application/pdf"):
                body = " ".join(
                    p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
                )
            else:
                body = (
                    b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
                )
                for link in re.findall(r'href="(/[^"#]*)"', body):
                    link = link.replace("&amp;", "&")
                    if link.startswith(("/bipt/", "/statistics/")) and not link.startswith("/statistics/?"):
                        to_visit.append(link)
            for secret in secrets:
                assert secret not in body, f"{secret} found at {url}"
        assert pages >= 8, seen
        assert any(url.endswith(".pdf") for url in seen) and any(".csv" in url for url in seen)
    assert Case.objects.filter(complainant_last_name="Vandenbroucke").exists()


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_every_procedure_letter_renders_in_the_organisations_language(language):
    from django.utils import translation

    from enforcement import services
    from ombudsman.letters.kinds import get_kind
    from platforms.models import Organisation

    procedure = make_procedure("grievances_notified")
    Organisation.objects.filter(pk=procedure.referral.organisation_id).update(letter_language=language)
    officer = procedure.referral.assigned_to
    services.run_procedure_step(
        procedure_id=procedure.pk, step="schedule_hearing", by=officer, at=timezone.now() + timedelta(days=2)
    )
    LetterRequest.objects.filter(content_type__model="sanctionprocedure").update(language=language)
    fined = make_procedure("paid")
    Organisation.objects.filter(pk=fined.referral.organisation_id).update(letter_language=language)
    services.run_procedure_step(procedure_id=fined.pk, step="close", by=fined.referral.assigned_to)
    from enforcement.services.sweep import remind_unpaid_fines

    unpaid = make_procedure("fine_imposed")
    remind_unpaid_fines(unpaid.payment_due_on + timedelta(days=1))
    LetterRequest.objects.filter(content_type__model="sanctionprocedure").update(language=language)
    render_all()
    kinds = set()
    for letter in Letter.objects.filter(content_type__model="sanctionprocedure"):
        with translation.override(language):
            title = str(get_kind(letter.kind).title)
        assert title in text_of(letter), (letter.kind, language)
        kinds.add(letter.kind)
    assert kinds == {
        "grievances",
        "hearing_invitation",
        "draft_decision",
        "fine_decision",
        "fine_decision_public",
        "payment_reminder",
        "procedure_closure",
    }
