"""Search finds a case in one step, never one the user may not see; linked cases and joint orders."""

from __future__ import annotations

import pytest
from guardian.shortcuts import assign_perm

from cases.models import Case, CaseState
from cases.search import linked_cases, search_cases
from ombudsman.letters.models import LetterRequest
from platforms import services as orders
from tests.factories import (
    CaseFactory,
    ComplaintFactory,
    OrganisationFactory,
    ServiceFactory,
    liaison_of,
    officer,
    reviewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def emma():
    instagram = ServiceFactory(name="Instagram", organisation=OrganisationFactory(name="Meta Platforms Ireland Ltd."))
    return CaseFactory(
        complaint=ComplaintFactory(
            first_name="Emma",
            last_name="Claes",
            email="emma.claes@mail.example",
            service=instagram,
            identifiers=[("profile_url", "https://www.instagram.com/Shadow_Emma/"), ("phone", "0470 11 22 33")],
            description="Elke avond krijg ik bedreigingen en beledigingen over mijn school.",
        )
    )


@pytest.mark.parametrize(
    "query",
    [
        "reference",
        "Claes",
        "emma claes",
        "EMMA.CLAES@mail.example",
        "@shadow_emma",
        "instagram.com/SHADOW_EMMA",
        "+32 470 11 22 33",
        "0470112233",
        "Meta Platforms",
        "Instagram",
        "bedreiging",  # Dutch stemming: bedreigingen
        "school",
    ],
)
def test_each_kind_of_query_finds_the_case(emma, query):
    text = emma.reference.lower() if query == "reference" else query
    assert list(search_cases(reviewer(), text)) == [emma]


def test_search_shows_only_cases_the_user_may_see_and_nothing_else(emma, client):
    Case.objects.filter(pk=emma.pk).update(state=CaseState.IN_ASSESSMENT)  # left the intake queue
    stranger = officer()
    assert list(search_cases(stranger, "Claes")) == []
    client.force_login(stranger)
    page = client.get("/office/search/", {"q": emma.reference}).content.decode()
    assert f"/office/cases/{emma.reference}/" not in page and "No case you may see matches." in page
    assign_perm("cases.view_case", stranger, emma)
    assert list(search_cases(stranger, "Claes")) == [emma]
    client.force_login(liaison_of(OrganisationFactory()))
    assert client.get("/office/search/", {"q": "Claes"}).status_code == 404


def test_an_empty_or_odd_query_finds_nothing_and_fails_nothing(emma, client):
    client.force_login(reviewer())
    for query in ["", "   ", "&|!:*()", "'; DROP TABLE cases_case; --", "x" * 5000]:
        response = client.get("/office/search/", {"q": query})
        assert response.status_code == 200
    assert Case.objects.count() == 1


def test_cases_naming_the_same_account_are_linked_and_flagged(client):
    instagram = ServiceFactory(name="Instagram")
    first = CaseFactory(complaint=ComplaintFactory(service=instagram, identifiers=[("account_name", "@Shadow_Emma")]))
    second = CaseFactory(
        complaint=ComplaintFactory(service=instagram, identifiers=[("profile_url", "instagram.com/shadow_emma")])
    )
    other = CaseFactory(complaint=ComplaintFactory(service=instagram, identifiers=[("account_name", "@someone")]))
    user = reviewer()
    assert list(linked_cases(first, user)) == [second]
    client.force_login(user)
    page = client.get(f"/office/cases/{first.reference}/").content.decode()
    assert "Other cases naming the same perpetrator" in page and second.reference in page
    queue = {case.reference: case.linked for case in client.get("/office/cases/").context["page"]}
    assert queue == {first.reference: True, second.reference: True, other.reference: False}


def test_one_joint_order_covers_linked_established_cases_with_letters_for_each(django_capture_on_commit_callbacks):
    instagram = ServiceFactory(name="Instagram")
    anna = officer()
    main = CaseFactory(
        complaint=ComplaintFactory(service=instagram, identifiers=[("account_name", "@pay_or_post")]),
        state=CaseState.ESTABLISHED,
        proposal="established",
        officer=anna,
    )
    linked = CaseFactory(
        complaint=ComplaintFactory(
            service=instagram, language="fr", identifiers=[("profile_url", "https://instagram.com/Pay_Or_Post")]
        ),
        state=CaseState.ESTABLISHED,
        proposal="established",
    )
    unrelated = CaseFactory(
        complaint=ComplaintFactory(service=instagram), state=CaseState.ESTABLISHED, proposal="established"
    )
    for case in (linked, unrelated):
        assign_perm("cases.view_case", anna, case)

    with pytest.raises(Exception, match="naming the same identifier"):
        orders.draft_order(
            case_id=main.pk,
            by=anna,
            organisation=instagram.organisation,
            kind="account_data",
            identifiers=[{"kind": "account_name", "value": "@pay_or_post"}],
            data_requested=["names"],
            reasons="Threats to several victims from one account; only its holder's identity helps.",
            joint_cases=[unrelated],
        )
    order = orders.draft_order(
        case_id=main.pk,
        by=anna,
        organisation=instagram.organisation,
        kind="account_data",
        identifiers=[{"kind": "account_name", "value": "@pay_or_post"}],
        data_requested=["names"],
        joint_cases=[linked],
        reasons="Threats to several victims from one account; only its holder's identity helps.",
    )
    orders.issue_order(order_id=order.pk, by=anna)
    assert {c.state for c in Case.objects.filter(pk__in=[main.pk, linked.pk])} == {CaseState.DISCLOSURE_PENDING}
    liaison = liaison_of(instagram.organisation)
    orders.submit_answer(
        order_id=order.pk, by=liaison, outcome="identity", identity={"holder_name": "Jan Janssens"}, channel="api"
    )
    orders.accept_answer(order_id=order.pk, by=anna)
    assert {c.state for c in Case.objects.filter(pk__in=[main.pk, linked.pk])} == {CaseState.IDENTIFIED}
    letters = LetterRequest.objects.filter(kind="identification")
    assert {(r.object_id, r.language) for r in letters} == {(str(main.pk), "nl"), (str(linked.pk), "fr")}
    assert Case.objects.get(pk=unrelated.pk).state == CaseState.ESTABLISHED


def test_an_identity_from_a_joint_order_is_read_in_another_case_only_with_a_purpose(client):
    instagram = ServiceFactory(name="Instagram")
    main = CaseFactory(
        complaint=ComplaintFactory(service=instagram, identifiers=[("account_name", "@x_x")]),
        state=CaseState.ESTABLISHED,
        proposal="established",
    )
    linked = CaseFactory(
        complaint=ComplaintFactory(service=instagram, identifiers=[("account_name", "@X_X")]),
        state=CaseState.ESTABLISHED,
        proposal="established",
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
    answer = orders.submit_answer(
        order_id=order.pk,
        by=liaison_of(instagram.organisation),
        outcome="identity",
        identity={"holder_name": "Jan Janssens"},
        channel="api",
    )
    client.force_login(linked.assigned_to)
    page = client.get(f"/office/orders/{order.reference}/").content.decode()
    assert "Jan Janssens" not in page and "Show the identity data" in page
    shown = client.post(
        f"/office/orders/{order.reference}/answers/{answer.pk}/identity/",
        {"purpose": "Preparing the identification letter of my own case"},
    )
    assert "Jan Janssens" in shown.content.decode()
    access = linked.identity_accesses.get()
    assert access.user == linked.assigned_to


def test_an_officer_sees_a_link_only_to_a_case_they_may_see(client):
    instagram = ServiceFactory(name="Instagram")
    anna, bert = officer(), officer()
    shadow = [("account_name", "@shadow_links")]
    mine = CaseFactory(
        complaint=ComplaintFactory(service=instagram, identifiers=shadow), state="in_assessment", officer=anna
    )
    berts = CaseFactory(
        complaint=ComplaintFactory(service=instagram, identifiers=shadow), state="in_assessment", officer=bert
    )
    alone = CaseFactory(
        complaint=ComplaintFactory(service=instagram, identifiers=[("account_name", "@nobody_else")]),
        state="in_assessment",
        officer=anna,
    )
    client.force_login(anna)
    queue = {case.reference: case.linked for case in client.get("/office/cases/").context["page"]}
    # Bert's case names the same account, but Anna may not see it: nothing to flag, nothing shown.
    assert queue == {mine.reference: False, alone.reference: False}
    assert berts.reference not in client.get(f"/office/cases/{mine.reference}/").content.decode()

    # A new complaint naming it is in the intake queue, which Anna sees: now both are linked.
    intake = CaseFactory(complaint=ComplaintFactory(service=instagram, identifiers=shadow))
    queue = {case.reference: case.linked for case in client.get("/office/cases/").context["page"]}
    assert queue == {mine.reference: True, alone.reference: False, intake.reference: True}
    page = client.get(f"/office/cases/{mine.reference}/").content.decode()
    assert intake.reference in page and berts.reference not in page


def test_a_case_page_lists_the_most_recent_linked_cases_and_points_to_the_search_for_the_rest(client):
    instagram = ServiceFactory(name="Instagram")
    # Each also names a phone number of its own: the list reads both identifiers' cases.
    cases = [
        CaseFactory(
            complaint=ComplaintFactory(
                service=instagram, identifiers=[("account_name", "@everywhere"), ("phone", f"+32470{number:06d}")]
            )
        )
        for number in range(23)
    ]
    client.force_login(reviewer())
    page = client.get(f"/office/cases/{cases[0].reference}/").content.decode()
    shown = [case.reference for case in cases[1:] if f">{case.reference}</a>" in page]
    assert shown == [case.reference for case in cases[-20:]]  # the 20 most recent of the 22 others
    assert "Only the 20 most recent cases are shown." in page
    assert 'href="/office/search/?q=%40everywhere"' in page
    assert len(search_cases(reviewer(), "@everywhere")) == 23
