"""Each role's start page, and the morning digest sent once a day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from cases import services as case_services
from cases.models import Case, CaseState, InformationRequest
from enforcement.models import SanctionProcedure
from ombudsman.dashboard.digest import send_morning_digests
from ombudsman.dashboard.today import sections_for
from platforms.models import DisclosureOrder
from tests.factories import CaseFactory, make_order, make_procedure, make_referral, officer, reviewer

pytestmark = pytest.mark.django_db
WEDNESDAY = date(2026, 3, 4)


@pytest.fixture(autouse=True)
def on_a_wednesday(time_machine):
    time_machine.move_to(datetime(2026, 3, 4, 8, tzinfo=ZoneInfo("Europe/Brussels")))


def counts(user) -> dict[str, int]:
    return {section.key: section.count for section in sections_for(user, WEDNESDAY)}


def test_an_officers_day(client):
    anna = officer(first_name="Anna")
    near = CaseFactory(state=CaseState.IN_ASSESSMENT, officer=anna)
    Case.objects.filter(pk=near.pk).update(handling_due_on=WEDNESDAY + timedelta(days=2))
    CaseFactory(state=CaseState.IN_ASSESSMENT, officer=anna)  # target in 90 days: not this week
    CaseFactory(state=CaseState.AWAITING_INFORMATION, officer=anna)  # reply due in 15 days
    waiting = CaseFactory(state=CaseState.AWAITING_INFORMATION, officer=anna)
    Case.objects.filter(pk=waiting.pk).update(information_due_on=WEDNESDAY + timedelta(days=4))
    answered = CaseFactory(state=CaseState.AWAITING_INFORMATION, officer=anna)
    request = InformationRequest.objects.get(case=answered)
    case_services.record_information_received(case_id=answered.pk, by=anna, answer="Screenshots sent.", files=[])
    established = CaseFactory(state=CaseState.ESTABLISHED, proposal="established", officer=anna)
    due, _ = make_order("issued", case=established)
    DisclosureOrder.objects.filter(pk=due.pk).update(due_on=WEDNESDAY + timedelta(days=1))
    make_order("answered", case=CaseFactory(state=CaseState.ESTABLISHED, proposal="established", officer=anna))
    CaseFactory(state=CaseState.IN_ASSESSMENT)  # someone else's

    assert counts(anna) == {
        "handling_targets": 1,
        "replies_due": 1,
        "orders_due": 1,
        "new_answers": 1,
        "information_received": 1,
    }
    assert request.case == answered
    client.force_login(anna)
    page = client.get("/start/").content.decode()
    assert near.reference in page and 'id="count-orders_due">1<' in page


def test_a_reviewers_day_lists_the_proposals_of_others():
    sofie = reviewer()
    CaseFactory(state=CaseState.IN_REVIEW)
    CaseFactory(state=CaseState.IN_REVIEW, officer=sofie)  # her own proposal
    assert counts(sofie)["to_review"] == 1


def test_a_bipt_officers_and_heads_day():
    ending = make_procedure("grievances_notified")
    officer_ = ending.referral.assigned_to
    SanctionProcedure.objects.filter(pk=ending.pk).update(defence_due_on=WEDNESDAY + timedelta(days=3))
    make_procedure("defence_closed", officer=officer_)
    make_procedure("grievances_notified", officer=officer_)  # defence due in 30 days
    assert counts(officer_) == {"defence_ending": 1, "to_draft": 1, "to_decide": 0}
    referral = make_referral(officer=False)
    from tests.factories import bipt_head

    head_counts = counts(bipt_head())
    assert head_counts["to_assign"] == 1 and referral.assigned_to is None


def test_a_liaisons_day():
    first, liaison = make_order("issued")
    second, _ = make_order("acknowledged", case=first.case, organisation=first.organisation, liaison=liaison)
    DisclosureOrder.objects.filter(pk=second.pk).update(due_on=WEDNESDAY + timedelta(days=2))
    assert counts(liaison) == {"orders_due": 1, "to_acknowledge": 1}


def test_the_morning_digest_goes_once_a_day_in_the_users_language(client):
    anna = officer(email="anna@office.example")
    CaseFactory(state=CaseState.IN_ASSESSMENT, officer=anna)
    client.force_login(anna)
    client.post("/start/digest/", {"digest_opt_in": "on", "language": "fr"})
    anna.refresh_from_db()
    assert anna.digest_opt_in and anna.language == "fr"
    officer(email="quiet@office.example")  # did not ask for it
    mail.outbox = []
    assert send_morning_digests(WEDNESDAY) == 1
    assert send_morning_digests(WEDNESDAY) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@office.example"]
    assert mail.outbox[0].body.startswith("Bonjour")
    assert send_morning_digests(WEDNESDAY + timedelta(days=1)) == 1
