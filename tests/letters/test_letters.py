"""Letters: real PDFs read back, one letter per trigger, the public verification page."""

from __future__ import annotations

import hashlib
import io
import threading

import pytest
from django.db import connection
from pypdf import PdfReader

from cases.models import Case
from ombudsman.audit.models import AuditEvent
from ombudsman.letters.kinds import all_kinds
from ombudsman.letters.models import ImmutableLetterError, Letter, LetterRequest
from ombudsman.letters.services import mail_letter, render_letter, request_letter
from ombudsman.letters.tasks import render_letter_task, requeue_pending_letters
from tests.factories import CaseFactory, ComplaintFactory


def pdf_text(letter: Letter) -> str:
    with letter.pdf.open("rb") as handle:
        data = handle.read()
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def acknowledgement_of(case: Case) -> Letter:
    request = LetterRequest.objects.get(trigger_key=f"case:{case.pk}:acknowledgement")
    return render_letter(request.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("nl", ["Ontvangstbevestiging", "Onze referentie", "Pagina 1 van"]),
        ("fr", ["Accusé de réception", "Notre référence", "Page 1 sur"]),
        ("de", ["Empfangsbestätigung", "Unser Zeichen", "Seite 1 von"]),
        ("en", ["Acknowledgement of receipt", "Our reference", "Page 1 of"]),
    ],
)
def test_the_acknowledgement_reads_back_with_reference_and_name_in_the_case_language(language, phrases):
    case = CaseFactory(complaint=ComplaintFactory(language=language, first_name="Chloé", last_name="Dumont"))
    letter = acknowledgement_of(case)

    text = pdf_text(letter)
    assert case.reference in text
    assert "Chloé Dumont" in text
    for phrase in phrases:
        assert phrase in text
    assert "90" in text  # the handling target
    assert letter.verification_code in text
    assert letter.signatory_name in text
    with letter.pdf.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    # PDF/A for archiving: an output intent and the PDF/A identification in the XMP metadata.
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/OutputIntents" in catalog
    assert b"pdfaid:part" in catalog["/Metadata"].get_object().get_data()


@pytest.mark.django_db
def test_the_letter_task_run_twice_gives_one_letter_one_event_and_one_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    case = CaseFactory()
    request = LetterRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        first = render_letter_task.apply(args=[request.pk]).get()
    with django_capture_on_commit_callbacks(execute=True):
        second = render_letter_task.apply(args=[request.pk]).get()
    assert first == second
    assert [message.to for message in mailoutbox] == [[case.complainant_email]]
    assert Letter.objects.get().sent_at is not None
    assert Letter.objects.count() == 1
    assert AuditEvent.objects.for_object(case).filter(action="letter_issued").count() == 1
    request.refresh_from_db()
    assert request.completed_at is not None


@pytest.mark.django_db
def test_requesting_the_same_letter_twice_gives_one_request():
    case = CaseFactory()
    request_letter(kind="acknowledgement", target=case, language="fr", trigger_key=f"case:{case.pk}:acknowledgement")
    assert LetterRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_rendering_the_same_letter_at_once_give_one_letter():
    CaseFactory()
    request = LetterRequest.objects.get()
    results, errors = [], []
    barrier = threading.Barrier(2)

    def work():
        try:
            barrier.wait()
            results.append(render_letter(request.pk).pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Letter.objects.count() == 1


@pytest.mark.django_db
def test_a_letter_cannot_be_changed_or_deleted():
    letter = acknowledgement_of(CaseFactory())
    letter.recipient_name = "Someone else"
    with pytest.raises(ImmutableLetterError):
        letter.save()
    with pytest.raises(ImmutableLetterError):
        letter.delete()


@pytest.mark.django_db
def test_a_correction_is_a_new_version_with_its_own_code():
    case = CaseFactory()
    first = acknowledgement_of(case)
    correction = request_letter(
        kind="acknowledgement", target=case, language="nl", trigger_key=f"case:{case.pk}:acknowledgement:correction-1"
    )
    second = render_letter(correction.pk)
    assert (first.version, second.version) == (1, 2)
    assert first.verification_code != second.verification_code
    assert "Version" in pdf_text(second) or "Versie" in pdf_text(second)


@pytest.mark.django_db
def test_a_failed_rendering_leaves_no_file_and_is_retried_by_the_sweep(monkeypatch, private_files):
    CaseFactory()
    request = LetterRequest.objects.get()

    import ombudsman.letters.services as services

    def broken_audit(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(services, "append_events", broken_audit)
    with pytest.raises(RuntimeError):
        render_letter(request.pk)
    assert Letter.objects.count() == 0
    assert not list((private_files / "letters").rglob("*.pdf")) if (private_files / "letters").exists() else True
    request.refresh_from_db()
    assert request.attempts == 1 and "database hiccup" in request.last_error

    monkeypatch.undo()
    LetterRequest.objects.filter(pk=request.pk).update(requested_at=request.requested_at.replace(year=2020))
    assert requeue_pending_letters.apply().get() == 1
    assert Letter.objects.count() == 1


@pytest.mark.django_db
def test_the_verification_page_confirms_a_letter_and_says_nothing_about_people(client):
    case = CaseFactory(complaint=ComplaintFactory(first_name="Noor", last_name="El Amrani"))
    letter = acknowledgement_of(case)

    response = client.get(f"/verify/{letter.verification_code}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "This letter was issued by the Ombudsman." in body
    assert letter.sha256 in body
    assert "Acknowledgement of receipt" in body
    for private in ["Noor", "El Amrani", case.reference, case.complainant_email, case.street]:
        assert private not in body

    # The form on the page sends the code as a query parameter; lower case is accepted.
    assert client.get("/verify/", {"code": letter.verification_code.lower()}).status_code == 200


@pytest.mark.django_db
def test_the_verification_page_rejects_an_unknown_code(client):
    response = client.get("/verify/ABCD-EFGH-JKLM")
    assert response.status_code == 404
    assert "No letter with this code was issued" in response.content.decode()


@pytest.mark.django_db
def test_a_decision_letter_carries_the_remedies_block():
    from ombudsman.letters.kinds import LetterContent, LetterKind, Remedies, Signatory
    from ombudsman.letters.rendering import html_to_pdf
    from ombudsman.letters.services import compose_letter

    decision = LetterKind(
        code="test-decision",
        title="Decision",
        template="letters/base.html",
        is_decision=True,
        build=lambda case, parameters: LetterContent(
            reference=case.reference,
            recipient_name=case.complainant_name,
            recipient_address=case.postal_address,
            recipient_email="",
            signatory=Signatory("Anna Peeters", "Case officer", "anna@example.org"),
            remedies=Remedies(body="Council of State", form="a petition", deadline="60 days"),
        ),
    )
    _letter, html = compose_letter(decision, CaseFactory(), language="en")
    reader = PdfReader(io.BytesIO(html_to_pdf(html)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "How to challenge this decision" in text
    assert "Council of State" in text and "60 days" in text
    assert "Anna Peeters" in text and "Case officer" in text


@pytest.mark.django_db
def test_only_a_mailed_kind_with_an_address_and_not_sent_yet_is_mailed(mailoutbox, django_capture_on_commit_callbacks):
    letter = acknowledgement_of(CaseFactory())
    not_mailed_kind = next(kind for kind in all_kinds() if not kind.email_to_recipient)
    with django_capture_on_commit_callbacks(execute=True):
        mail_letter(Letter(kind=not_mailed_kind.code, recipient_email="someone@mail.example"))
        mail_letter(Letter(kind=letter.kind, recipient_email=""))
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        mail_letter(letter)
        mail_letter(Letter.objects.get(pk=letter.pk))  # sent meanwhile: nothing more
    assert len(mailoutbox) == 1
