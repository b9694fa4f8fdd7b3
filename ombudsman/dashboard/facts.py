"""What the statistics count, in one place: the live computation and the summaries built from it
(ombudsman.dashboard.summaries) use the same definitions, so both give the same figures.

What can no longer change, and so may be summarised:
- an ended case (closed or withdrawn: no transition leaves these states) keeps its submission
  time, service, offence categories, state and closure day;
- a finished order (fulfilled or withdrawn, with `closed_at`; escalated, with `escalated_at`: no
  transition leaves these states, and answers are only accepted while the order awaits them)
  keeps its issue time, organisation, due date, acknowledgement, first answer and overdue mark.
The summaries hold those that ended or finished on or before the day they were built up to (the
day before they were built: closures and answers carry the day they happen, never an earlier one).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cases.models import CaseState
from platforms.models import ACTIVE_ORDER_STATES, DisclosureAnswer, OrderState, order

BRUSSELS = ZoneInfo(settings.TIME_ZONE)

ENDED_CASE_STATES = [CaseState.CLOSED.value, CaseState.WITHDRAWN.value]
UNENDED_CASE_STATES = [state for state in CaseState.values if state not in ENDED_CASE_STATES]
# The lists of the order's partial indexes (order_running_issued, order_finished_at); closed_at is
# the end of a fulfilled or withdrawn order, escalated_at that of an escalated one.
FINISHED_ORDER_STATES = [str(state) for state in order.FINISHED_ORDER_STATES]
UNFINISHED_ORDER_STATES = [str(state) for state in ACTIVE_ORDER_STATES]
assert sorted(FINISHED_ORDER_STATES + UNFINISHED_ORDER_STATES) == sorted(OrderState.values)  # every state is one
FINISHED_AT = Coalesce("closed_at", "escalated_at")

# Per order, with `first_answer_at` annotated (first_answer()).
ACKNOWLEDGED_IN_TIME = Q(acknowledged_at__date__lte=F("due_on"))
ANSWERED_IN_TIME = Q(first_answer_at__date__lte=F("due_on"))
OVERDUE = Q(overdue_since__isnull=False)
ESCALATED = Q(escalated_at__isnull=False)
# Days from issue to first answer, over a query selecting first_answer_at and issued_at; as
# double precision, what percentile_cont orders by (so a summary can keep the exact values).
DAYS_TO_ANSWER_SQL = "(EXTRACT(EPOCH FROM (first_answer_at - issued_at)) / 86400)::double precision"
# Days from submission (its day in Brussels) to closure, over a query selecting closed_on and
# submitted_at; one parameter: the time zone.
HANDLING_DAYS_SQL = "closed_on - (submitted_at AT TIME ZONE %s)::date"


def first_answer() -> Subquery:
    return Subquery(
        DisclosureAnswer.objects.filter(order=OuterRef("pk")).order_by("answered_at").values("answered_at")[:1]
    )


def day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of `start` to the end of `end` in Brussels, as aware datetimes: a range on
    the column itself, which its index serves (a condition on its local date would not)."""
    return day_start(start), day_start(end + timedelta(days=1))


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BRUSSELS)


def summarised_cases(cut: date) -> Q:
    """The cases a summary built up to `cut` holds."""
    return Q(state__in=ENDED_CASE_STATES, closed_on__lte=cut)


def unsummarised_cases(cut: date) -> Q:
    """Exactly the others (written without NOT, so the indexes on state and on closed_on serve)."""
    return Q(state__in=UNENDED_CASE_STATES) | Q(state__in=ENDED_CASE_STATES) & (
        Q(closed_on__gt=cut) | Q(closed_on__isnull=True)
    )


def finished_orders(orders: QuerySet) -> QuerySet:
    """`orders` with `finished_at`: when a finished order was closed (fulfilled, withdrawn) or
    escalated; the expression of the partial index order_finished_at."""
    return orders.alias(finished_at=FINISHED_AT)


def summarised_orders(cut: date) -> Q:
    """The orders (issued) a summary built up to `cut` holds: finished before the next day began.
    Over finished_orders()."""
    return Q(state__in=FINISHED_ORDER_STATES, finished_at__lt=day_start(cut + timedelta(days=1)))


def unsummarised_orders(cut: date) -> Q:
    """Exactly the others (written without NOT, so the partial indexes order_unfinished_issued and
    order_finished_at serve)."""
    return Q(state__in=UNFINISHED_ORDER_STATES) | Q(state__in=FINISHED_ORDER_STATES) & (
        Q(finished_at__gte=day_start(cut + timedelta(days=1))) | Q(finished_at__isnull=True)
    )
