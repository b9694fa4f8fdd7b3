"""The cooperation scoreboard and the office's statistics: aggregate queries only, so they
stay fast on a national archive. Medians use PostgreSQL's percentile_cont; the SQLite trial
computes them in Python."""

from __future__ import annotations

import statistics as pystats
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseState, OffenceCategory
from enforcement.models import SanctionProcedure
from enforcement.models.procedure import FINE_STATES
from platforms.models import DisclosureAnswer, DisclosureOrder

BRUSSELS = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Table:
    """A titled table: the page shows it (and its chart), the CSV export writes it."""

    key: str
    title: Any
    columns: list[Any]
    rows: list[list[Any]]
    chart_column: int | None = None  # the column drawn as bars


def _median(values: list[float]) -> float | None:
    return round(pystats.median(values), 1) if values else None


def _day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of `start` to the end of `end` in Brussels, as aware datetimes: a range on
    the column itself, which its index serves (a condition on its local date would not)."""
    return (
        datetime.combine(start, time.min, tzinfo=BRUSSELS),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=BRUSSELS),
    )


def _orders_in(start: date, end: date):
    since, until = _day_range(start, end)
    return DisclosureOrder.objects.filter(issued_at__gte=since, issued_at__lt=until)


def _first_answer() -> Subquery:
    return Subquery(
        DisclosureAnswer.objects.filter(order=OuterRef("pk")).order_by("answered_at").values("answered_at")[:1]
    )


def _median_days_to_answer(orders, group: str) -> dict[Any, float | None]:
    """Median days from issue to first answer, per group (organisation or month)."""
    answered = orders.annotate(first_answer_at=_first_answer()).filter(first_answer_at__isnull=False)
    if connection.vendor == "postgresql":
        sql, params = answered.order_by().values(group, "first_answer_at", "issued_at").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT grouped, percentile_cont(0.5) WITHIN GROUP "  # noqa: S608 (our own query)
                "(ORDER BY EXTRACT(EPOCH FROM (answered - issued)) / 86400) "
                f"FROM (SELECT {_qn(group)} AS grouped, first_answer_at AS answered, issued_at AS issued "
                f"FROM ({sql}) AS inner_orders) AS rows GROUP BY grouped",
                params,
            )
            return {key: round(value, 1) for key, value in cursor.fetchall()}
    days: dict[Any, list[float]] = {}
    for key, answered_at, issued_at in answered.values_list(group, "first_answer_at", "issued_at"):
        days.setdefault(key, []).append((answered_at - issued_at).total_seconds() / 86400)
    return {key: _median(values) for key, values in days.items()}


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def scoreboard(start: date, end: date) -> Table:
    """Per platform and operator: how it cooperated with the orders issued in the period."""
    orders = _orders_in(start, end)
    rows = (
        orders.annotate(first_answer_at=_first_answer())
        .values("organisation_id", "organisation__name")
        .annotate(
            received=Count("id"),
            acknowledged_in_time=Count("id", filter=Q(acknowledged_at__date__lte=F("due_on"))),
            answered_in_time=Count("id", filter=Q(first_answer_at__date__lte=F("due_on"))),
            overdue=Count("id", filter=Q(overdue_since__isnull=False)),
            escalated=Count("id", filter=Q(escalated_at__isnull=False)),
        )
        .order_by("organisation__name")
    )
    medians = _median_days_to_answer(orders, "organisation_id")
    fines = {
        row["referral__organisation_id"]: row
        for row in SanctionProcedure.objects.filter(decided_on__gte=start, decided_on__lte=end)
        .values("referral__organisation_id")
        .annotate(
            fines=Count("id", filter=Q(state__in=[*FINE_STATES, "paid", "under_appeal"], fine_amount__isnull=False)),
            amount=Sum("fine_amount", filter=Q(state__in=[*FINE_STATES, "paid", "under_appeal"])),
        )
    }
    table_rows = []
    for row in rows:
        fine = fines.get(row["organisation_id"], {})
        table_rows.append(
            [
                row["organisation__name"],
                row["received"],
                row["acknowledged_in_time"],
                row["answered_in_time"],
                medians.get(row["organisation_id"]),
                row["overdue"],
                row["escalated"],
                fine.get("fines", 0),
                fine.get("amount") or Decimal(0),
            ]
        )
    return Table(
        "scoreboard",
        _("Cooperation of platforms and operators"),
        [
            _("Organisation"),
            _("Orders received"),
            _("Acknowledged in time"),
            _("Answered in time"),
            _("Median days to answer"),
            _("Overdue"),
            _("Escalated to BIPT"),
            _("Fines"),
            _("Fines (EUR)"),
        ],
        table_rows,
        chart_column=3,
    )


def orders_per_month(start: date, end: date) -> Table:
    orders = _orders_in(start, end).annotate(month=TruncMonth("issued_at", tzinfo=BRUSSELS))
    rows = (
        orders.annotate(first_answer_at=_first_answer())
        .values("month")
        .annotate(
            received=Count("id"),
            answered_in_time=Count("id", filter=Q(first_answer_at__date__lte=F("due_on"))),
            overdue=Count("id", filter=Q(overdue_since__isnull=False)),
            escalated=Count("id", filter=Q(escalated_at__isnull=False)),
        )
        .order_by("month")
    )
    return Table(
        "orders_per_month",
        _("Orders per month"),
        [_("Month"), _("Orders received"), _("Answered in time"), _("Overdue"), _("Escalated to BIPT")],
        [
            [row["month"].strftime("%Y-%m"), row["received"], row["answered_in_time"], row["overdue"], row["escalated"]]
            for row in rows
        ],
        chart_column=1,
    )


def _cases_in(start: date, end: date):
    since, until = _day_range(start, end)
    return Case.objects.filter(submitted_at__gte=since, submitted_at__lt=until)


def complaints_per_month(start: date, end: date) -> Table:
    rows = (
        _cases_in(start, end)
        .annotate(month=TruncMonth("submitted_at", tzinfo=BRUSSELS))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    return Table(
        "complaints_per_month",
        _("Complaints per month"),
        [_("Month"), _("Complaints")],
        [[row["month"].strftime("%Y-%m"), row["count"]] for row in rows],
        chart_column=1,
    )


def complaints_per_platform(start: date, end: date) -> Table:
    rows = (
        _cases_in(start, end)
        .values("service__organisation__name")
        .annotate(count=Count("id"))
        .order_by("-count", "service__organisation__name")
    )
    return Table(
        "complaints_per_platform",
        _("Complaints per platform"),
        [_("Platform"), _("Complaints")],
        [[row["service__organisation__name"], row["count"]] for row in rows],
        chart_column=1,
    )


def complaints_per_category(start: date, end: date) -> Table:
    cases = _cases_in(start, end)
    if connection.vendor == "postgresql":
        sql, params = cases.order_by().values("offence_categories").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT category, count(*) FROM ("  # noqa: S608 (our own query)
                f"SELECT jsonb_array_elements_text(offence_categories) AS category FROM ({sql}) AS c"
                ") AS categories GROUP BY category",
                params,
            )
            counts = dict(cursor.fetchall())
    else:
        counts = Counter(code for codes in cases.values_list("offence_categories", flat=True) for code in codes)
    labels = dict(OffenceCategory.choices)
    rows = sorted(([labels.get(code, code), count] for code, count in counts.items()), key=lambda row: -row[1])
    return Table(
        "complaints_per_category",
        _("Complaints per offence category"),
        [_("Category"), _("Complaints")],
        rows,
        chart_column=1,
    )


def outcomes(start: date, end: date) -> Table:
    labels = dict(CaseState.choices)
    rows = _cases_in(start, end).values("state").annotate(count=Count("id")).order_by("-count")
    return Table(
        "outcomes",
        _("Where the complaints stand"),
        [_("State"), _("Complaints")],
        [[str(labels[row["state"]]), row["count"]] for row in rows],
        chart_column=1,
    )


def median_handling_days(start: date, end: date) -> float | None:
    """Median days from submission to closure of the complaints closed in the period."""
    # Only ended cases carry closed_on; saying so lets the partial index case_ended_closed_on serve.
    ended = [CaseState.CLOSED, CaseState.WITHDRAWN]
    closed = Case.objects.filter(state__in=ended, closed_on__gte=start, closed_on__lte=end)
    if connection.vendor == "postgresql":
        sql, params = closed.order_by().values("closed_on", "submitted_at").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_on - "  # noqa: S608 (our own query)
                "(submitted_at AT TIME ZONE %s)::date) FROM (" + sql + ") AS closed_cases",
                [settings.TIME_ZONE, *params],
            )
            value = cursor.fetchone()[0]
            return round(value, 1) if value is not None else None
    return _median(
        [
            (closed_on - submitted_at.astimezone(BRUSSELS).date()).days
            for closed_on, submitted_at in closed.values_list("closed_on", "submitted_at")
        ]
    )


SCOREBOARD_TABLES = {"scoreboard": scoreboard, "orders_per_month": orders_per_month}
OFFICE_TABLES = {
    "complaints_per_month": complaints_per_month,
    "complaints_per_platform": complaints_per_platform,
    "complaints_per_category": complaints_per_category,
    "outcomes": outcomes,
}
