"""Liveness of the parts the product depends on."""

from __future__ import annotations

import logging

from django.db import connection

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


def check_broker() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
            conn.default_channel  # noqa: B018  (opening a channel proves the transport works)
        return "ok"
    except Exception as exc:
        logger.warning("health: broker unavailable: %s", exc)
        return "unavailable"


def health_report() -> dict[str, str]:
    return {"database": check_database(), "broker": check_broker()}
