"""The public complaint form: a complete complaint becomes a case; bad input leaves nothing."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from cases.models import Case, CaseState, Evidence
from ombudsman.audit.models import AuditEvent
from ombudsman.letters.models import Letter, LetterRequest
from tests.cases.helpers import complaint_post
from tests.conftest import stored_files
from tests.factories import MINIMAL_PDF, ServiceFactory, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def a_known_day():
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("UTC"))):
        yield


URL = "/complaint/"


@pytest.fixture
def service():
    return ServiceFactory(name="Instagram", organisation__name="Meta Platforms Ireland Ltd.")


def post(client, data, files=None):
    return client.post(URL, {**data, **({"evidence": files} if files is not None else {})})


def test_a_complete_complaint_becomes_a_submitted_case_with_evidence_and_an_acknowledgement(
    client, service, private_files, django_capture_on_commit_callbacks
):
    files = [upload("screenshot.png", png_bytes()), upload("chat-export.pdf", MINIMAL_PDF)]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, complaint_post(service), files)

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:complaint_submitted")
    case = Case.objects.get()
    assert re.fullmatch(r"OMB-2026-\d{6}", case.reference)
    assert case.state == CaseState.SUBMITTED
    assert case.channel == "web"
    assert case.language == "nl"
    assert case.service == service
    assert case.offence_categories == ["threats", "stalking"]
    assert [(i.kind, i.value) for i in case.identifiers.all()] == [
        ("account_name", "@shadow_sender"),
        ("phone", "+32470998877"),
    ]
    brussels = ZoneInfo("Europe/Brussels")
    assert [m.received_at.astimezone(brussels).strftime("%Y-%m-%d %H:%M") for m in case.message_times.all()] == [
        "2026-11-20 21:35",
        "2026-11-21 22:10",
    ]
    evidence = list(case.evidence.order_by("id"))
    assert [(e.original_name, e.content_type) for e in evidence] == [
        ("screenshot.png", "image/png"),
        ("chat-export.pdf", "application/pdf"),
    ]
    assert len(evidence[0].sha256) == 64
    assert len(stored_files(private_files / "evidence")) == 2
    # The stored file name never repeats the uploaded one.
    assert "screenshot" not in evidence[0].file.name

    event = AuditEvent.objects.for_object(case).get(action="submitted")
    assert event.to_state == "submitted" and event.actor is None and event.actor_label == "public form"

    letter = Letter.objects.get()
    assert letter.kind == "acknowledgement" and letter.language == "nl"
    assert letter.recipient_name == "Emma Claes"

    thanks = client.get(response["Location"])
    assert case.reference in thanks.content.decode()


def test_the_confirmation_shows_the_reference_to_the_sender_only_and_stores_no_session(client, service):
    response = post(client, complaint_post(service))
    case = Case.objects.get()
    assert response.cookies["submitted_reference"]["httponly"]
    assert not Session.objects.exists()  # an anonymous complaint writes the complaint and nothing else
    assert case.reference in client.get(reverse("cases:complaint_submitted")).content.decode()

    # Another visitor, or a forged cookie, is sent back to the form.
    assert Client().get(reverse("cases:complaint_submitted"))["Location"] == reverse("cases:complaint_form")
    forged = Client()
    forged.cookies["submitted_reference"] = case.reference
    assert forged.get(reverse("cases:complaint_submitted"))["Location"] == reverse("cases:complaint_form")


def test_the_acknowledgement_is_emailed_once_with_its_pdf(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, complaint_post(service))
    # Running the sending step again (a retried task) sends nothing more.
    from ombudsman.letters.services import send_letter

    letter = Letter.objects.get()
    assert send_letter(letter.pk) is False
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["emma.claes@example.org"]
    assert letter.reference in message.subject
    assert message.attachments[0][2] == "application/pdf"
    assert message.attachments[0][1].startswith(b"%PDF-")
    letter.refresh_from_db()
    assert letter.sent_at is not None


def assert_rejected(response, message: str, private_files) -> None:
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert LetterRequest.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert stored_files(private_files) == []


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("first_name", "This field is required."),
        ("street", "This field is required."),
        ("service", "This field is required."),
        ("description", "This field is required."),
        ("offence_categories", "This field is required."),
        ("declared_truthful", "This field is required."),
        ("consented_to_processing", "This field is required."),
    ],
)
def test_a_missing_field_is_named_and_nothing_is_stored(client, service, private_files, field, message):
    data = complaint_post(service)
    del data[field]
    response = post(client, data, [upload("screenshot.png", png_bytes())])
    assert_rejected(response, message, private_files)
    assert f'id="id_{field}' in response.content.decode()


def test_no_identifier_at_all_is_refused(client, service, private_files):
    data = complaint_post(
        service,
        **{"identifiers-0-kind": "", "identifiers-0-value": "", "identifiers-1-kind": "", "identifiers-1-value": ""},
    )
    assert_rejected(post(client, data), "Give at least one identifier", private_files)


def test_no_message_time_is_refused(client, service, private_files):
    data = complaint_post(service, **{"messages-0-received_at": "", "messages-1-received_at": ""})
    assert_rejected(post(client, data), "Give the date and time of at least one message", private_files)


def test_a_message_time_in_the_future_is_refused(client, service, private_files):
    data = complaint_post(service, **{"messages-1-received_at": "2026-11-26T09:00"})
    assert_rejected(post(client, data), "cannot have been received in the future", private_files)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("phone", "call me maybe", "is not a phone number"),
        ("email", "not-an-address", "is not an e-mail address"),
        ("profile_url", "javascript:alert(1)", "is not a web address"),
        ("", "@someone", "Choose the type of this identifier"),
    ],
)
def test_an_invalid_identifier_is_refused(client, service, private_files, kind, value, message):
    data = complaint_post(service, **{"identifiers-0-kind": kind, "identifiers-0-value": value})
    assert_rejected(post(client, data), message, private_files)


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1.5", "\u00b2", "9" * 5000])
def test_a_service_that_does_not_exist_is_refused(client, service, private_files, value):
    assert_rejected(post(client, {**complaint_post(service), "service": value}), "Select a valid choice", private_files)


def test_a_service_or_organisation_withdrawn_is_refused_at_once_and_a_new_service_is_offered(
    client, service, private_files
):
    assert "Instagram" in client.get(URL).content.decode()  # the catalogue is cached from here
    service.active = False
    service.save()
    assert "Instagram" not in client.get(URL).content.decode()
    assert_rejected(post(client, complaint_post(service)), "Select a valid choice", private_files)

    service.active = True
    service.save()
    service.organisation.active = False
    service.organisation.save()
    assert_rejected(post(client, complaint_post(service)), "Select a valid choice", private_files)

    threads = ServiceFactory(name="Threads", organisation__name="Meta Platforms Ireland Ltd. (Threads)")
    assert "Threads" in client.get(URL).content.decode()
    assert post(client, complaint_post(threads)).status_code == 302


def test_references_count_on_past_a_million_complaints_a_year(client, service):
    from cases.models import ReferenceSequence

    assert post(client, complaint_post(service)).status_code == 302
    ReferenceSequence.objects.filter(year=2026).update(last_number=999_998)
    assert post(client, complaint_post(service)).status_code == 302
    assert post(client, complaint_post(service)).status_code == 302
    assert list(Case.objects.order_by("id").values_list("reference", flat=True)) == [
        "OMB-2026-000001",
        "OMB-2026-999999",
        "OMB-2026-1000000",
    ]
    assert Case.format_reference(2026, 1_000_000) == "OMB-2026-1000000"


def test_a_parent_must_name_the_victim(client, service, private_files):
    data = complaint_post(service, filer_role="parent", victim_name="")
    assert_rejected(post(client, data), "Give the name of the victim you file for.", private_files)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("holiday.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200),  # a Windows program
        ("statement.pdf", b"<html><script>alert(1)</script></html>"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"garbage that is no image" * 10),  # JPEG magic, broken body
    ],
)
def test_a_file_that_is_not_an_image_or_pdf_is_refused_whatever_its_name(client, service, private_files, name, content):
    response = post(client, complaint_post(service), [upload("ok.png", png_bytes()), upload(name, content)])
    assert_rejected(response, f"{name}” is not an image or a PDF document", private_files)


def test_an_oversize_file_is_refused(client, service, private_files, settings):
    settings.EVIDENCE_MAX_FILE_SIZE = 1024
    big = png_bytes(400, 400)
    assert len(big) > 1024
    response = post(client, complaint_post(service), [upload("big.png", big)])
    assert_rejected(response, "each file may be at most 1.0\xa0KB", private_files)


def test_files_too_large_together_are_refused(client, service, private_files, settings):
    settings.EVIDENCE_MAX_TOTAL_SIZE = len(png_bytes()) + 10
    response = post(client, complaint_post(service), [upload("a.png", png_bytes()), upload("b.png", png_bytes())])
    assert_rejected(response, "together they may be at most", private_files)


def test_too_many_files_are_refused(client, service, private_files, settings):
    files = [upload(f"shot{i}.png", png_bytes()) for i in range(settings.EVIDENCE_MAX_FILES + 1)]
    response = post(client, complaint_post(service), files)
    assert_rejected(response, f"You can attach at most {settings.EVIDENCE_MAX_FILES} files", private_files)


def test_the_honeypot_stops_robots(client, service, private_files):
    response = post(client, complaint_post(service, website="http://spam.example"))
    assert_rejected(response, "This complaint could not be accepted.", private_files)


def test_the_form_is_protected_against_cross_site_requests(service, private_files):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, complaint_post(service))
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_one_address_cannot_flood_the_office(client, service, settings):
    settings.INTAKE_RATE_LIMIT = "2/h"
    assert post(client, complaint_post(service)).status_code == 302
    assert post(client, complaint_post(service)).status_code == 302
    third = post(client, complaint_post(service))
    assert third.status_code == 429
    assert "Too many complaints were sent from your connection" in third.content.decode()
    assert Case.objects.count() == 2


def test_a_failure_after_the_files_were_written_leaves_no_file_and_no_case(client, service, private_files, monkeypatch):
    import cases.services.intake

    def broken_audit(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(cases.services.intake, "execute_with", broken_audit)
    with pytest.raises(RuntimeError):
        post(client, complaint_post(service), [upload("a.png", png_bytes()), upload("b.pdf", MINIMAL_PDF)])
    assert Case.objects.count() == 0
    assert stored_files(private_files) == []


def test_the_form_is_offered_in_dutch_french_and_english(client, service):
    for language, phrase in [
        ("nl", "Mijn klacht versturen"),
        ("fr", "Envoyer ma plainte"),
        ("en", "Send my complaint"),
    ]:
        response = client.get(URL, headers={"accept-language": language})
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()
        assert phrase in response.content.decode()
