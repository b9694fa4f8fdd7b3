"""The Ombudsman's referral by hand, and the BIPT officer's pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from enforcement.models import Referral, SanctionProcedure
from tests.factories import bipt_head, bipt_officer, make_order, make_procedure, officer, reviewer

pytestmark = pytest.mark.django_db


def test_a_reviewer_refers_a_pattern_of_non_cooperation_by_hand(client):
    order, _ = make_order("issued")
    client.force_login(officer())
    assert client.get("/office/referrals/new/").status_code == 404
    client.force_login(reviewer())
    page = client.get("/office/referrals/new/", {"organisation": order.organisation_id})
    assert order.reference in page.content.decode()
    too_short = client.post(
        f"/office/referrals/new/?organisation={order.organisation_id}", {"orders": [order.pk], "reason": "Late."}
    )
    assert too_short.status_code == 400 and not Referral.objects.exists()
    done = client.post(
        f"/office/referrals/new/?organisation={order.organisation_id}",
        {"orders": [order.pk], "reason": "Every order of the last quarter was answered only after a formal notice."},
    )
    assert done.status_code == 302
    referral = Referral.objects.get()
    assert list(referral.orders.all()) == [order] and referral.procedure.state == "referred"


def test_a_head_assigns_and_the_officer_steps_through_the_page(client):
    procedure = make_procedure("referred", officer=False)
    referral = procedure.referral
    officer_ = bipt_officer(first_name="Nathalie", last_name="Lambert")
    client.force_login(bipt_head())
    client.post(f"/bipt/referrals/{referral.reference}/assign/", {"officer": officer_.pk})
    referral.refresh_from_db()
    assert referral.assigned_to == officer_

    client.force_login(officer_)
    page = client.get(f"/bipt/referrals/{referral.reference}/").content.decode()
    assert "Open the investigation" in page and "Decide" not in page
    client.post(
        f"/bipt/referrals/{referral.reference}/do/open_investigation/",
        {"open_investigation-expected_state": "referred"},
    )
    refused = client.post(
        f"/bipt/referrals/{referral.reference}/do/notify_grievances/",
        {
            "notify_grievances-expected_state": "investigating",
            "notify_grievances-grievances": "",
            "notify_grievances-evidence_list": "",
        },
    )
    assert refused.status_code == 400
    assert SanctionProcedure.objects.get(pk=procedure.pk).state == "investigating"
    stale = client.post(
        f"/bipt/referrals/{referral.reference}/do/open_investigation/",
        {"open_investigation-expected_state": "referred"},
        follow=True,
    )
    assert "changed meanwhile" in stale.content.decode()


def test_the_fine_calculator_on_the_draft_decision_page(client):
    procedure = make_procedure("draft_decision")
    client.force_login(procedure.referral.assigned_to)
    page = client.get(
        f"/bipt/referrals/{procedure.referral.reference}/",
        {"seriousness": "serious", "duration_days": "65", "cooperation": "partial"},
    ).content.decode()
    assert "Proposed: EUR 51,000" in page


def test_the_draft_answer_lets_the_decision_follow(client):
    procedure = make_procedure("draft_decision")
    client.force_login(procedure.referral.assigned_to)
    client.post(
        f"/bipt/referrals/{procedure.referral.reference}/draft-answer/",
        {"received_on": timezone.localdate().isoformat(), "summary": "The platform accepts the facts."},
    )
    procedure.refresh_from_db()
    assert procedure.draft_answer_received_on == timezone.localdate()
    assert procedure.draft_answer_due_on > timezone.localdate() - timedelta(days=1)
