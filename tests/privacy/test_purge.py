"""The retention purge: identity data after two years, the case after five, never before; the
statistics, the audit chain and the letters' proofs survive it; a second run changes nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from guardian.shortcuts import assign_perm

from cases.models import Case, CaseState, Evidence, PerpetratorIdentifier
from cases.search import search_cases
from cases.services import close_case
from ombudsman.accounts import roles
from ombudsman.audit.models import AuditEvent
from ombudsman.audit.services import find_broken_links
from ombudsman.dashboard import statistics
from ombudsman.dashboard.summaries import build_statistics_summaries
from ombudsman.letters.models import Letter
from ombudsman.letters.services import describe_verification
from ombudsman.privacy.models import PurgeRecord, PurgeRun
from ombudsman.privacy.purge import ERASED, PSEUDONYM, purge_expired_data
from ombudsman.privacy.tasks import purge_expired_data_task
from platforms import services as orders
from platforms.models import DisclosureAnswer
from tests.conftest import in_parallel, stored_files
from tests.enforcement.test_statistics_summaries import summary_rows
from tests.factories import CaseFactory, ComplaintFactory, ServiceFactory, UserFactory, liaison_of, reviewer
from tests.privacy.helpers import COMPLAINANT_TRACES, HOLDER_TRACES, closed_identified_case, last_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return closed_identified_case()


def purge(today: date, django_capture_on_commit_callbacks) -> PurgeRun:
    with django_capture_on_commit_callbacks(execute=True):
        return purge_expired_data(today)


def letters_of(case: Case):
    return Letter.objects.filter(content_type__model="case", object_id=str(case.pk))


def test_identity_data_is_kept_to_the_end_of_its_period_and_erased_the_day_after(
    closed, private_files, django_capture_on_commit_callbacks
):
    case, order = closed
    identification = letters_of(case).get(kind="identification")
    identification_file = private_files / identification.pdf.name
    assert identification_file.exists()

    run = purge(last_day(case, 2), django_capture_on_commit_callbacks)
    assert run.results == {"identity": 0, "case": 0}
    assert DisclosureAnswer.objects.get(order=order).unseal_identity()["holder_name"] == "Jan Janssens"

    run = purge(last_day(case, 2) + timedelta(days=1), django_capture_on_commit_callbacks)
    assert run.results == {"identity": 1, "case": 0}
    answer = DisclosureAnswer.objects.get(order=order)
    assert answer.identity_ciphertext == "" and answer.unseal_identity() == {}
    # The fact of the answer stays: its outcome, date and that it named a holder.
    assert (answer.outcome, answer.names_holder, answer.answered_at is not None) == ("identity", True, True)
    identification.refresh_from_db()
    assert not identification.pdf and not identification_file.exists()
    assert describe_verification(identification.verification_code)["sha256"] == identification.sha256
    # Between the two periods the case itself is untouched.
    case.refresh_from_db()
    assert (case.complainant_last_name, case.complainant_email) == ("Claes", "emma.claes@example.org")
    assert Evidence.objects.filter(case=case).count() == 1
    assert all(letter.pdf for letter in letters_of(case).exclude(kind="identification"))
    record = PurgeRecord.objects.get(case=case)
    assert (record.stage, record.case_reference, record.run_id, record.closed_on) == (
        "identity",
        case.reference,
        run.pk,
        case.closed_on,
    )
    assert record.counts == {"identity_data": 1, "identification_letters": 1}
    event = AuditEvent.objects.for_object(case).get(action="identity_data_erased")
    assert event.data["counts"] == record.counts


def test_the_case_is_pseudonymised_the_day_after_its_period(closed, private_files, django_capture_on_commit_callbacks):
    case, order = closed
    evidence_files = stored_files(private_files / "evidence")
    assert len(evidence_files) == 1
    letter_codes = list(letters_of(case).values_list("verification_code", "sha256"))
    assert len(letter_codes) >= 3  # acknowledgement, identification, closure

    assert purge(last_day(case, 5), django_capture_on_commit_callbacks).results == {"identity": 1, "case": 0}
    assert Case.objects.get(pk=case.pk).complainant_last_name == "Claes"

    run = purge(last_day(case, 5) + timedelta(days=1), django_capture_on_commit_callbacks)
    assert run.results == {"identity": 0, "case": 1}
    case.refresh_from_db()
    assert (case.complainant_first_name, case.complainant_last_name) == ("", PSEUDONYM)
    assert (case.complainant_email, case.complainant_phone, case.street, case.postal_code, case.city) == ("",) * 5
    assert case.description == ERASED
    # What the statistics count stays.
    assert case.state == CaseState.CLOSED and case.closed_on and case.service_id and case.offence_categories
    assert not Evidence.objects.filter(case=case).exists()
    assert not any(path.exists() for path in evidence_files)
    assert not PerpetratorIdentifier.objects.filter(case=case).exists()
    assert not case.message_times.exists()
    assert case.assessments.exists()
    assert all(a["reasoning"] == ERASED and a["answer"] for v in case.assessments.all() for a in v.answers.values())
    # Letters: files gone, rows kept with their hash and code, the verification page still answers.
    assert stored_files(private_files / "letters") == []  # every letter was to the complainant or the platform
    for code, sha256 in letter_codes:
        letter = Letter.objects.get(verification_code=code)
        if letter.content_type.model == "case":
            assert not letter.pdf and letter.recipient_name == PSEUDONYM and letter.recipient_email == ""
        assert describe_verification(code)["sha256"] == sha256
    order.refresh_from_db()
    assert order.reasons == ERASED and all(item["value"] == ERASED for item in order.identifiers)
    assert not Letter.objects.filter(content_type__model="disclosureorder", object_id=str(order.pk)).exclude(pdf="")
    record = PurgeRecord.objects.get(case=case, stage="case")
    assert record.counts["evidence_files"] == 1 and record.counts["identifiers"] == 1
    assert {"complainant", "evidence_files", "letters", "orders", "order_letters"} <= set(record.erased)
    assert AuditEvent.objects.for_object(case).filter(action="case_pseudonymised").count() == 1


def test_search_no_longer_finds_a_pseudonymised_case(closed, django_capture_on_commit_callbacks):
    case, _order = closed
    staff = reviewer()
    for query in ["Claes", "emma claes", "emma.claes@example.org", "threats"]:
        assert list(search_cases(staff, query)) == [case], query
    purge(last_day(case, 5) + timedelta(days=1), django_capture_on_commit_callbacks)
    for query in ["Claes", "emma claes", "emma.claes@example.org", "threats"]:
        assert list(search_cases(staff, query)) == [], query
    assert list(search_cases(staff, case.reference)) == [case]


def office_figures(start: date, end: date, use_summaries: bool = True) -> list:
    builders = {**statistics.SCOREBOARD_TABLES, **statistics.OFFICE_TABLES}.values()
    tables = [build(start, end, use_summaries=use_summaries) for build in builders]
    return [[table.key, table.rows] for table in tables] + [
        statistics.median_handling_days(start, end, use_summaries=use_summaries)
    ]


def test_statistics_are_the_same_before_and_after_the_purge(closed, django_capture_on_commit_callbacks, time_machine):
    case, _order = closed
    with django_capture_on_commit_callbacks(execute=True):
        CaseFactory(state=CaseState.WITHDRAWN)  # a second, shorter story
    start, end = case.submitted_at.date() - timedelta(days=1), case.closed_on + timedelta(days=1)
    before = office_figures(start, end, use_summaries=False)
    assert before[-1] is not None and any(rows for _key, rows in before[:-1])
    # The statistics summaries (built the night after) hold both cases and the order.
    time_machine.move_to(case.closed_on + timedelta(days=1))
    assert build_statistics_summaries().rows == {"cases": 2, "categories": 1, "closures": 1, "orders": 1}
    summarised = summary_rows()
    assert office_figures(start, end) == before
    run = purge(last_day(case, 5) + timedelta(days=1), django_capture_on_commit_callbacks)
    assert run.results == {"identity": 2, "case": 2}
    assert office_figures(start, end) == before
    assert office_figures(start, end, use_summaries=False) == before
    build_statistics_summaries(rebuild=True)
    assert summary_rows() == summarised


def test_the_audit_chain_verifies_after_the_purge_and_holds_no_personal_data(
    closed, django_capture_on_commit_callbacks
):
    case, _order = closed
    purge(last_day(case, 5) + timedelta(days=1), django_capture_on_commit_callbacks)
    assert list(find_broken_links()) == []
    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)
    trail = " ".join(f"{e.actor_label} {e.object_repr} {e.data}" for e in AuditEvent.objects.order_by("id"))
    for trace in [*COMPLAINANT_TRACES, *HOLDER_TRACES, "emma-claes-screenshot"]:
        assert trace not in trail, trace


def test_a_second_run_changes_nothing(closed, django_capture_on_commit_callbacks):
    case, _order = closed
    day = last_day(case, 5) + timedelta(days=1)
    assert purge(day, django_capture_on_commit_callbacks).results == {"identity": 1, "case": 1}
    events, records = AuditEvent.objects.count(), PurgeRecord.objects.count()
    assert purge(day, django_capture_on_commit_callbacks).results == {"identity": 0, "case": 0}
    assert purge(day + timedelta(days=400), django_capture_on_commit_callbacks).results == {"identity": 0, "case": 0}
    assert (AuditEvent.objects.count(), PurgeRecord.objects.count()) == (events, records)
    assert PurgeRun.objects.count() == 3


def test_open_cases_are_never_purged_and_withdrawn_ones_are(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_case = CaseFactory(state=CaseState.IN_ASSESSMENT)
        rejected = CaseFactory(state=CaseState.REJECTED)  # decided but not closed yet
        withdrawn = CaseFactory(state=CaseState.WITHDRAWN)
    run = purge(last_day(withdrawn, 5) + timedelta(days=1), django_capture_on_commit_callbacks)
    assert run.results == {"identity": 1, "case": 1}
    assert Case.objects.get(pk=withdrawn.pk).complainant_last_name == PSEUDONYM
    for kept in (open_case, rejected):
        assert Case.objects.get(pk=kept.pk).complainant_last_name == "Claes"
        assert not PurgeRecord.objects.filter(case=kept).exists()


def test_the_command_lists_without_changing_then_purges(closed):
    case, _order = closed
    day = (last_day(case, 5) + timedelta(days=1)).isoformat()
    out = io.StringIO()
    call_command("purge_expired_data", "--today", day, "--dry-run", stdout=out)
    assert f"case: 1 (dry run)\n  {case.reference}" in out.getvalue()
    assert not PurgeRecord.objects.exists() and not PurgeRun.objects.exists()
    out = io.StringIO()
    call_command("purge_expired_data", "--today", day, stdout=out)
    assert out.getvalue().splitlines() == ["identity: 1", "case: 1"]
    assert Case.objects.get(pk=case.pk).complainant_last_name == PSEUDONYM


def test_beat_runs_the_purge_every_night(settings, closed):
    case, _order = closed
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-data"]
    assert entry["task"] == purge_expired_data_task.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})
    result = purge_expired_data_task.delay((last_day(case, 2) + timedelta(days=1)).isoformat()).get()
    assert result == {"identity": 1, "case": 0}


def test_the_periods_follow_the_settings(settings, closed, django_capture_on_commit_callbacks):
    case, _order = closed
    settings.RETENTION_IDENTITY_YEARS, settings.RETENTION_CASE_YEARS = 1, 3
    assert purge(last_day(case, 1), django_capture_on_commit_callbacks).results == {"identity": 0, "case": 0}
    assert purge(last_day(case, 3) + timedelta(days=1), django_capture_on_commit_callbacks).results == {
        "identity": 1,
        "case": 1,
    }


@pytest.mark.django_db(transaction=True)
def test_two_purges_in_parallel_purge_each_case_once():
    cases = [CaseFactory(state=CaseState.WITHDRAWN) for _ in range(6)]
    day = last_day(cases[0], 5) + timedelta(days=1)
    results = in_parallel(lambda: purge_expired_data(day, batch_size=2).results)
    assert sum(r["case"] for r in results) == len(cases) and sum(r["identity"] for r in results) == len(cases)
    assert PurgeRecord.objects.filter(stage="case").count() == len(cases)
    assert AuditEvent.objects.filter(action="case_pseudonymised").count() == len(cases)
    assert list(find_broken_links()) == []


def test_a_joint_order_waits_for_the_last_case_it_covers(django_capture_on_commit_callbacks):
    instagram = ServiceFactory(name="Instagram")
    with django_capture_on_commit_callbacks(execute=True):
        main, linked = (
            CaseFactory(
                complaint=ComplaintFactory(service=instagram, identifiers=[("account_name", handle)]),
                state=CaseState.ESTABLISHED,
                proposal="established",
            )
            for handle in ("@x_x", "@X_X")
        )
        anna = main.assigned_to
        assign_perm("cases.view_case", anna, linked)
        order = orders.draft_order(
            case_id=main.pk,
            by=anna,
            organisation=instagram.organisation,
            kind="account_data",
            identifiers=[{"kind": "account_name", "value": "@x_x"}],
            data_requested=["names"],
            joint_cases=[linked],
            reasons="Threats to several victims from one account; only its holder's identity helps.",
        )
        orders.issue_order(order_id=order.pk, by=anna)
        orders.submit_answer(
            order_id=order.pk,
            by=liaison_of(instagram.organisation),
            outcome="identity",
            identity={"holder_name": "Jan Janssens"},
            channel="api",
        )
        orders.accept_answer(order_id=order.pk, by=anna)
        close_case(case_id=main.pk, by=anna)
    main.refresh_from_db()
    day = last_day(main, 5) + timedelta(days=1)

    assert purge(day, django_capture_on_commit_callbacks).results == {"identity": 1, "case": 1}
    order.refresh_from_db()
    assert DisclosureAnswer.objects.get(order=order).unseal_identity() == {"holder_name": "Jan Janssens"}
    assert order.identifiers == [{"kind": "account_name", "value": "@x_x"}]
    assert letters_of(linked).get(kind="identification").pdf

    with django_capture_on_commit_callbacks(execute=True):
        close_case(case_id=linked.pk, by=linked.assigned_to)
    assert purge(day, django_capture_on_commit_callbacks).results == {"identity": 1, "case": 1}
    order.refresh_from_db()
    assert DisclosureAnswer.objects.get(order=order).identity_ciphertext == ""
    assert order.identifiers == [{"kind": "account_name", "value": ERASED}]
    assert PurgeRecord.objects.get(case=linked, stage="identity").counts["identity_data"] == 1


def test_administrators_read_the_purge_records_and_nobody_edits_them(
    closed, client, django_capture_on_commit_callbacks
):
    case, _order = closed
    purge(last_day(case, 5) + timedelta(days=1), django_capture_on_commit_callbacks)
    record = PurgeRecord.objects.get(case=case, stage="case")
    client.force_login(UserFactory(role=roles.ADMINISTRATOR, is_staff=True))
    listing = client.get("/admin/privacy/purgerecord/")
    assert listing.status_code == 200 and listing.context["cl"].result_count == 2
    assert case.reference in listing.content.decode()
    assert client.get(f"/admin/privacy/purgerecord/{record.pk}/change/").status_code == 200  # read-only view
    assert client.post(f"/admin/privacy/purgerecord/{record.pk}/delete/").status_code == 403
    assert client.get("/admin/privacy/purgerecord/add/").status_code == 403
    assert client.get("/admin/privacy/purgerun/").status_code == 200
