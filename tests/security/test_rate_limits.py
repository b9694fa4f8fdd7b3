"""The API limits the requests of each liaison. (The login lock-out is in tests/core/test_platform.py,
the public form's limit per address in tests/cases/test_intake.py.)"""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from tests.factories import make_order

pytestmark = pytest.mark.django_db


def api_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def test_a_liaison_over_the_rate_gets_429_and_others_do_not(monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "rate", "3/min", raising=False)  # API_RATE_LIMIT
    (_order, meta), (_other, snap) = make_order("issued"), make_order("issued")
    meta_api, snap_api = api_client(meta), api_client(snap)
    assert [meta_api.get("/api/v1/orders/").status_code for _ in range(3)] == [200, 200, 200]
    refused = meta_api.get("/api/v1/orders/")
    assert refused.status_code == 429
    assert refused.json()["error"]["status"] == 429
    assert "Request was throttled" in refused.json()["error"]["message"]
    assert int(refused["Retry-After"]) > 0
    assert snap_api.get("/api/v1/orders/").status_code == 200
