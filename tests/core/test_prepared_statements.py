"""A complaint's long statement is parsed and planned once per connection (a prepared statement)
once it ran five times there; Django's own queries are not prepared; a complaint that fails
leaves the next one working."""

from __future__ import annotations

import pytest
from django.db import connection

import cases.services.intake
from cases.models import Case
from ombudsman.audit.services import find_broken_links
from tests.cases.helpers import complaint_post
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def prepared_statements() -> dict[str, int]:
    """The statements this connection has prepared, by their first words: how often each ran."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return {" ".join(statement.split()[:4]): runs for statement, runs in cursor.fetchall()}


def submit(client, service) -> int:
    return client.post("/complaint/", complaint_post(service)).status_code


def test_a_complaints_statement_is_prepared_once_and_djangos_queries_are_not(client):
    service = ServiceFactory(name="Instagram")
    for _ in range(5):
        assert submit(client, service) == 302
    assert prepared_statements() == {}  # not yet worth keeping

    for _ in range(2):
        assert submit(client, service) == 302
    assert Case.objects.count() == 7
    statements = prepared_statements()
    assert statements["WITH new_case AS MATERIALIZED"] == 2  # the case and its rows: runs 6 and 7
    assert statements["WITH new_events AS (INSERT"] == 2  # the audit event and the trail's head
    assert not any("cases_case" in statement and "SELECT" in statement for statement in statements)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%COUNT(*)%cases_case%'")
        assert cursor.fetchone() == (0,)


def test_a_complaint_that_fails_after_its_statement_leaves_the_next_one_working(client, monkeypatch):
    service = ServiceFactory(name="Instagram")
    for _ in range(6):
        assert submit(client, service) == 302

    def trail_unavailable(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    with monkeypatch.context() as patched:
        patched.setattr(cases.services.intake, "append_events", trail_unavailable)
        with pytest.raises(RuntimeError):
            submit(client, service)
    assert Case.objects.count() == 6

    assert submit(client, service) == 302
    assert Case.objects.count() == 7
    assert list(find_broken_links()) == []
