"""Assessment with four eyes: versions, send back, approval, concurrency, decision letters."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from pypdf import PdfReader

from cases import services
from cases.models import Assessment, Case, CaseState, FourEyesViolation, Proposal
from ombudsman.accounts import roles
from ombudsman.audit.models import AuditEvent
from ombudsman.letters.models import Letter, LetterRequest
from ombudsman.letters.services import render_letter
from tests.factories import CaseFactory, ComplaintFactory, UserFactory, answers_for, reviewer


@pytest.mark.django_db
def test_the_proposer_can_never_approve_their_own_proposal_even_as_a_reviewer():
    senior = UserFactory(role=roles.REVIEWER)
    senior.groups.add(*UserFactory(role=roles.CASE_OFFICER).groups.all())
    case = CaseFactory(state=CaseState.IN_REVIEW, officer=senior)

    with pytest.raises(PermissionDenied):
        services.approve_assessment(case_id=case.pk, by=senior)
    with pytest.raises(PermissionDenied):
        services.send_back_assessment(case_id=case.pk, by=senior, comment="Looks fine to me")
    # Nor by calling the transition directly: the guard sits in the transition itself.
    case = Case.objects.get(pk=case.pk)
    with pytest.raises(FourEyesViolation):
        case.approve(by=senior)
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_REVIEW

    second = reviewer()
    services.approve_assessment(case_id=case.pk, by=second, comment="Agreed.")
    case.refresh_from_db()
    assert case.state == CaseState.REJECTED
    assessment = case.assessments.get()
    assert (assessment.proposed_by, assessment.reviewed_by, assessment.review_outcome) == (senior, second, "approved")


@pytest.mark.django_db
def test_the_reviewer_does_not_see_their_own_proposal_to_review(client):
    senior = UserFactory(role=roles.REVIEWER)
    own = CaseFactory(state=CaseState.IN_REVIEW, officer=senior)
    others = CaseFactory(state=CaseState.IN_REVIEW)
    client.force_login(senior)
    page = client.get("/office/cases/", {"view": "review"}).context["page"]
    assert [c.reference for c in page] == [others.reference]
    detail = client.get(f"/office/cases/{own.reference}/").content.decode()
    assert "Approve the proposal" not in detail
    assert "Approve the proposal" in client.get(f"/office/cases/{others.reference}/").content.decode()


@pytest.mark.django_db
def test_sending_back_keeps_every_version_and_the_timeline_tells_who_and_why(client):
    officer = UserFactory(role=roles.CASE_OFFICER, first_name="Anna", last_name="Peeters")
    senior = reviewer(first_name="Sofie", last_name="Janssens")
    case = CaseFactory(state=CaseState.IN_REVIEW, officer=officer, proposal=Proposal.ESTABLISHED)

    services.send_back_assessment(case_id=case.pk, by=senior, comment="The dates of the messages are missing.")
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_ASSESSMENT
    services.propose_decision(
        case_id=case.pk, by=officer, answers=answers_for(Proposal.INADMISSIBLE), proposal=Proposal.INADMISSIBLE
    )
    services.approve_assessment(case_id=case.pk, by=senior)

    versions = list(Assessment.objects.filter(case=case).order_by("version"))
    assert [(a.version, a.proposal, a.review_outcome) for a in versions] == [
        (1, "established", "sent_back"),
        (2, "inadmissible", "approved"),
    ]
    assert versions[0].review_comment == "The dates of the messages are missing."
    actions = list(AuditEvent.objects.for_object(case).values_list("action", "actor__username"))
    assert ("propose_decision", officer.username) in actions
    assert ("send_back", senior.username) in actions
    assert ("approve", senior.username) in actions
    send_back = AuditEvent.objects.for_object(case).get(action="send_back")
    assert send_back.data["comment"] == "The dates of the messages are missing."

    client.force_login(senior)
    page = client.get(f"/office/cases/{case.reference}/").content.decode()
    for text in ["Version 1", "Version 2", "Anna Peeters", "Sofie Janssens", "The dates of the messages are missing."]:
        assert text in page


@pytest.mark.django_db
def test_a_proposal_must_answer_and_reason_every_criterion_and_fit_the_answers():
    case = CaseFactory(state=CaseState.IN_ASSESSMENT)
    officer = case.assigned_to
    incomplete = answers_for(Proposal.ESTABLISHED)
    incomplete["harassment"]["reasoning"] = "  "
    with pytest.raises(ValidationError, match="Give the reasons"):
        services.propose_decision(case_id=case.pk, by=officer, answers=incomplete, proposal=Proposal.ESTABLISHED)
    with pytest.raises(ValidationError, match="only when every criterion is met"):
        services.propose_decision(
            case_id=case.pk, by=officer, answers=answers_for(Proposal.NOT_ESTABLISHED), proposal=Proposal.ESTABLISHED
        )
    with pytest.raises(ValidationError, match="inadmissible only when"):
        services.propose_decision(
            case_id=case.pk, by=officer, answers=answers_for(Proposal.NOT_ESTABLISHED), proposal=Proposal.INADMISSIBLE
        )
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_ASSESSMENT
    assert not Assessment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_exactly_one_wins():
    case = CaseFactory(state=CaseState.IN_REVIEW)
    reviewers = [reviewer(), reviewer()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user) -> None:
        try:
            barrier.wait()
            services.approve_assessment(case_id=case.pk, by=user, expected_state=CaseState.IN_REVIEW)
            outcomes.append("won")
        except services.CaseChangedMeanwhile as changed:
            outcomes.append(f"lost: {changed}")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes)[-1] == "won"
    assert outcomes.count("won") == 1
    assert "This case changed meanwhile: it is now “Rejected”" in next(o for o in outcomes if o != "won")
    assert AuditEvent.objects.for_object(case).filter(action="approve").count() == 1
    assert LetterRequest.objects.filter(kind="decision").count() == 1
    assert Assessment.objects.get(case=case).reviewed_by in reviewers


@pytest.mark.django_db
def test_a_stale_page_is_refused_with_a_clear_message(client):
    case = CaseFactory(state=CaseState.IN_REVIEW)
    first, second = reviewer(), reviewer()
    services.approve_assessment(case_id=case.pk, by=first, expected_state=CaseState.IN_REVIEW)
    client.force_login(second)
    response = client.post(
        f"/office/cases/{case.reference}/do/send_back/",
        {"send_back-expected_state": "in_review", "send_back-comment": "Reconsider"},
        follow=True,
    )
    assert "This case changed meanwhile" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.REJECTED


def decision_text(case: Case) -> str:
    request = LetterRequest.objects.get(kind="decision", object_id=str(case.pk))
    letter = render_letter(request.pk)
    with letter.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "proposal", "phrases"),
    [
        ("nl", Proposal.NOT_ESTABLISHED, ["Beslissing over uw klacht", "Raad van State", "60 dagen"]),
        ("fr", Proposal.NOT_ESTABLISHED, ["Décision concernant votre plainte", "Conseil d\u2019État", "60 jours"]),
        ("nl", Proposal.INADMISSIBLE, ["onontvankelijk"]),
        ("fr", Proposal.INADMISSIBLE, ["irrecevable"]),
    ],
)
def test_the_decision_letter_reads_back_with_reasons_officer_reviewer_and_remedies(language, proposal, phrases):
    officer = UserFactory(role=roles.CASE_OFFICER, first_name="Anna", last_name="Peeters")
    senior = reviewer(first_name="Sofie", last_name="Janssens")
    case = CaseFactory(
        complaint=ComplaintFactory(language=language),
        state=CaseState.REJECTED,
        officer=officer,
        reviewer=senior,
        proposal=proposal,
    )
    text = " ".join(decision_text(case).split())
    for phrase in phrases:
        assert phrase in text, phrase
    reasons = answers_for(proposal)
    changed = "harassment" if proposal == Proposal.NOT_ESTABLISHED else "precise_facts"
    assert " ".join(reasons[changed]["reasoning"].split()) in text
    assert "Anna Peeters" in text and "Sofie Janssens" in text
    assert case.reference in text
    letter = Letter.objects.get(kind="decision")
    assert letter.signatory_name == "Anna Peeters" and letter.language == language
