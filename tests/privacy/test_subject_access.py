"""Data-subject access: a complainant's and a holder's export hold their own data, its
recipients and each access with its purpose, never the other party's identity; only reviewers
and administrators may run it, and every export is recorded."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from ombudsman.accounts import roles
from ombudsman.audit.models import AuditEvent
from ombudsman.audit.services import find_broken_links
from ombudsman.privacy.access import READING_PURPOSE, SubjectQuery, export_subject_data
from ombudsman.privacy.documents import export_json
from ombudsman.privacy.models import SubjectAccessRequest
from ombudsman.privacy.purge import purge_expired_data
from platforms.models import IdentityAccess
from platforms.services import read_identity
from tests.factories import IDENTITY, UserFactory, bipt_officer, liaison_of, officer, reviewer
from tests.privacy.helpers import COMPLAINANT_TRACES, HOLDER_TRACES, closed_identified_case, last_day

pytestmark = pytest.mark.django_db

STAFF = "Case officer — Ombudsman for Telecommunications"


@pytest.fixture
def story(django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        case, order = closed_identified_case()
    answer = order.answers.get()
    read_identity(answer_id=answer.pk, by=case.assigned_to, purpose="Check the address before writing to Emma Claes")
    client.force_login(case.assigned_to)
    assert client.get(reverse("cases:evidence", args=[case.reference, case.evidence.get().token])).status_code == 200
    client.logout()
    return case, order, answer


def complainant(**details) -> SubjectQuery:
    return SubjectQuery(subject="complainant", **details)


def holder(**details) -> SubjectQuery:
    return SubjectQuery(subject="holder", **details)


def test_a_complainants_export_holds_their_data_recipients_and_accesses_but_not_the_holder(story):
    case, order, _answer = story
    report = export_subject_data(
        query=complainant(name="emma  claes", email="EMMA.CLAES@example.org"), output="json", by=reviewer()
    )
    text = export_json(report).decode()
    [item] = report["cases"]
    assert item["reference"] == case.reference
    for own in [
        "Emma",
        "Claes",
        "emma.claes@example.org",
        "Wetstraat 16",
        case.description,
        "emma-claes-screenshot.png",
    ]:
        assert own in text, own
    assert [r["recipient"] for r in item["recipients"]] == [order.organisation.name]
    assert "never your name or contact data" in item["recipients"][0]["what"]
    accesses = [(a["what"], a["by"]) for a in item["accesses"]]
    assert accesses[0] == ("Complaint submitted", "The complainant, on the public form")
    assert ("Evidence downloaded", STAFF) in accesses
    assert ("Assessment approved", "Reviewer — Ombudsman for Telecommunications") in accesses
    assert {"Identification of the holder of the account or line", "Acknowledgement of receipt"} <= {
        letter["letter"] for letter in item["letters"]
    }
    assert item["pseudonymised_on"] == last_day(case, 5) + timedelta(days=1)
    for trace in [*HOLDER_TRACES, "Olivia", "Vermeulen"]:  # the holder, and staff by name
        assert trace not in text, trace


def test_a_holders_export_holds_what_was_disclosed_who_received_it_and_each_reading_without_the_complainant(story):
    case, order, answer = story
    export_reviewer = reviewer()
    report = export_subject_data(query=holder(name="jan  JANSSENS"), output="json", by=export_reviewer)
    text = export_json(report).decode()
    [item] = report["answers"]
    assert (item["order"], item["source"]) == (order.reference, order.organisation.name)
    assert item["data"]["Name"] == "Jan Janssens" and item["data"]["E-mail"] == IDENTITY["email"]
    assert "81.82.83.84 port 51234" in item["data"]["IP addresses"]
    assert [r["recipient"] for r in item["recipients"]] == ["The complainant (whose identity is not given)"]
    readings = [(a["what"], a["by"]) for a in item["accesses"]]
    assert readings == [
        ("Identification letter to the recipient chosen by the complainant", "The office's system (automatic)"),
        ("Check the address before writing to […]", STAFF),
        (READING_PURPOSE, "Reviewer — Ombudsman for Telecommunications"),
    ]
    assert item["erased_on"] == last_day(case, 2) + timedelta(days=1)
    for trace in [*COMPLAINANT_TRACES, "threats about my family", "emma-claes-screenshot"]:
        assert trace not in text, trace
    # Reading the holder's data for the export is itself logged, with its purpose.
    assert IdentityAccess.objects.filter(answer=answer, user=export_reviewer, purpose=READING_PURPOSE).count() == 1


@pytest.mark.parametrize(
    ("query", "found"),
    [
        (complainant(email="emma.claes@example.org"), 1),
        (complainant(name="Claes Emma"), 1),
        (complainant(name="Emma Claes", email="someone.else@example.org"), 0),
        (complainant(name="Emma Claes", phone="0470 00 00 00"), 1),
        (complainant(name="Emma Claes", phone="0470 00 00 01"), 0),
        (holder(email="JAN.JANSSENS@mail.example"), 1),
        (holder(name="Jan Janssens", phone="0470 99 88 77"), 1),
        (holder(name="Jan Janssens", email="jan@elsewhere.example"), 0),
        (holder(name="Emma Claes"), 0),
    ],
)
def test_every_detail_given_must_match(story, query, found):
    report = export_subject_data(query=query, output="html", by=reviewer())
    assert len(report.get("cases") or report.get("answers") or []) == found


def test_each_export_is_recorded_without_naming_the_person(story):
    case, _order, _answer = story
    by = reviewer()
    export_subject_data(query=complainant(name="Emma Claes"), output="pdf", by=by)
    export_subject_data(query=holder(name="Nobody Known"), output="json", by=by)
    records = list(SubjectAccessRequest.objects.order_by("id").values_list("subject", "output", "case_references"))
    assert records == [("complainant", "pdf", [case.reference]), ("holder", "json", [])]
    events = AuditEvent.objects.filter(action="subject_access_export").order_by("id")
    assert [(e.actor_id, e.data["cases"]) for e in events] == [(by.pk, [case.reference]), (by.pk, [])]
    assert not any(name in str(e.data) for e in events for name in ["Emma", "Claes", "Nobody"])
    assert list(find_broken_links()) == []


def test_after_the_purge_nothing_is_held_about_either_person(story, django_capture_on_commit_callbacks):
    case, _order, _answer = story
    with django_capture_on_commit_callbacks(execute=True):
        purge_expired_data(last_day(case, 5) + timedelta(days=1))
    assert export_subject_data(query=complainant(name="Emma Claes"), output="html", by=reviewer())["cases"] == []
    assert export_subject_data(query=holder(name="Jan Janssens"), output="html", by=reviewer())["answers"] == []


def test_only_reviewers_and_administrators_open_the_screen(story, client):
    case, order, _answer = story
    url = reverse("privacy:access")
    assert client.get(url).status_code == 302
    for user in [officer(), case.assigned_to, liaison_of(order.organisation), bipt_officer()]:
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"subject": "complainant", "name": "Emma Claes"}).status_code == 404
    assert not SubjectAccessRequest.objects.exists()
    client.force_login(UserFactory(role=roles.ADMINISTRATOR, is_staff=True))
    assert client.get(url).status_code == 200


def test_a_reviewer_shows_and_downloads_an_export(story, client):
    case, _order, _answer = story
    client.force_login(reviewer())
    url = reverse("privacy:access")
    assert client.post(url, {"subject": "complainant"}).status_code == 400  # no name, no e-mail

    page = client.post(url, {"subject": "complainant", "name": "Emma Claes", "output": "html"})
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    body = page.content.decode()
    assert case.reference in body and "Wetstraat 16" in body and "Jan Janssens" not in body

    download = client.post(url, {"subject": "holder", "name": "Jan Janssens", "output": "json"})
    assert download["Content-Type"] == "application/json" and "attachment" in download["Content-Disposition"]
    assert json.loads(download.content)["answers"][0]["data"]["Name"] == "Jan Janssens"

    pdf = client.post(url, {"subject": "complainant", "email": "emma.claes@example.org", "output": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert case.reference in text and "Claes" in text and "Evidence downloaded" in text
    assert "Jan Janssens" not in text
    assert SubjectAccessRequest.objects.count() == 3


def test_the_command_writes_an_export(story, tmp_path):
    case, _order, _answer = story
    target = tmp_path / "export.json"
    call_command(
        "subject_access_export", "complainant", "--name", "Emma Claes", "--output", str(target), stdout=io.StringIO()
    )
    assert json.loads(target.read_text())["cases"][0]["reference"] == case.reference
    assert SubjectAccessRequest.objects.get().actor_label == "manage.py subject_access_export"
    with pytest.raises(CommandError):
        call_command(
            "subject_access_export", "holder", "--name", "Jan", "--output", str(target), "--by", officer().username
        )
