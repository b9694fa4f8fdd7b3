"""Django's PostgreSQL backend with a health check that needs no round trip.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every request on a
kept connection: one round trip in six of a public complaint. A server that ended a connection
(a restart, a terminated backend, an idle timeout) has sent its goodbye and closed the socket,
which then reads as ready without any query: only such a connection gets Django's `SELECT 1`,
and is replaced when it fails. Written by hand: neither Django nor psycopg offers this check."""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
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


def _has_unasked_input(socket: int) -> bool:
    """Whether the server sent something (or closed the socket) while no query was running."""
    readable, _, _ = select.select([socket], [], [], 0)
    return bool(readable)
