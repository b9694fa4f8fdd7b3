"""The one date rule of the project: Belgian Judicial Code, articles 52 and 53.

The day of the event is not counted; the last day is; a last day that falls on a
Saturday, Sunday or legal holiday moves to the next working day. Legal holidays come
from the `holidays` package (BE); an administrator can add closure days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

import holidays

from ombudsman.core.cache import cached_reference_data

CLOSURE_DAYS_CACHE_KEY = "deadlines:closure-days"


@lru_cache(maxsize=64)
def _belgian_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("BE", years=year))


def is_legal_holiday(day: date) -> bool:
    return day in _belgian_holidays(day.year)


def is_working_day(day: date, closure_days: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < 5 and not is_legal_holiday(day) and day not in closure_days


def due_date(start: date, days: int, is_working: Callable[[date], bool]) -> date:
    """The pure rule: `days` after `start` (start not counted), moved to a working day."""
    if days < 0:
        raise ValueError("a time limit cannot be negative")
    last = start + timedelta(days=days)
    while not is_working(last):
        last += timedelta(days=1)
    return last


def legal_due_date(start: date, days: int) -> date:
    """The last day to act on, `days` calendar days after the event of `start`."""
    closures = all_closure_days()
    return due_date(start, days, lambda day: is_working_day(day, closures))


def add_working_days(start: date, working_days: int, closure_days: frozenset[date] | None = None) -> date:
    """The date `working_days` working days after `start` (for reminders and similar);
    `closure_days` when the caller already read them."""
    day = start
    if closure_days is None:
        closure_days = all_closure_days()
    remaining = working_days
    step = 1 if working_days >= 0 else -1
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day, closure_days):
            remaining -= step
    return day


def all_closure_days() -> frozenset[date]:
    """Every closure day an administrator set, from the shared cache: every complaint and order
    computes a deadline, and the days change a few times a year (the app clears the entry)."""

    def read() -> frozenset[date]:
        from ombudsman.deadlines.models import ClosureDay

        return frozenset(ClosureDay.objects.values_list("day", flat=True))

    return cached_reference_data(CLOSURE_DAYS_CACHE_KEY, read)
