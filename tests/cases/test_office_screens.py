"""The officer's work queue and case page: rights, filters, and a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.forms import CaseQueueFilterForm
from cases.models import Case, CaseState
from ombudsman.accounts import roles
from ombudsman.audit.models import AuditEvent
from ombudsman.core.paging import LargeListPaginator
from ombudsman.letters.models import LetterRequest
from ombudsman.letters.services import render_letter
from tests.cases.helpers import complaint_post
from tests.factories import (
    CaseFactory,
    ComplaintFactory,
    OrganisationFactory,
    ServiceFactory,
    UserFactory,
    officer,
    png_bytes,
    reviewer,
    upload,
)

pytestmark = pytest.mark.django_db

QUEUE = "/office/cases/"


def case_url(case: Case, suffix: str = "") -> str:
    return f"/office/cases/{case.reference}/{suffix}"


def test_anonymous_users_are_sent_to_the_login_page(client):
    case = CaseFactory()
    for url in [QUEUE, case_url(case), "/office/cases/new/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", [roles.PLATFORM_LIAISON, roles.BIPT_OFFICER, roles.ADMINISTRATOR, None])
def test_people_outside_the_office_get_404_everywhere(client, role):
    case = CaseFactory(complaint=ComplaintFactory(evidence=[]))
    render_letter(LetterRequest.objects.get().pk)
    client.force_login(UserFactory(role=role))
    letter = case_url(case, f"letters/{case.pk}.pdf")
    for url in [QUEUE, case_url(case), "/office/cases/new/", letter]:
        assert client.get(url).status_code == 404, url


def test_a_case_officer_sees_the_intake_queue_but_not_an_assigned_case_of_someone_else(client):
    open_case = CaseFactory()
    assigned_elsewhere = CaseFactory()
    colleague = officer()
    assign_perm("cases.view_case", colleague, assigned_elsewhere)
    # The assigned case has left the intake queue (state change arrives with assignment).
    Case.objects.filter(pk=assigned_elsewhere.pk).update(state="in_assessment")

    client.force_login(officer())
    body = client.get(QUEUE).content.decode()
    assert open_case.reference in body
    assert assigned_elsewhere.reference not in body
    assert client.get(case_url(assigned_elsewhere)).status_code == 404

    client.force_login(colleague)
    assert client.get(case_url(assigned_elsewhere)).status_code == 200

    client.force_login(reviewer())
    assert client.get(case_url(assigned_elsewhere)).status_code == 200


def test_the_case_page_shows_data_evidence_letters_and_timeline(client):
    case = CaseFactory(
        complaint=ComplaintFactory(
            first_name="Louis", last_name="Lejeune", evidence=[], police_report_number="PV-2026-77"
        )
    )
    letter = render_letter(LetterRequest.objects.get().pk)
    client.force_login(officer())
    body = client.get(case_url(case)).content.decode()
    for text in [
        case.reference,
        "Louis Lejeune",
        "@unknown_sender",
        "PV-2026-77",
        "Complaint submitted",
        "Letter issued",
    ]:
        assert text in body
    assert letter.verification_code in body
    pdf = client.get(case_url(case, f"letters/{letter.pk}.pdf"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_evidence_is_served_to_the_office_only_and_each_download_is_logged(client, private_files):
    service = ServiceFactory()
    client.post("/complaint/", {**complaint_post(service), "evidence": [upload("proof.png", png_bytes())]})
    case = Case.objects.get()
    evidence = case.evidence.get()

    user = officer()
    client.force_login(user)
    response = client.get(case_url(case, f"evidence/{evidence.token}/"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert 'attachment; filename="proof.png"' in response["Content-Disposition"]
    event = AuditEvent.objects.for_object(case).get(action="evidence_downloaded")
    assert event.actor == user

    client.force_login(UserFactory(role=roles.PLATFORM_LIAISON))
    assert client.get(case_url(case, f"evidence/{evidence.token}/")).status_code == 404
    client.force_login(user)
    assert client.get(case_url(case, "evidence/not-a-token/")).status_code == 404


def test_the_queue_filters_by_state_platform_and_channel_and_sorts_by_age(client):
    meta = ServiceFactory(name="Instagram", organisation=OrganisationFactory(name="Meta Platforms Ireland Ltd."))
    snap = ServiceFactory(name="Snapchat", organisation=OrganisationFactory(name="Snap B.V."))
    staff = officer()
    first = CaseFactory(complaint=ComplaintFactory(service=meta))
    second = CaseFactory(complaint=ComplaintFactory(service=snap), channel="post", entered_by=staff)
    third = CaseFactory(complaint=ComplaintFactory(service=meta))

    client.force_login(reviewer())

    def references(**params) -> list[str]:
        page = client.get(QUEUE, params).context["page"]
        return [case.reference for case in page]

    assert references() == [first.reference, second.reference, third.reference]
    assert references(sort="newest") == [third.reference, second.reference, first.reference]
    assert references(organisation=meta.organisation.pk) == [first.reference, third.reference]
    assert references(channel="post") == [second.reference]
    assert references(state="submitted", channel="web") == [first.reference, third.reference]
    assert references(state="closed") == []


def test_the_queue_is_paginated(client):
    for _ in range(27):
        CaseFactory()
    client.force_login(reviewer())
    first_page = client.get(QUEUE)
    assert len(first_page.context["page"]) == 25
    assert "Page 1 of 2" in first_page.content.decode()
    assert len(client.get(QUEUE, {"page": 2}).context["page"]) == 2


@pytest.mark.parametrize("user_factory", [officer, reviewer])
def test_the_queue_costs_the_same_number_of_queries_for_3_or_30_cases(client, user_factory):
    user = user_factory()
    client.force_login(user)
    services = [ServiceFactory() for _ in range(3)]

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        return len(queries)

    for service in services:
        CaseFactory(complaint=ComplaintFactory(service=service))
    few = count_queries()
    for index in range(27):
        CaseFactory(complaint=ComplaintFactory(service=services[index % 3] if index % 2 else ServiceFactory()))
    many = count_queries()
    assert few == many
    assert many <= 12


def test_staff_enter_a_complaint_received_by_post(client, django_capture_on_commit_callbacks):
    staff = officer()
    client.force_login(staff)
    service = ServiceFactory()
    data = complaint_post(service, channel="post", email="")
    del data["website"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/office/cases/new/", data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    assert case.channel == "post"
    assert case.entered_by == staff
    event = AuditEvent.objects.for_object(case).get(action="submitted")
    assert event.actor == staff
    # No e-mail address: the acknowledgement is printed and posted, not e-mailed.
    letter = case.pk and LetterRequest.objects.get().letter
    assert letter.recipient_email == "" and letter.sent_at is None


def test_the_queue_sorts_by_nearest_handling_target_with_stopped_clocks_last(client):
    today = timezone.localdate()
    later = CaseFactory()
    sooner = CaseFactory()
    waiting = CaseFactory(state=CaseState.AWAITING_INFORMATION)  # its clock is stopped
    closed = CaseFactory(state=CaseState.CLOSED)
    for case, days in [(later, 40), (sooner, 5), (waiting, 1), (closed, -400)]:
        Case.objects.filter(pk=case.pk).update(handling_due_on=today + timedelta(days=days))
    client.force_login(reviewer())

    response = client.get(QUEUE, {"sort": "deadline"})

    assert [case.reference for case in response.context["page"]] == [
        sooner.reference,
        later.reference,
        waiting.reference,
        closed.reference,
    ]
    page = response.content.decode()
    assert '<option value="deadline" selected>Nearest target first</option>' in page
    assert "Rows per page" in page


def test_the_queue_shows_25_50_or_100_rows_per_page(client):
    for _ in range(30):
        CaseFactory()
    client.force_login(reviewer())

    assert len(client.get(QUEUE).context["page"]) == 25
    fifty = client.get(QUEUE, {"per_page": 50})
    assert len(fifty.context["page"]) == 30
    assert "Page 1 of" not in fifty.content.decode()  # one page: no pager
    assert len(client.get(QUEUE, {"per_page": 100}).context["page"]) == 30
    assert len(client.get(QUEUE, {"per_page": 7}).context["page"]) == 25  # not offered: the default


def test_100_rows_cost_the_same_queries_as_25_on_every_page_and_sort(client):
    user = reviewer()
    services = [ServiceFactory() for _ in range(4)]
    for index in range(105):
        CaseFactory(complaint=ComplaintFactory(service=services[index % 4]))
    client.force_login(user)

    def count(**params) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE, params)
        assert response.status_code == 200
        assert len(response.context["page"]) == (params.get("per_page", 25) if params.get("page", 1) == 1 else 5)
        return len(queries)

    counts = {
        count(per_page=25),
        count(per_page=100),
        count(per_page=100, sort="deadline"),
        count(per_page=100, page=2),
        count(per_page=25, page=5, sort="newest"),
    }
    assert len(counts) == 1
    assert counts.pop() <= 14


def test_beyond_ten_thousand_cases_the_queue_counts_about(client, monkeypatch):
    monkeypatch.setattr(LargeListPaginator, "exact_up_to", 5)
    references = [CaseFactory().reference for _ in range(12)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    client.force_login(reviewer())

    response = client.get(QUEUE, {"per_page": 25})

    page = response.context["page"]
    assert page.paginator.estimated
    assert "About" in response.content.decode()
    assert [case.reference for case in page] == references


@pytest.mark.parametrize("sort", ["oldest", "newest", "deadline"])
def test_an_officers_queue_merges_the_intake_and_their_own_cases_in_order_across_pages(client, sort):
    anna = officer()
    others = officer()
    mine, intake = [], []
    start = timezone.now() - timedelta(days=60)
    for day in range(40):
        if day % 3 == 0:
            case = CaseFactory()  # the intake queue
            intake.append(case)
        else:
            case = CaseFactory(state=CaseState.IN_ASSESSMENT, officer=anna if day % 3 == 1 else others)
            if day % 3 == 1:
                mine.append(case)
        due = timezone.localdate() + timedelta(days=(day * 7) % 31)
        Case.objects.filter(pk=case.pk).update(submitted_at=start + timedelta(days=day), handling_due_on=due)
    client.force_login(anna)

    shown = []
    for number in (1, 2):
        page = client.get(QUEUE, {"sort": sort, "per_page": 25, "page": number}).context["page"]
        shown += [case.reference for case in page]

    expected = Case.objects.filter(pk__in=[case.pk for case in mine + intake]).order_by(
        *CaseQueueFilterForm.SORTS[sort]
    )
    assert shown == [case.reference for case in expected]
    assert len(shown) == len(mine) + len(intake) == 27


@pytest.mark.parametrize("language", ["en", "nl"])
def test_each_row_tells_how_long_ago_the_complaint_came_in_as_django_says_it(client, time_machine, language):
    from django.utils import translation
    from django.utils.timesince import timesince

    now = timezone.now()
    time_machine.move_to(now, tick=False)
    ages = [timedelta(minutes=1), timedelta(hours=2, minutes=5), timedelta(days=1, hours=3), timedelta(days=430)]
    ages += [timedelta(days=2, hours=3)]  # a second row with the same number of days: the same words
    for age in ages:
        case = CaseFactory()
        Case.objects.filter(pk=case.pk).update(submitted_at=now - age)
    client.force_login(reviewer())

    page = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    with translation.override(language):
        expected = [timesince(now - age, now) for age in ages]
    assert expected[0] != expected[1] and "," in expected[3]  # minutes, hours, and two units
    ages_shown = [part.split("</span>")[0] for part in page.split('<span class="help">')[1:]]
    assert sorted(ages_shown) == sorted(expected)


def test_the_cases_table_is_vacuumed_after_about_two_thousand_changes_in_a_million():
    # The queue's pages read the indexes alone only where VACUUM marked the table's pages.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'cases_case'")
        (options,) = cursor.fetchone()
    assert sorted(options) == [
        "autovacuum_vacuum_insert_scale_factor=0.002",
        "autovacuum_vacuum_scale_factor=0.002",
    ]


def test_each_row_names_the_platform_the_service_and_the_officer_holding_the_case(client):
    meta = OrganisationFactory(name="Meta Platforms Ireland <Ltd>")
    named = officer(first_name="Lotte", last_name="Peeters")
    nameless = officer(first_name="", last_name="", username="officer-without-name")
    rows = {
        "named": CaseFactory(complaint=ComplaintFactory(service=ServiceFactory(organisation=meta, name="Instagram"))),
        "nameless": CaseFactory(),
        "intake": CaseFactory(),
    }
    Case.objects.filter(pk=rows["named"].pk).update(assigned_to=named, state=CaseState.IN_ASSESSMENT)
    Case.objects.filter(pk=rows["nameless"].pk).update(assigned_to=nameless, state=CaseState.IN_ASSESSMENT)
    client.force_login(reviewer())

    page = client.get(QUEUE).content.decode()

    def row(case: Case) -> str:
        return page.split(f">{case.reference}</a>")[1].split("</tr>")[0]

    cells = row(rows["named"])
    assert "<td>Meta Platforms Ireland &lt;Ltd&gt;</td><td>Instagram</td>" in cells
    assert "<td>Lotte Peeters</td>" in cells
    assert "<td>officer-without-name</td>" in row(rows["nameless"])
    assert "<td>—</td>" in row(rows["intake"])  # in the intake queue: nobody yet
