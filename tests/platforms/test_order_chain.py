"""The order chain to the holder, the letters it produces, and identity data at rest."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from pypdf import PdfReader

from cases.models import CaseState
from ombudsman.audit.models import AuditEvent
from ombudsman.letters.models import LetterRequest
from ombudsman.letters.services import render_letter
from platforms import services
from platforms.models import DisclosureAnswer, IdentityAccess
from tests.factories import (
    IDENTITY,
    CaseFactory,
    ComplaintFactory,
    OrganisationFactory,
    make_order,
    operator,
    reviewer,
)

pytestmark = pytest.mark.django_db


def pdf_text(request: LetterRequest) -> str:
    letter = render_letter(request.pk)
    with letter.pdf.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        (
            "en",
            [
                "Legal basis",
                "article 43bis",
                "Digital Services Act), article 10",
                "Issuing authority",
                "Statement of reasons",
                "Council of State",
                "60 days",
                "BIPT",
                "acknowledge receipt",
            ],
        ),
        ("fr", ["Base légale", "article 43bis", "Conseil d’État", "60 jours", "IBPT"]),
        ("nl", ["Rechtsgrond", "artikel 43bis", "Raad van State", "60 dagen", "BIPT"]),
    ],
)
def test_the_order_letter_carries_every_element_of_dsa_article_10(language, phrases):
    platform = OrganisationFactory(name="Meta Platforms Ireland Ltd.", letter_language=language)
    case = CaseFactory(
        complaint=ComplaintFactory(
            first_name="Emma",
            last_name="Claes",
            email="emma@example.org",
            street="Wetstraat 16",
            service__organisation=platform,
        ),
        state=CaseState.ESTABLISHED,
        proposal="established",
    )
    order, _liaison = make_order("issued", case=case)
    text = pdf_text(LetterRequest.objects.get(kind="disclosure_order"))
    for phrase in phrases:
        assert phrase in text, phrase
    assert order.reference in text
    assert "@unknown_sender" in text  # the identifier concerned
    assert "only the holder's identity allows a complaint" in text  # the statement of reasons
    assert order.due_on.strftime("%Y") in text
    # Never the complainant's identity or contact data.
    for private in ["Emma", "Claes", "emma@example.org", "Wetstraat"]:
        assert private not in text


def test_a_platform_answer_with_an_ip_leads_to_an_operator_order_and_the_holder(mailoutbox):
    case = CaseFactory(complaint=ComplaintFactory(language="fr"), state=CaseState.ESTABLISHED, proposal="established")
    officer = case.assigned_to
    platform_order, _ = make_order(
        "fulfilled", case=case, identity={"ip_addresses": IDENTITY["ip_addresses"], "email": "x@mail.example"}
    )
    case.refresh_from_db()
    assert case.state == CaseState.DISCLOSURE_PENDING  # the platform named no holder

    proximus = operator()
    follow_up = services.draft_order(
        case_id=case.pk,
        by=officer,
        organisation=proximus,
        kind="ip_subscriber",
        identifiers=[
            {"kind": "ip_address", "value": "81.82.83.84", "port": 51234, "timestamp": "2026-11-20T20:35:00+00:00"}
        ],
        data_requested=["subscriber"],
        reasons="The platform named this IP address; its subscriber is the holder of the line that was used.",
        follows=platform_order,
    )
    assert follow_up.reference.endswith("-D2") and follow_up.follows == platform_order
    order, liaison = make_order("issued", case=case, organisation=proximus)
    services.submit_answer(
        order_id=order.pk,
        by=liaison,
        outcome="identity",
        identity={"holder_name": "Jan Janssens", "postal_address": "Kerkstraat 1, 2000 Antwerpen"},
        channel="api",
    )
    services.accept_answer(order_id=order.pk, by=officer)
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED

    text = pdf_text(LetterRequest.objects.get(kind="identification"))
    assert "Jan Janssens" in text and "Kerkstraat 1" in text
    assert "pas nécessairement l’auteur" in text  # the holder is not necessarily the author
    assert "police" in text
    assert IdentityAccess.objects.filter(case=case, actor_label="system").exists()


def test_the_identity_goes_to_the_police_when_the_complainant_chose_so():
    case = CaseFactory(
        complaint=ComplaintFactory(
            language="nl",
            identity_recipient="police",
            identity_recipient_name="Politiezone Brussel-Hoofdstad Elsene",
            identity_recipient_address="Koningsstraat 202A, 1000 Brussel",
        ),
        state=CaseState.ESTABLISHED,
        proposal="established",
    )
    make_order("fulfilled", case=case)
    request = LetterRequest.objects.get(kind="identification")
    text = pdf_text(request)
    letter = request.letter
    assert letter.recipient_name == "Politiezone Brussel-Hoofdstad Elsene" and letter.recipient_email == ""
    assert "Jan Janssens" in text and case.complainant_last_name not in letter.recipient_name


def test_the_chain_ends_without_a_holder_and_the_complainant_is_told():
    case = CaseFactory(state=CaseState.ESTABLISHED, proposal="established")
    order, _ = make_order("answered", case=case, outcome="no_data")
    with pytest.raises(Exception, match="still open"):
        services.conclude_not_identified(case_id=case.pk, by=case.assigned_to)
    services.accept_answer(order_id=order.pk, by=case.assigned_to)
    services.conclude_not_identified(case_id=case.pk, by=case.assigned_to, note="The address belongs to a VPN.")
    case.refresh_from_db()
    assert case.state == CaseState.NOT_IDENTIFIED
    text = pdf_text(LetterRequest.objects.get(kind="no_result"))
    assert "could not be identified" in text or "kon niet worden geïdentificeerd" in text
    assert "The address belongs to a VPN." in text


def test_identity_data_never_lies_in_the_database_in_clear_and_keys_rotate(settings):
    order, _ = make_order("answered")
    answer = DisclosureAnswer.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM platforms_disclosureanswer WHERE id = %s", [answer.pk])
        raw = " ".join(str(value) for value in cursor.fetchone())
    for secret in ["Jan Janssens", "jan.janssens", "+32470998877", "81.82.83.84"]:
        assert secret not in raw
    # Nor in the audit trail.
    trail = " ".join(str(e.data) for e in AuditEvent.objects.all())
    assert "Janssens" not in trail and "81.82.83.84" not in trail

    old_key = settings.IDENTITY_KEYS[0]
    from cryptography.fernet import Fernet

    new_key = Fernet.generate_key().decode()
    settings.IDENTITY_KEYS = [new_key, old_key]
    assert answer.unseal_identity()["holder_name"] == "Jan Janssens"  # old data readable during rotation
    call_command("rotate_identity_keys", stdout=io.StringIO())
    settings.IDENTITY_KEYS = [new_key]
    answer.refresh_from_db()
    assert answer.unseal_identity()["holder_name"] == "Jan Janssens"
    settings.IDENTITY_KEYS = [old_key]
    from ombudsman.core.crypto import IdentityDecryptionError

    with pytest.raises(IdentityDecryptionError):
        answer.unseal_identity()


def test_officers_read_identity_only_with_a_purpose_and_each_reading_is_listed(client):
    order, _ = make_order("answered")
    answer = DisclosureAnswer.objects.get()
    officer = order.case.assigned_to
    client.force_login(officer)
    page = client.get(f"/office/orders/{order.reference}/").content.decode()
    assert "Jan Janssens" not in page and "Show the identity data" in page

    refused = client.post(f"/office/orders/{order.reference}/answers/{answer.pk}/identity/", {"purpose": "why"})
    assert refused.status_code == 400 and not IdentityAccess.objects.exists()

    shown = client.post(
        f"/office/orders/{order.reference}/answers/{answer.pk}/identity/",
        {"purpose": "Checking the holder before the follow-up order"},
    )
    assert shown.status_code == 200 and "Jan Janssens" in shown.content.decode()
    assert shown["Cache-Control"] == "private, no-store"
    access = IdentityAccess.objects.get()
    assert (access.user, access.purpose) == (officer, "Checking the holder before the follow-up order")
    case_page = client.get(f"/office/cases/{order.case.reference}/").content.decode()
    assert "Checking the holder before the follow-up order" in case_page

    from tests.factories import officer as another_officer

    stranger = another_officer()
    client.force_login(stranger)
    assert (
        client.post(
            f"/office/orders/{order.reference}/answers/{answer.pk}/identity/", {"purpose": "Curious about this one"}
        ).status_code
        == 404
    )
    client.force_login(reviewer())
    assert (
        client.post(
            f"/office/orders/{order.reference}/answers/{answer.pk}/identity/", {"purpose": "Second check of the file"}
        ).status_code
        == 200
    )
    assert IdentityAccess.objects.count() == 2
    assert isinstance(access.accessed_at, datetime)


def test_the_complainant_can_later_send_the_identity_to_the_prosecutor_instead(client):
    case = CaseFactory(state=CaseState.ESTABLISHED, proposal="established")
    client.force_login(case.assigned_to)
    url = f"/office/cases/{case.reference}/identity-recipient/"
    refused = client.post(url, {"recipient": "prosecutor"})
    assert refused.status_code == 400 and "Say which police zone or prosecutor" in refused.content.decode()
    done = client.post(
        url,
        {"recipient": "prosecutor", "name": "Parquet de Bruxelles", "address": "Rue des Quatre Bras 4, 1000 Bruxelles"},
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.identity_recipient, case.identity_recipient_name) == ("prosecutor", "Parquet de Bruxelles")
    assert AuditEvent.objects.for_object(case).filter(action="identity_recipient_changed").exists()
    make_order("fulfilled", case=case)
    letter = render_letter(LetterRequest.objects.get(kind="identification").pk)
    assert letter.recipient_name == "Parquet de Bruxelles"

    from tests.factories import officer as another_officer

    client.force_login(another_officer())
    assert client.post(url, {"recipient": "complainant"}).status_code == 404


def test_the_order_letter_states_the_time_to_answer_its_due_date_was_computed_with():
    from platforms.models import OrderDeadline

    order, _liaison = make_order("issued")
    request = LetterRequest.objects.get(kind="disclosure_order")
    days = request.parameters["days"]
    assert days == OrderDeadline.days_for(order.organisation, order.kind)
    # The organisation's time to answer changes before the letter is rendered: the letter keeps
    # the time its due date was computed with.
    OrderDeadline.objects.create(organisation=order.organisation, kind=order.kind, days=days + 7)
    text = pdf_text(request)
    assert f"({days} days, computed by" in text
    assert f"({days + 7} days" not in text


def test_an_order_letter_reads_its_order_organisation_and_signatory_in_one_query():
    from django.test.utils import CaptureQueriesContext

    order, _liaison = make_order("issued")
    request = LetterRequest.objects.get(kind="disclosure_order")
    with CaptureQueriesContext(connection) as queries:
        letter = render_letter(request.pk)
    reads = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    order_reads = [sql for sql in reads if 'FROM "platforms_disclosureorder"' in sql]
    assert len(order_reads) == 1 and 'JOIN "platforms_organisation"' in order_reads[0]
    assert not [sql for sql in reads if 'FROM "platforms_organisation"' in sql or 'FROM "accounts_user"' in sql]
    assert letter.recipient_email == order.organisation.contact_point_email
    assert letter.signatory_name == (order.issued_by or order.drafted_by).display_name
