"""Liveness of the parts the product depends on, and what operators watch: the backlog of each
queue and the age of the last deadline sweep."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from ombudsman.celery import app as celery_app

logger = logging.getLogger(__name__)


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:
        logger.warning("health: database unavailable: %s", exc)
        return "unavailable"


def check_broker() -> tuple[str, dict[str, int | None]]:
    """The broker's state and the number of messages waiting in each queue."""
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
            channel = conn.default_channel
            backlog = {}
            for queue in settings.CELERY_TASK_QUEUES:
                try:
                    backlog[queue.name] = channel.queue_declare(queue=queue.name, passive=True).message_count
                except Exception:
                    backlog[queue.name] = None  # not declared yet: no worker has started on it
        return "ok", backlog
    except Exception as exc:
        logger.warning("health: broker unavailable: %s", exc)
        return "unavailable", {}


def last_sweep_age_seconds() -> int | None:
    from ombudsman.deadlines.models import SweepRun

    finished = (
        SweepRun.objects.filter(finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
    ).first()
    return int((timezone.now() - finished).total_seconds()) if finished else None


def failed_letters() -> int:
    """Letter requests whose automatic retries ran out (listed for administrators in the admin)."""
    from ombudsman.letters.models import LetterRequest

    return LetterRequest.objects.failed().count()


def health_report() -> dict[str, Any]:
    database = check_database()
    broker, backlog = check_broker()
    report: dict[str, Any] = {"database": database, "broker": broker, "queues": backlog}
    report["last_sweep_age_seconds"] = last_sweep_age_seconds() if database == "ok" else None
    report["failed_letters"] = failed_letters() if database == "ok" else None
    return report
