"""Intake through a real Celery worker on Redis: the acknowledgement is rendered and mailed."""

from __future__ import annotations

import pytest
from django.core import mail

from cases.models import Case
from ombudsman.letters.models import Letter
from tests.cases.helpers import complaint_post
from tests.conftest import wait_for
from tests.factories import ServiceFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_submitted_complaint_is_acknowledged_by_the_worker(client, celery_worker_on_redis):
    mail.outbox = []
    response = client.post("/complaint/", complaint_post(ServiceFactory(), language="fr"))
    assert response.status_code == 302
    case = Case.objects.get()

    letter = wait_for(lambda: Letter.objects.filter(object_id=str(case.pk), sent_at__isnull=False).first())
    assert letter.kind == "acknowledgement" and letter.language == "fr"
    assert len(mail.outbox) == 1
    assert case.reference in mail.outbox[0].subject
