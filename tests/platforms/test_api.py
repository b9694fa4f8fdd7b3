"""The platform API: tokens, the organisation's own orders only, validation, JSON errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from platforms.models import DisclosureAnswer, DisclosureOrder
from tests.factories import IDENTITY, OrganisationFactory, liaison_of, make_order, officer

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def issued():
    order, liaison = make_order("issued")
    return order, liaison, client_for(liaison)


def assert_error(response, status: int, message: str, field: str | None = None) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status
    assert message in error["message"], error
    if field:
        assert field in str(error["fields"]), error


def test_without_a_valid_token_the_api_answers_401_in_json(issued):
    order, _liaison, _client = issued
    assert_error(APIClient().get("/api/v1/orders/"), 401, "Authentication credentials were not provided.")
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert_error(bad.get(f"/api/v1/orders/{order.reference}/"), 401, "Invalid token.")


def test_a_liaison_lists_and_reads_only_the_orders_of_their_organisation(issued):
    order, _liaison, client = issued
    other_order, _ = make_order("issued")
    listing = client.get("/api/v1/orders/").json()
    assert [row["reference"] for row in listing["results"]] == [order.reference]
    detail = client.get(f"/api/v1/orders/{order.reference}/").json()
    assert detail["state"] == "issued" and detail["due_on"] == order.due_on.isoformat()
    assert detail["identifiers"] == [{"kind": "account_name", "value": "@unknown_sender"}]
    assert "complainant" not in str(detail).lower()

    for url in [
        f"/api/v1/orders/{other_order.reference}/",
        f"/api/v1/orders/{other_order.reference}/acknowledge/",
        f"/api/v1/orders/{other_order.reference}/answer/",
    ]:
        method = client.get if url.endswith("/") and "acknowledge" not in url and "answer" not in url else client.post
        assert_error(method(url, {}, format="json"), 404, "No such order for your organisation.")
    assert DisclosureOrder.objects.get(pk=other_order.pk).state == "issued"


def test_the_order_pdf_is_served_to_its_organisation_only(issued, django_capture_on_commit_callbacks):
    order, _liaison, client = issued
    from ombudsman.letters.models import LetterRequest
    from ombudsman.letters.services import render_letter

    letter = render_letter(LetterRequest.objects.get(kind="disclosure_order").pk)
    detail = client.get(f"/api/v1/orders/{order.reference}/").json()
    assert detail["letters"][0]["sha256"] == letter.sha256
    pdf = client.get(detail["letters"][0]["pdf_url"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    stranger = client_for(liaison_of(OrganisationFactory()))
    assert stranger.get(f"/api/v1/orders/{order.reference}/letters/{letter.pk}/pdf").status_code == 404


def test_acknowledge_extension_and_answer_through_the_api(issued):
    order, _liaison, client = issued
    ack = client.post(f"/api/v1/orders/{order.reference}/acknowledge/", {"expected_state": "issued"}, format="json")
    assert ack.status_code == 200 and ack.json()["state"] == "acknowledged"
    assert_error(
        client.post(f"/api/v1/orders/{order.reference}/acknowledge/", {}, format="json"),
        409,
        "This order changed meanwhile",
    )
    answer = client.post(
        f"/api/v1/orders/{order.reference}/answer/",
        {"outcome": "identity", "identity": IDENTITY, "expected_state": "acknowledged"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    stored = DisclosureAnswer.objects.get(pk=answer.json()["answer_id"])
    assert stored.channel == "api" and stored.names_holder
    assert stored.unseal_identity()["ip_addresses"][0] == {
        "address": "81.82.83.84",
        "port": 51234,
        "timestamp": "2026-11-20T20:35:00+00:00",
    }


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"outcome": "identity"}, "identity", "Give at least one item of identity data."),
        ({"outcome": "maybe"}, "outcome", "is not a valid choice"),
        ({"outcome": "refusal"}, "refusal_reasons", "A refusal states its reasons."),
        ({"outcome": "no_data", "identity": {"holder_name": "X"}}, "identity", "goes with the outcome"),
        ({"outcome": "identity", "identity": {"phone": "0470 99 88 77"}}, "phone", "E.164"),
        ({"outcome": "identity", "identity": {"phone": "+3247"}}, "phone", "E.164"),
        ({"outcome": "identity", "identity": {"email": "not-an-address"}}, "email", "valid email"),
        (
            {
                "outcome": "identity",
                "identity": {"ip_addresses": [{"address": "999.1.1.1", "timestamp": "2026-11-20T20:35:00Z"}]},
            },
            "address",
            "valid IPv4 or IPv6",
        ),
        (
            {
                "outcome": "identity",
                "identity": {
                    "ip_addresses": [{"address": "81.82.83.84", "port": 70000, "timestamp": "2026-11-20T20:35:00Z"}]
                },
            },
            "port",
            "less than or equal to 65535",
        ),
        (
            {
                "outcome": "identity",
                "identity": {"ip_addresses": [{"address": "81.82.83.84", "timestamp": "2026-11-20T20:35:00"}]},
            },
            "timestamp",
            "Give the time zone",
        ),
        (
            {"outcome": "identity", "identity": {"ip_addresses": [{"address": "81.82.83.84"}]}},
            "timestamp",
            "This field is required.",
        ),
        ({"outcome": "identity", "identity": {"account": {"created_at": "yesterday"}}}, "created_at", "wrong format"),
        ("not json at all", None, "JSON parse error"),
    ],
)
def test_every_invalid_answer_gets_a_clear_json_error_and_changes_nothing(issued, body, field, message):
    order, _liaison, client = issued
    if isinstance(body, str):
        response = client.post(f"/api/v1/orders/{order.reference}/answer/", body, content_type="application/json")
    else:
        response = client.post(f"/api/v1/orders/{order.reference}/answer/", body, format="json")
    assert_error(response, 400, message, field)
    assert DisclosureOrder.objects.get(pk=order.pk).state == "issued"
    assert not DisclosureAnswer.objects.exists()


def test_extension_request_validation(issued):
    order, _liaison, client = issued
    url = f"/api/v1/orders/{order.reference}/extension-request/"
    assert_error(client.post(url, {"until": "2026-02-30", "reasons": "x"}, format="json"), 400, "wrong format", "until")
    assert_error(
        client.post(url, {"until": order.due_on.isoformat(), "reasons": "Need time"}, format="json"),
        400,
        "after the current due date",
        "until",
    )
    assert_error(
        client.post(url, {"until": (order.due_on + timedelta(days=3)).isoformat()}, format="json"),
        400,
        "This field is required.",
        "reasons",
    )
    ok = client.post(
        url, {"until": (order.due_on + timedelta(days=3)).isoformat(), "reasons": "Data abroad"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["state"] == "extension_requested"


def test_an_unknown_state_filter_is_refused(issued):
    _order, _liaison, client = issued
    assert_error(client.get("/api/v1/orders/", {"state": "lost"}), 400, "Unknown state", "state")


def test_officers_and_others_have_no_orders_in_the_api(issued):
    order, _liaison, _client = issued
    client = client_for(officer())
    assert client.get("/api/v1/orders/").json()["results"] == []
    assert client.get(f"/api/v1/orders/{order.reference}/").status_code == 404


def test_the_openapi_schema_and_its_page_are_published_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/orders/{reference}/answer/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "cdn." not in body and "unpkg" not in body and "/static/drf_spectacular_sidecar/" in body


def test_a_liaison_creates_a_token_in_the_portal_and_the_old_one_stops_working(client):
    _order, liaison = make_order("issued")
    client.force_login(liaison)
    first = client.post("/portal/api-token/").context["token"]
    assert APIClient(HTTP_AUTHORIZATION=f"Token {first}").get("/api/v1/orders/").status_code == 200
    page = client.get("/portal/api-token/").content.decode()
    assert first not in page and "You have a token" in page
    second = client.post("/portal/api-token/").context["token"]
    assert second != first
    assert APIClient(HTTP_AUTHORIZATION=f"Token {first}").get("/api/v1/orders/").status_code == 401
    client.force_login(officer())
    assert client.get("/portal/api-token/").status_code == 404


def test_an_unknown_api_address_is_a_json_404(client, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "Page not found" in client.get("/office/nothing-here/").content.decode()


def test_absurd_paging_values_are_bounded_not_failures(issued):
    _order, _liaison, client = issued
    response = client.get("/api/v1/orders/", {"offset": 10**19, "limit": 10**20})
    assert response.status_code == 200 and response.json()["results"] == []
    assert client.get("/api/v1/orders/", {"offset": -5, "limit": "x"}).status_code == 200
