"""Schemathesis over the published OpenAPI schema: no generated request makes the server fail."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from ombudsman.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def keep_connection():
    """Like Django's test client: a request must not close the test's database connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def liaison_token(db, keep_connection):
    from tests.factories import make_order

    order, liaison = make_order("acknowledged")
    return Token.objects.create(user=liaison).key


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_request_makes_the_api_fail(case, liaison_token):
    case.call_and_validate(headers={"Authorization": f"Token {liaison_token}"}, checks=[not_a_server_error])
