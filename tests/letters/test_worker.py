"""Intake through a real Celery worker on Redis: the acknowledgement is rendered and mailed."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from cases.models import Case
from ombudsman.celery import app
from ombudsman.letters.models import Letter
from tests.cases.helpers import complaint_post
from tests.factories import ServiceFactory


@pytest.fixture
def celery_worker_on_redis(eager_celery):
    app.conf.task_always_eager = False
    assert app.conf.broker_url.startswith("redis://"), "the suite runs its worker on Redis"
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def wait_for(predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("the worker did not finish in time")


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
