"""Redis down while a complainant submits: the complaint is stored at once and its letter and
e-mail follow when Redis is back (the letter request is the outbox, beat queues it again)."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from cases.models import Case
from ombudsman.celery import app as celery_app
from ombudsman.letters.models import Letter, LetterRequest
from ombudsman.letters.tasks import requeue_pending_letters
from tests.cases.helpers import complaint_post
from tests.conftest import wait_for
from tests.factories import ServiceFactory


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "outage",
    [
        "stopped",  # the connection is refused
        "frozen",  # the host accepts connections and never answers (SIGSTOP)
    ],
)
def test_a_complaint_made_while_redis_is_down_is_kept_and_acknowledged_once_redis_is_back(client, broker, outage):
    service = ServiceFactory()
    mail.outbox = []
    broker.stop() if outage == "stopped" else broker.freeze()

    started = time.monotonic()
    response = client.post("/complaint/", complaint_post(service, language="fr"))
    answered_in = time.monotonic() - started
    assert response.status_code == 302, response.content.decode()[:500]
    assert answered_in < 6, f"the form took {answered_in:.1f} s with the broker {outage}"
    case = Case.objects.get()
    assert case.reference in client.get(response["Location"]).content.decode()
    request = LetterRequest.objects.get(object_id=str(case.pk), kind="acknowledgement")
    assert request.status == LetterRequest.Status.WAITING
    assert not Letter.objects.exists()
    health = client.get("/healthz")
    assert (health.status_code, health.json()["broker"]) == (503, "unavailable")

    broker.start() if outage == "stopped" else broker.thaw()
    # Beat asks every five minutes for the requests pending for more than three.
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        assert requeue_pending_letters() == 1
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        letter = wait_for(lambda: Letter.objects.filter(sent_at__isnull=False).first())
        time.sleep(1)  # anything queued twice would show now

    assert Letter.objects.count() == 1
    assert (letter.request_id, letter.kind, letter.language) == (request.pk, "acknowledgement", "fr")
    with letter.pdf.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert case.reference in text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [case.complainant_email] and case.reference in message.subject
    assert message.attachments[0][1].startswith(b"%PDF-")
