"""The sanction procedure: every step x role, the guards of the rights of defence, full paths."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enforcement import services
from enforcement.models import ProcedureState, SanctionProcedure
from enforcement.services.sweep import close_defence_periods, finalise_unappealed_decisions, remind_unpaid_fines
from ombudsman.accounts import roles
from ombudsman.audit.models import AuditEvent
from ombudsman.letters.models import LetterRequest
from tests.factories import (
    DECISION_REASONS,
    GRIEVANCES,
    UserFactory,
    bipt_head,
    bipt_officer,
    liaison_of,
    make_procedure,
    reviewer,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def values_for(step: str) -> dict:
    today = TODAY()
    return {
        "open_investigation": {},
        "notify_grievances": {"grievances": GRIEVANCES, "evidence_list": "Orders and letters."},
        "record_defence": {"summary": "The platform says the orders went to a wrong address.", "received_on": today},
        "schedule_hearing": {"at": timezone.now() + timedelta(days=5)},
        "hold_hearing": {"minutes": "The platform's counsel was heard."},
        "draft_decision": {"text": "BIPT intends to impose a fine."},
        "decide": {
            "fine": True,
            "reasons": DECISION_REASONS,
            "seriousness": "serious",
            "duration_days": 65,
            "repeated": False,
            "cooperation": "none",
            "turnover": Decimal("3000000000"),
            "amount": Decimal("50000"),
        },
        "record_appeal": {"lodged_on": today},
        "record_judgment": {"judgment": "confirmed", "judged_on": today},
        "record_payment": {"paid_on": today, "amount": Decimal("50000")},
        "compliance_restored": {"reasons": "The platform answered every order, late but completely."},
        "close": {},
    }[step]


STEPS = [
    ("open_investigation", "referred", "investigating"),
    ("notify_grievances", "investigating", "grievances_notified"),
    ("record_defence", "grievances_notified", "defence_closed"),
    ("schedule_hearing", "grievances_notified", "hearing_scheduled"),
    ("draft_decision", "defence_closed", "draft_decision"),
    ("decide", "draft_decision", "fine_imposed"),
    ("record_appeal", "fine_imposed", "under_appeal"),
    ("record_judgment", "under_appeal", "fine_confirmed"),
    ("record_payment", "fine_imposed", "paid"),
    ("compliance_restored", "investigating", "dismissed"),
    ("close", "paid", "closed"),
]
WHO = ["assigned officer", "other BIPT officer", "BIPT head", "ombudsman reviewer", "liaison", "administrator"]


def actor(who: str, procedure: SanctionProcedure):
    return {
        "assigned officer": lambda: procedure.referral.assigned_to,
        "other BIPT officer": bipt_officer,
        "BIPT head": bipt_head,
        "ombudsman reviewer": reviewer,
        "liaison": lambda: liaison_of(procedure.referral.organisation),
        "administrator": lambda: UserFactory(role=roles.ADMINISTRATOR, is_staff=True),
    }[who]()


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(("step", "source", "target"), STEPS, ids=[s[0] for s in STEPS])
def test_each_procedure_step_for_each_role(step, source, target, who):
    procedure = make_procedure(source)
    if step == "draft_decision":
        # The defence period is over (the factory moved it into the past).
        assert procedure.defence_due_on < TODAY()
    if step == "decide":
        # The platform's period to answer the draft is over.
        SanctionProcedure.objects.filter(pk=procedure.pk).update(draft_answer_due_on=TODAY() - timedelta(days=1))
    user = actor(who, procedure)
    before = AuditEvent.objects.for_object(procedure).count()
    if who == "assigned officer":
        services.run_procedure_step(procedure_id=procedure.pk, step=step, by=user, **values_for(step))
        procedure.refresh_from_db()
        assert procedure.state == target
        event = AuditEvent.objects.for_object(procedure).order_by("-id").first()
        assert (event.action, event.actor, event.from_state, event.to_state) == (step, user, source, target)
    else:
        with pytest.raises(PermissionDenied):
            services.run_procedure_step(procedure_id=procedure.pk, step=step, by=user, **values_for(step))
        procedure.refresh_from_db()
        assert procedure.state == source
        assert AuditEvent.objects.for_object(procedure).count() == before


def test_the_procedure_has_exactly_the_designed_states_and_transitions():
    assert set(ProcedureState.values) == {
        "referred",
        "investigating",
        "grievances_notified",
        "hearing_scheduled",
        "defence_closed",
        "draft_decision",
        "fine_imposed",
        "dismissed",
        "under_appeal",
        "fine_confirmed",
        "fine_reduced",
        "annulled",
        "paid",
        "closed",
    }
    edges = set()
    for transition in SanctionProcedure._meta.get_field("state").get_all_transitions(SanctionProcedure):
        targets = getattr(transition.target, "allowed_states", None) or [transition.target]
        edges |= {(transition.source, target, transition.name) for target in targets}
    assert edges == {
        ("referred", "investigating", "open_investigation"),
        ("investigating", "grievances_notified", "notify_grievances"),
        ("grievances_notified", "defence_closed", "record_defence"),
        ("grievances_notified", "defence_closed", "close_defence"),
        ("grievances_notified", "hearing_scheduled", "schedule_hearing"),
        ("hearing_scheduled", "defence_closed", "hold_hearing"),
        ("defence_closed", "draft_decision", "draft_decision"),
        ("draft_decision", "fine_imposed", "decide"),
        ("draft_decision", "dismissed", "decide"),
        ("fine_imposed", "under_appeal", "record_appeal"),
        ("under_appeal", "fine_confirmed", "record_judgment"),
        ("under_appeal", "fine_reduced", "record_judgment"),
        ("under_appeal", "annulled", "record_judgment"),
        ("fine_imposed", "paid", "record_payment"),
        ("fine_confirmed", "paid", "record_payment"),
        ("fine_reduced", "paid", "record_payment"),
        ("investigating", "dismissed", "compliance_restored"),
        ("grievances_notified", "dismissed", "compliance_restored"),
        ("paid", "closed", "close"),
        ("dismissed", "closed", "close"),
        ("annulled", "closed", "close"),
    }


def refused(procedure: SanctionProcedure, step: str, message: str, **values) -> None:
    before = AuditEvent.objects.for_object(procedure).count()
    with pytest.raises(ValidationError, match=message):
        services.run_procedure_step(procedure_id=procedure.pk, step=step, by=procedure.referral.assigned_to, **values)
    fresh = SanctionProcedure.objects.get(pk=procedure.pk)
    assert fresh.state == procedure.state
    assert AuditEvent.objects.for_object(procedure).count() == before


def test_no_draft_decision_while_the_defence_period_runs_even_after_a_written_defence():
    procedure = make_procedure("grievances_notified")
    services.run_procedure_step(
        procedure_id=procedure.pk,
        step="record_defence",
        by=procedure.referral.assigned_to,
        summary="We contest the facts.",
        received_on=TODAY(),
    )
    procedure.refresh_from_db()
    assert procedure.state == "defence_closed" and procedure.defence_due_on > TODAY()
    refused(procedure, "draft_decision", "No draft decision before", text="A fine.")


def test_a_hearing_held_allows_the_draft_before_the_period_ends(time_machine):
    procedure = make_procedure("hearing_scheduled")
    officer = procedure.referral.assigned_to
    refused(procedure, "hold_hearing", "has not taken place yet", minutes="Heard.")
    time_machine.move_to(procedure.hearing_at + timedelta(hours=2))
    services.run_procedure_step(procedure_id=procedure.pk, step="hold_hearing", by=officer, minutes="Counsel heard.")
    services.run_procedure_step(procedure_id=procedure.pk, step="draft_decision", by=officer, text="A fine.")
    assert SanctionProcedure.objects.get(pk=procedure.pk).state == "draft_decision"


def test_no_decision_before_the_platform_could_answer_the_draft():
    procedure = make_procedure("draft_decision")
    refused(procedure, "decide", "could answer the draft decision", **values_for("decide"))
    services.record_draft_answer(
        procedure_id=procedure.pk,
        by=procedure.referral.assigned_to,
        received_on=TODAY(),
        summary="The platform disputes the amount.",
    )
    services.run_procedure_step(
        procedure_id=procedure.pk, step="decide", by=procedure.referral.assigned_to, **values_for("decide")
    )
    assert SanctionProcedure.objects.get(pk=procedure.pk).state == "fine_imposed"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # 5% of a turnover of 100 million is below the absolute ceiling of 20 million.
        (
            {"turnover": Decimal("100000000"), "amount": Decimal("5000001")},
            "exceeds the legal maximum of EUR 5,000,000.00",
        ),
        ({"turnover": None, "amount": Decimal("20000001")}, "exceeds the legal maximum of EUR 20,000,000.00"),
        ({"reasons": "Because."}, "A decision states its reasons."),
        ({"seriousness": ""}, "records its seriousness"),
        ({"amount": None}, "Give the amount of the fine."),
    ],
)
def test_a_fine_outside_the_bounds_or_without_reasons_is_refused(changes, message):
    procedure = make_procedure("draft_decision")
    SanctionProcedure.objects.filter(pk=procedure.pk).update(draft_answer_due_on=TODAY() - timedelta(days=1))
    procedure.refresh_from_db()
    refused(procedure, "decide", message, **{**values_for("decide"), **changes})


def test_other_wrong_paths_are_refused():
    refused(make_procedure("investigating"), "notify_grievances", "states the facts", grievances="", evidence_list="")
    appealable = make_procedure("fine_imposed")
    refused(appealable, "record_appeal", "after the deadline", lodged_on=appealable.appeal_deadline + timedelta(days=1))
    refused(appealable, "record_payment", "differs from the fine due", paid_on=TODAY(), amount=Decimal("1"))
    refused(
        make_procedure("under_appeal"),
        "record_judgment",
        "lower than the fine imposed",
        judgment="reduced",
        judged_on=TODAY(),
        reduced_amount=Decimal("90000"),
    )


def test_the_full_path_to_a_paid_fine(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        procedure = make_procedure("closed")
    assert procedure.state == "closed" and procedure.paid_amount == Decimal("50000")
    kinds = set(LetterRequest.objects.filter(content_type__model="sanctionprocedure").values_list("kind", flat=True))
    assert kinds == {"grievances", "draft_decision", "fine_decision", "fine_decision_public", "procedure_closure"}
    assert LetterRequest.objects.filter(kind="referral_dossier").count() == 1


def test_the_path_to_an_annulled_fine_then_closed():
    procedure = make_procedure("annulled")
    services.run_procedure_step(procedure_id=procedure.pk, step="close", by=procedure.referral.assigned_to)
    procedure.refresh_from_db()
    assert (procedure.state, procedure.judgment) == ("closed", "annulled")


def test_compliance_restored_either_dismisses_or_continues_with_reasons():
    procedure = make_procedure("grievances_notified")
    services.continue_despite_compliance(
        procedure_id=procedure.pk,
        by=procedure.referral.assigned_to,
        reasons="Third late answer this year: the procedure continues.",
    )
    assert SanctionProcedure.objects.get(pk=procedure.pk).state == "grievances_notified"
    assert AuditEvent.objects.for_object(procedure).filter(action="compliance_noted_procedure_continues").exists()
    services.run_procedure_step(
        procedure_id=procedure.pk,
        step="compliance_restored",
        by=procedure.referral.assigned_to,
        reasons="All orders now answered in full.",
    )
    assert SanctionProcedure.objects.get(pk=procedure.pk).state == "dismissed"
    assert LetterRequest.objects.filter(kind="dismissal").count() == 1


def test_the_sweep_closes_the_defence_finalises_and_reminds_once_each():
    procedure = make_procedure("grievances_notified")
    due = procedure.defence_due_on
    assert close_defence_periods(due) == 0  # the last day is still the platform's
    assert close_defence_periods(due + timedelta(days=1)) == 1
    assert close_defence_periods(due + timedelta(days=1)) == 0
    assert SanctionProcedure.objects.get(pk=procedure.pk).state == "defence_closed"

    fined = make_procedure("fine_imposed")
    assert finalise_unappealed_decisions(fined.appeal_deadline) == 0
    assert finalise_unappealed_decisions(fined.appeal_deadline + timedelta(days=1)) == 1
    assert finalise_unappealed_decisions(fined.appeal_deadline + timedelta(days=9)) == 0
    assert SanctionProcedure.objects.get(pk=fined.pk).final_on == fined.appeal_deadline + timedelta(days=1)

    assert remind_unpaid_fines(fined.payment_due_on + timedelta(days=1)) == 1
    assert remind_unpaid_fines(fined.payment_due_on + timedelta(days=30)) == 0
    assert LetterRequest.objects.filter(kind="payment_reminder").count() == 1


def test_the_fine_helper_proposes_from_the_scale_within_the_maximum():
    procedure = make_procedure("draft_decision")
    # Serious: 50,000; 65 days = 2 months at +10% = 60,000; partial cooperation -15% = 51,000.
    proposal = services.propose_fine(
        procedure, seriousness="serious", duration_days=65, repeated=False, cooperation="partial", turnover=None
    )
    assert proposal.amount == Decimal("51000") and not proposal.capped
    repeated = services.propose_fine(
        procedure,
        seriousness="very_serious",
        duration_days=400,
        repeated=True,
        cooperation="none",
        turnover=Decimal("1000000"),
    )
    assert repeated.maximum == Decimal("50000.00") and repeated.amount == Decimal("50000.00") and repeated.capped


def test_only_a_head_assigns_and_the_officer_sees_only_assigned_referrals(client):
    procedure = make_procedure("referred")
    other = make_procedure("referred")
    officer = procedure.referral.assigned_to
    with pytest.raises(PermissionDenied):
        services.assign_referral(referral_id=other.referral.pk, by=officer, officer=officer)
    client.force_login(officer)
    listing = client.get("/bipt/referrals/").content.decode()
    assert procedure.referral.reference in listing and other.referral.reference not in listing
    assert client.get(f"/bipt/referrals/{other.referral.reference}/").status_code == 404
    client.force_login(bipt_head())
    listing = client.get("/bipt/referrals/").content.decode()
    assert procedure.referral.reference in listing and other.referral.reference in listing
    for user in [reviewer(), liaison_of(procedure.referral.organisation)]:
        client.force_login(user)
        assert client.get("/bipt/referrals/").status_code == 404
        assert client.get(f"/bipt/referrals/{procedure.referral.reference}/").status_code == 404


def test_the_procedure_diagram_in_docs_matches_the_code():
    from pathlib import Path

    from ombudsman.core.diagrams import state_diagram_document

    committed = (Path(__file__).resolve().parents[2] / "docs" / "procedure-states.md").read_text()
    assert committed == state_diagram_document("enforcement.SanctionProcedure", "docs/procedure-states.md"), (
        "docs/procedure-states.md is stale: run python manage.py state_diagram enforcement.SanctionProcedure "
        "--output docs/procedure-states.md"
    )
