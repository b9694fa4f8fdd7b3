"""The periodic deadline sweep. Each app registers the deadlines it owns; one sweep runs
them all, so every due date of the project is enforced the same way.

A sweeper selects what is due in the database (anything past due, not only what fell
due since the last run, so the sweep catches up after downtime), locks it with
`select_for_update(skip_locked=True)` in batches (so several workers can sweep at once),
applies each change once (what was handled is no longer selected, so a second run
changes nothing) and queues its letters after commit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from django.utils import timezone

from ombudsman.deadlines.models import SweepRun

logger = logging.getLogger(__name__)

Sweeper = Callable[[date], int]
_SWEEPERS: dict[str, Sweeper] = {}


def register_sweeper(name: str) -> Callable[[Sweeper], Sweeper]:
    def decorator(function: Sweeper) -> Sweeper:
        _SWEEPERS[name] = function
        return function

    return decorator


def sweep_deadlines(today: date | None = None) -> dict[str, int]:
    """Run every registered sweeper for `today` (default: today in Brussels)."""
    today = today or timezone.localdate()
    run = SweepRun.objects.create(today=today, started_at=timezone.now())
    results = {}
    for name, sweeper in sorted(_SWEEPERS.items()):
        results[name] = sweeper(today)
    SweepRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), results=results)
    if any(results.values()):
        logger.info("deadline sweep for %s: %s", today, results)
    return results
