"""The officer's order pages and the portal list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseState
from platforms.models import DisclosureOrder
from tests.factories import CaseFactory, make_order, operator, reviewer

pytestmark = pytest.mark.django_db


def test_an_officer_drafts_and_issues_an_order_from_the_case_page(client, django_capture_on_commit_callbacks):
    case = CaseFactory(state=CaseState.ESTABLISHED, proposal="established")
    client.force_login(case.assigned_to)
    page = client.get(f"/office/cases/{case.reference}/")
    assert "Draft a disclosure order" in page.content.decode()
    identifier = case.identifiers.get()

    too_short = client.post(
        f"/office/cases/{case.reference}/orders/new/",
        {
            "organisation": case.service.organisation_id,
            "kind": "account_data",
            "identifiers": [identifier.pk],
            "data_requested": ["names"],
            "reasons": "Because.",
        },
    )
    assert too_short.status_code == 400 and "State the reasons" in too_short.content.decode()
    assert not DisclosureOrder.objects.exists()

    drafted = client.post(
        f"/office/cases/{case.reference}/orders/new/",
        {
            "organisation": case.service.organisation_id,
            "kind": "account_data",
            "identifiers": [identifier.pk],
            "data_requested": ["names", "ip_addresses"],
            "reasons": "Repeated threats against the victim; only the holder's data lets the victim file a complaint.",
        },
    )
    order = DisclosureOrder.objects.get()
    assert drafted["Location"] == f"/office/orders/{order.reference}/"
    assert order.identifiers == [{"kind": "account_name", "value": "@unknown_sender"}]

    with django_capture_on_commit_callbacks(execute=True):
        issued = client.post(f"/office/orders/{order.reference}/do/issue/", {"issue-expected_state": "draft"})
    assert issued.status_code == 302
    order.refresh_from_db()
    assert order.state == "issued"
    assert Case.objects.get(pk=case.pk).state == CaseState.DISCLOSURE_PENDING
    order_page = client.get(f"/office/orders/{order.reference}/").content.decode()
    assert "Order to disclose data on the holder of an account" in order_page  # the letter, rendered eagerly
    assert "Withdraw the order" in order_page

    client.force_login(reviewer())
    assert (
        client.post(
            f"/office/orders/{order.reference}/do/withdraw/",
            {"withdraw-expected_state": "issued", "withdraw-reason": "x"},
        ).status_code
        == 403
    )


def test_the_officer_decides_on_an_extension_and_on_the_answer(client):
    order, _liaison = make_order("extension_requested")
    client.force_login(order.case.assigned_to)
    refused = client.post(
        f"/office/orders/{order.reference}/do/grant_extension/",
        {
            "grant_extension-expected_state": "extension_requested",
            "grant_extension-new_due_on": order.due_on.isoformat(),
        },
    )
    assert refused.status_code == 400 and "A new due date comes after the current one." in refused.content.decode()
    new_date = order.extension_requested_until
    granted = client.post(
        f"/office/orders/{order.reference}/do/grant_extension/",
        {"grant_extension-expected_state": "extension_requested", "grant_extension-new_due_on": new_date.isoformat()},
    )
    assert granted.status_code == 302
    order.refresh_from_db()
    assert (order.state, order.due_on) == ("acknowledged", new_date)


def test_a_follow_up_order_goes_to_a_belgian_operator(client):
    order, _ = make_order(
        "fulfilled",
        identity={"ip_addresses": [{"address": "81.82.83.84", "port": 1, "timestamp": "2026-11-20T20:35:00+00:00"}]},
    )
    proximus = operator()
    client.force_login(order.case.assigned_to)
    page = client.get(f"/office/orders/{order.reference}/").content.decode()
    assert "Follow-up order to a Belgian operator" in page
    missing = client.post(
        f"/office/orders/{order.reference}/follow-up/",
        {
            "organisation": proximus.pk,
            "kind": "ip_subscriber",
            "ip_address": "81.82.83.84",
            "reasons": "The platform named this address.",
        },
    )
    assert missing.status_code == 400 and "gives the address and the time of use" in missing.content.decode()
    done = client.post(
        f"/office/orders/{order.reference}/follow-up/",
        {
            "organisation": proximus.pk,
            "kind": "ip_subscriber",
            "ip_address": "81.82.83.84",
            "port": 51234,
            "timestamp": "2026-11-20T21:35",
            "reasons": "The platform named this IP address; its subscriber holds the line used.",
        },
    )
    follow_up = DisclosureOrder.objects.get(follows=order)
    assert done["Location"] == f"/office/orders/{follow_up.reference}/"
    assert follow_up.organisation == proximus and follow_up.identifiers[0]["port"] == 51234
    assert follow_up.identifiers[0]["timestamp"].startswith("2026-11-20T21:35")


def test_the_portal_list_costs_the_same_number_of_queries_for_1_or_20_orders(client):
    first, liaison = make_order("issued")
    client.force_login(liaison)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/portal/orders/").status_code == 200
        return len(queries)

    count()  # content types are cached after the first request
    few = count()
    case = first.case
    for _ in range(19):
        make_order("issued", case=case, organisation=first.organisation, liaison=liaison)
    assert count() == few
    assert len(client.get("/portal/orders/").context["page"]) == 20


def test_officers_outside_the_case_and_liaisons_get_404_on_order_pages(client):
    from tests.factories import officer

    order, liaison = make_order("issued")
    for user in [officer(), liaison]:
        client.force_login(user)
        assert client.get(f"/office/orders/{order.reference}/").status_code == 404
    client.force_login(order.case.assigned_to)
    assert client.get(f"/portal/orders/{order.reference}/").status_code == 404
