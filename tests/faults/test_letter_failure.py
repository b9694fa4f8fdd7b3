"""A letter that cannot be rendered: retried, then shown to administrators, who retry it once the
cause is fixed; meanwhile the officer goes on with the case."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case, CaseState
from ombudsman.accounts import roles
from ombudsman.audit.models import AuditEvent
from ombudsman.celery import app as celery_app
from ombudsman.letters import services
from ombudsman.letters.models import Letter, LetterRequest
from ombudsman.letters.tasks import render_letter_task, requeue_pending_letters
from tests.cases.helpers import complaint_post
from tests.conftest import stored_files
from tests.factories import CaseFactory, ServiceFactory, UserFactory, officer

ADMIN_LIST = "/admin/letters/letterrequest/"


@pytest.mark.django_db
def test_a_letter_that_cannot_be_rendered_is_retried_then_failed_for_administrators_and_the_case_goes_on(
    client, monkeypatch, private_files, django_capture_on_commit_callbacks
):
    attempts = []

    def broken_renderer(html: str) -> bytes:
        attempts.append(html)
        raise RuntimeError("WeasyPrint: cannot load the letterhead font")

    monkeypatch.setattr(services, "html_to_pdf", broken_renderer)
    # As in a worker: a failing task is retried (at once when eager), not raised to the caller.
    celery_app.conf.task_eager_propagates = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/complaint/", complaint_post(ServiceFactory()))
    assert response.status_code == 302  # the complainant sees the confirmation
    case = Case.objects.get()
    acknowledgement = LetterRequest.objects.get(kind="acknowledgement")
    assert len(attempts) == render_letter_task.max_retries + 1
    assert acknowledgement.attempts == len(attempts) and acknowledgement.failed_at is not None
    assert acknowledgement.status == LetterRequest.Status.FAILED
    assert "cannot load the letterhead font" in acknowledgement.last_error
    assert not Letter.objects.exists() and stored_files(private_files / "letters") == []

    # Beat leaves it alone: it waits for an administrator, not for another round of retries.
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert requeue_pending_letters() == 0
    assert client.get("/healthz").json()["failed_letters"] == 1

    # The officer takes the case and asks the complainant for information, letters failing or not.
    anna = officer()
    client.force_login(anna)
    url = f"/office/cases/{case.reference}/do/"
    with django_capture_on_commit_callbacks(execute=True):
        assigned = client.post(url + "assign/", {"assign-expected_state": "submitted", "assign-officer": anna.pk})
        asked = client.post(
            url + "request_information/",
            {"request_information-expected_state": "in_assessment", "request_information-question": "Which account?"},
        )
    assert (assigned.status_code, asked.status_code) == (302, 302)
    assert Case.objects.get(pk=case.pk).state == CaseState.AWAITING_INFORMATION
    assert LetterRequest.objects.failed().count() == 2

    # The administrator sees both, with the error, and retries them once the font is back.
    administrator = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
    client.force_login(administrator)
    listing = client.get(ADMIN_LIST, {"status": "failed"})
    assert listing.status_code == 200
    page = listing.content.decode()
    assert page.count("cannot load the letterhead font") == 2 and case.reference in page
    assert client.get(ADMIN_LIST, {"status": "rendered"}).context["cl"].result_count == 0

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(
            ADMIN_LIST,
            {"action": "retry_now", "_selected_action": list(LetterRequest.objects.values_list("pk", flat=True))},
        )
    assert retried.status_code == 302
    assert sorted(Letter.objects.values_list("kind", flat=True)) == ["acknowledgement", "information_request"]
    assert {r.status for r in LetterRequest.objects.all()} == {LetterRequest.Status.RENDERED}
    retries = AuditEvent.objects.filter(action="letter_retried")
    assert retries.count() == 2 and {event.actor_id for event in retries} == {administrator.pk}
    assert client.get("/healthz").json()["failed_letters"] == 0


@pytest.mark.django_db
def test_only_administrators_see_and_retry_letter_requests(client):
    CaseFactory()
    client.force_login(officer())
    assert client.get(ADMIN_LIST).status_code == 302  # not staff: the admin sends them to log in
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(*_permissions("view_letterrequest"))
    client.force_login(reader)
    assert client.get(ADMIN_LIST).status_code == 200
    assert "retry_now" not in client.get(ADMIN_LIST).content.decode()  # seeing is not retrying
    client.force_login(UserFactory(role=roles.ADMINISTRATOR, is_staff=True))
    assert "retry_now" in client.get(ADMIN_LIST).content.decode()


def _permissions(codename: str):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="letters", codename=codename)
