"""Django's PostgreSQL backend with a health check that needs no round trip, and prepared
statements for the long statements of the busiest paths.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every request on a
kept connection: one round trip in six of a public complaint. A server that ended a connection
(a restart, a terminated backend, an idle timeout) has sent its goodbye and closed the socket,
which then reads as ready without any query: only such a connection gets Django's `SELECT 1`,
and is replaced when it fails. Written by hand: neither Django nor psycopg offers this check.

A public complaint is one long statement (the case and its rows, see cases.services.intake):
PostgreSQL spent half a millisecond planning it each time. `prepared_cursor()` sends such a
statement with its parameters apart, and psycopg has the server prepare a statement that ran
five times on a connection (its own rule, which Django turns off): the server then parses and
plans it once per connection and keeps it. Django offers server-side binding only for every
query of a connection, and its own cursors, which bind on the client, are never prepared."""

from __future__ import annotations

import select
from typing import Any

import psycopg
from django.db.backends.postgresql import base, operations

PREPARE_AFTER_RUNS = 5  # psycopg's default: a statement run once is not worth keeping


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str | None:
        if isinstance(cursor, PreparedStatementCursor):
            # The statement and its parameters went apart: the query log shows them as one, as
            # it shows Django's own queries.
            try:
                return self.compose_sql(sql, params)
            except psycopg.errors.DataError:
                return sql
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params: dict) -> Any:
        connection = super().get_new_connection(conn_params)
        if connection.prepare_threshold is None:
            # Django's default, under which psycopg prepares nothing; its own cursors bind on the
            # client and are never prepared, so this concerns only `prepared_cursor()`.
            connection.prepare_threshold = PREPARE_AFTER_RUNS
        return connection

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and not self.connection.closed
            and not _has_unasked_input(self.connection.fileno())
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def prepared_cursor(self) -> Any:
        """A cursor that sends parameters apart from the statement, which the server prepares once
        it ran PREPARE_AFTER_RUNS times on the connection; wrapped as Django wraps its own
        cursors (query log, execute wrappers), after the same health check as theirs."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparedStatementCursor(self.connection))


def _has_unasked_input(socket: int) -> bool:
    """Whether the server sent something (or closed the socket) while no query was running."""
    readable, _, _ = select.select([socket], [], [], 0)
    return bool(readable)


class PreparedStatementCursor(base.ServerBindingCursor):
    """Sends its parameters apart from the statement (server-side binding)."""
