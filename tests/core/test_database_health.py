"""A kept database connection is checked without a round trip, and one the server ended is
replaced before a request uses it."""

from __future__ import annotations

import select
import time
from unittest import mock

import psycopg
import pytest
from django.db import connection, connections

from cases.models import Case


def _start_of_a_request() -> None:
    connection.close_if_unusable_or_obsolete()  # what Django does when a request starts


def _the_server_ends(kept) -> None:
    """The server ends the connection, as a restart would; wait until its socket says so."""
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [kept.info.backend_pid])
    deadline = time.monotonic() + 10
    while not select.select([kept.fileno()], [], [], 0.1)[0] and time.monotonic() < deadline:
        pass


@pytest.mark.django_db(transaction=True)
def test_a_healthy_connection_is_kept_without_a_query_and_an_ended_one_is_replaced():
    assert connection.health_check_enabled
    connection.ensure_connection()
    kept = connection.connection

    _start_of_a_request()
    with mock.patch.object(type(connections["default"]), "is_usable", side_effect=AssertionError("SELECT 1 was sent")):
        assert Case.objects.count() == 0
    assert connection.connection is kept

    # The server ends the connection (as a restart would): the next request checks it, finds it
    # gone and opens another; its query succeeds.
    _the_server_ends(kept)
    _start_of_a_request()
    assert Case.objects.count() == 0
    assert connection.connection is not kept


@pytest.mark.django_db(transaction=True)
def test_a_prepared_statement_after_the_server_ended_the_connection_runs_on_a_new_one():
    connection.ensure_connection()
    kept = connection.connection
    _the_server_ends(kept)
    _start_of_a_request()
    with connection.prepared_cursor() as cursor:  # a complaint's first statement of the request
        cursor.execute("SELECT %s + 1", [1])
        assert cursor.fetchone() == (2,)
    assert connection.connection is not kept
