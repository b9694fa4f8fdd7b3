"""Requests for information: the complainant's link, the stopped clock, the lapse by the sweep."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from cases import services
from cases.letters import reply_link
from cases.models import Case, CaseState, InformationRequest
from ombudsman.audit.models import AuditEvent
from ombudsman.deadlines.models import SweepRun
from ombudsman.deadlines.sweep import sweep_deadlines
from ombudsman.letters.models import Letter
from tests.factories import CaseFactory, png_bytes, upload

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


def token_of(request: InformationRequest) -> str:
    return re.search(r"/reply/([^/]+)/$", reply_link(request.pk)).group(1)


def test_the_information_cycle_stops_and_restarts_the_handling_clock(client, time_machine, mailoutbox):
    time_machine.move_to(at(date(2026, 3, 2)))  # Monday
    case = CaseFactory(state=CaseState.IN_ASSESSMENT)
    # 90 days from 2 March 2026 is Sunday 31 May: the target moves to Monday 1 June.
    assert case.handling_due_on == date(2026, 6, 1)

    time_machine.move_to(at(date(2026, 3, 12)))
    request = services.request_information(case_id=case.pk, by=case.assigned_to, question="Send the screenshots.")
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_INFORMATION
    assert request.reply_by == date(2026, 3, 27)  # 15 days, a Friday
    assert case.paused_since == date(2026, 3, 12)
    assert case.handling_status().paused_since == date(2026, 3, 12)

    # Seven days later the complainant answers through the link in the letter.
    time_machine.move_to(at(date(2026, 3, 19)))
    page = client.get(f"/reply/{token_of(request)}/")
    assert page.status_code == 200 and "Send the screenshots." in page.content.decode()
    response = client.post(
        f"/reply/{token_of(request)}/",
        {"answer": "Here they are.", "evidence": [upload("shot.png", png_bytes())]},
    )
    assert response.status_code == 200
    assert "we received your answer" in response.content.decode()

    case.refresh_from_db()
    assert case.state == CaseState.IN_ASSESSMENT
    assert case.paused_since is None and case.handling_paused_days == 7
    # 97 days from 2 March is Sunday 7 June: Monday 8 June.
    assert case.handling_due_on == date(2026, 6, 8)
    request.refresh_from_db()
    assert request.answer == "Here they are." and request.answered_at is not None
    assert case.evidence.get().information_request == request
    event = AuditEvent.objects.for_object(case).get(action="receive_information")
    assert event.actor is None and event.actor_label == "complainant"

    # The link works once.
    again = client.post(f"/reply/{token_of(request)}/", {"answer": "Again"})
    assert again.status_code == 404


def test_a_forged_or_foreign_link_is_refused(client):
    CaseFactory(state=CaseState.AWAITING_INFORMATION)
    assert client.get("/reply/not-a-signed-token/").status_code == 404
    request = InformationRequest.objects.get()
    forged = token_of(request)[:-2] + "xx"
    assert client.get(f"/reply/{forged}/").status_code == 404


def test_a_bad_file_in_the_answer_is_refused_and_nothing_changes(client, private_files):
    CaseFactory(state=CaseState.AWAITING_INFORMATION)
    request = InformationRequest.objects.get()
    response = client.post(
        f"/reply/{token_of(request)}/", {"answer": "See file", "evidence": [upload("virus.pdf", b"MZ" + b"\x00" * 100)]}
    )
    assert response.status_code == 400
    assert "is not an image or a PDF document" in response.content.decode()
    assert Case.objects.get().state == CaseState.AWAITING_INFORMATION
    assert not (private_files / "evidence").exists() or not list((private_files / "evidence").rglob("*"))


def test_an_empty_answer_is_refused(client):
    CaseFactory(state=CaseState.AWAITING_INFORMATION)
    request = InformationRequest.objects.get()
    response = client.post(f"/reply/{token_of(request)}/", {"answer": "  "})
    assert response.status_code == 400
    assert "Write your answer or attach a file." in response.content.decode()


def test_the_request_letter_carries_the_question_the_date_and_the_link():
    from ombudsman.letters.models import LetterRequest
    from ombudsman.letters.services import render_letter

    case = CaseFactory(state=CaseState.AWAITING_INFORMATION)
    request = InformationRequest.objects.get()
    letter = render_letter(LetterRequest.objects.get(kind="information_request").pk)
    from pypdf import PdfReader

    with letter.pdf.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    compact = "".join(text.split())
    assert "Whichaccountsentthephoto?" in compact
    assert "".join(reply_link(request.pk).split()) in compact
    assert letter.reference == case.reference


def test_the_sweep_lapses_an_unanswered_request_once_and_catches_up(time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(at(date(2026, 3, 12)))
    case = CaseFactory(state=CaseState.AWAITING_INFORMATION)
    assert case.information_due_on == date(2026, 3, 27)

    with django_capture_on_commit_callbacks(execute=True):
        # The last day is included: nothing happens on 27 March.
        assert sweep_deadlines(date(2026, 3, 27))["cases.lapse_unanswered_information_requests"] == 0
        assert Case.objects.get(pk=case.pk).state == CaseState.AWAITING_INFORMATION
        # After a week without sweeps, the first sweep catches up.
        first = sweep_deadlines(date(2026, 4, 4))
        second = sweep_deadlines(date(2026, 4, 4))

    assert first["cases.lapse_unanswered_information_requests"] == 1
    assert second["cases.lapse_unanswered_information_requests"] == 0
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closure_reason == "lapsed"
    assert InformationRequest.objects.get().lapsed_at is not None
    assert AuditEvent.objects.for_object(case).filter(action="lapse").count() == 1
    assert Letter.objects.filter(kind="lapse").count() == 1
    assert SweepRun.objects.count() == 3


def test_the_sweep_command_takes_a_date(capsys):
    CaseFactory(state=CaseState.AWAITING_INFORMATION)
    call_command("sweep_deadlines", "--today", "2099-01-01")
    assert "cases.lapse_unanswered_information_requests: 1" in capsys.readouterr().out
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("sweep_deadlines", "--today", "tomorrow")


def test_an_answer_after_the_lapse_is_refused(client):
    CaseFactory(state=CaseState.AWAITING_INFORMATION)
    request = InformationRequest.objects.get()
    sweep_deadlines(date(2099, 1, 1))
    assert client.get(f"/reply/{token_of(request)}/").status_code == 404
