"""The retention date rule: a period of N years runs from the day a case was closed (or
withdrawn) to its anniversary, inclusive; the purge erases the data from the day after."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q

from cases.models import CaseState

# The closing transitions (close, lapse, withdraw) set `closed_on`; the period runs from it.
ENDED_STATES = (CaseState.CLOSED, CaseState.WITHDRAWN)


def closed_before(today: date, years: int) -> date:
    """Cases closed before this date are past a period of `years` on `today`."""
    return today - relativedelta(years=years)


def erased_on(closed_on: date, years: int) -> date:
    """The first day on which data kept `years` after `closed_on` is erased."""
    return closed_on + relativedelta(years=years) + timedelta(days=1)


def past_period(years: int, today: date) -> Q:
    """The cases whose period of `years` after closure is over on `today`."""
    return Q(state__in=ENDED_STATES, closed_on__lt=closed_before(today, years))


def is_past_period(case: object, years: int, today: date) -> bool:
    closed_on = getattr(case, "closed_on", None)
    return (
        getattr(case, "state", None) in ENDED_STATES
        and closed_on is not None
        and closed_on < closed_before(today, years)
    )


def identity_years() -> int:
    return settings.RETENTION_IDENTITY_YEARS


def case_years() -> int:
    return settings.RETENTION_CASE_YEARS
