"""Queueing Celery tasks from use cases."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args: Any) -> None:
    """Queue `task` once the current transaction commits.

    A broker outage must not turn a committed change into an error page: the work stays
    recorded in the database and the periodic sweeps queue it again."""

    def _send() -> None:
        try:
            task.delay(*args)
        except Exception:
            logger.exception("Could not queue %s%r; the periodic sweep will retry it", task.name, args)

    transaction.on_commit(_send)
