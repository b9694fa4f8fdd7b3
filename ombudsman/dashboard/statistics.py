"""The cooperation scoreboard and the office's statistics: aggregate queries only, so they
stay fast on a national archive. Medians use PostgreSQL's percentile_cont; the SQLite trial
computes them in Python.

On PostgreSQL each table adds up the daily summaries (ombudsman.dashboard.summaries: the cases
ended and the orders finished up to the day they reach) and computes the rest live; the figures
are those of a computation over every case and order (`use_summaries=False`), to the last row."""

from __future__ import annotations

import math
import statistics as pystats
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseState, OffenceCategory
from enforcement.models import SanctionProcedure
from enforcement.models.procedure import FINE_STATES
from ombudsman.dashboard import facts, summaries
from ombudsman.dashboard.models import CaseDaySummary, CategoryDaySummary, ClosureDaySummary, OrderDaySummary
from platforms.models import DisclosureOrder, Organisation

BRUSSELS = facts.BRUSSELS


@dataclass(frozen=True)
class Table:
    """A titled table: the page shows it (and its chart), the CSV export writes it."""

    key: str
    title: Any
    columns: list[Any]
    rows: list[list[Any]]
    chart_column: int | None = None  # the column drawn as bars


@contextmanager
def snapshot() -> Iterator[None]:
    """Read the summaries, the day they reach and the live rows in one snapshot (one repeatable-read
    transaction), so a build committing meanwhile cannot count a case twice or not at all."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # The queries read a few thousand rows each: compiling them (JIT, triggered by the
            # planner's cost of the per-order subqueries) took longer than running them, and the
            # median's sort of 300,000 days to answer over ten years fits in memory.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def _in_snapshot(function: Callable) -> Callable:
    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with snapshot():
            return function(*args, **kwargs)

    return wrapper


def _cut(use_summaries: bool) -> date | None:
    """The day the summaries reach, or None to compute everything live."""
    return summaries.summarised_to() if use_summaries else None


def _median(values: list[float]) -> float | None:
    return round(pystats.median(values), 1) if values else None


def _weighted_median(counts: Counter) -> float | None:
    """percentile_cont(0.5) of whole numbers given as value: how many, computed as PostgreSQL
    does (the two middle values, interpolated in double precision)."""
    total = sum(counts.values())
    if not total:
        return None
    position = 0.5 * (total - 1)
    low_row, high_row = math.floor(position), math.ceil(position)
    low = high = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if low is None and low_row < seen:
            low = float(value)
        if high_row < seen:
            high = float(value)
            break
    return round(low + (position - low_row) * (high - low), 1)


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    """Largest count first; equal counts by code, so the order does not depend on the query plan."""
    return -item[1], item[0]


def _month(value: date) -> str:
    return value.strftime("%Y-%m")


def _orders_in(start: date, end: date, cut: date | None) -> QuerySet:
    since, until = facts.day_range(start, end)
    orders = DisclosureOrder.objects.filter(issued_at__gte=since, issued_at__lt=until)
    return orders if cut is None else facts.finished_orders(orders).filter(facts.unsummarised_orders(cut))


ORDER_COLUMNS = ("received", "acknowledged_in_time", "answered_in_time", "overdue", "escalated")


def _order_figures(start: date, end: date, cut: date | None, by_month: bool) -> dict[Any, Counter]:
    """Per organisation (or month of issue): the orders received, acknowledged and answered in
    time, overdue and escalated."""
    totals: dict[Any, Counter] = defaultdict(Counter)
    live = _orders_in(start, end, cut).annotate(first_answer_at=facts.first_answer())
    if by_month:
        live = live.annotate(group=TruncMonth("issued_at", tzinfo=BRUSSELS))
    key = "group" if by_month else "organisation_id"
    rows = (
        live.values(key)
        .annotate(
            received=Count("id"),
            acknowledged_in_time=Count("id", filter=facts.ACKNOWLEDGED_IN_TIME),
            answered_in_time=Count("id", filter=facts.ANSWERED_IN_TIME),
            overdue=Count("id", filter=facts.OVERDUE),
            escalated=Count("id", filter=facts.ESCALATED),
        )
        .order_by()
    )
    for row in rows:
        totals[_month(row[key]) if by_month else row[key]].update({column: row[column] for column in ORDER_COLUMNS})
    if cut is not None:
        summary = OrderDaySummary.objects.filter(issued_on__gte=start, issued_on__lte=end)
        if by_month:
            summary = summary.annotate(group=TruncMonth("issued_on"))
        for row in summary.values(key).annotate(**{column: Sum(column) for column in ORDER_COLUMNS}).order_by():
            totals[_month(row[key]) if by_month else row[key]].update({column: row[column] for column in ORDER_COLUMNS})
    return totals


def _median_days_to_answer(start: date, end: date, cut: date | None) -> dict[int, float | None]:
    """Median days from issue to first answer, per organisation."""
    answered = (
        _orders_in(start, end, cut).annotate(first_answer_at=facts.first_answer()).filter(first_answer_at__isnull=False)
    )
    if connection.vendor == "postgresql":
        columns = ("organisation_id", "first_answer_at", "issued_at")
        sql, params = answered.order_by().values(*columns).query.sql_with_params()
        union = ""
        if cut is not None:
            summary = OrderDaySummary.objects.filter(issued_on__gte=start, issued_on__lte=end)
            summary_sql, summary_params = summary.values("organisation_id", "days_to_answer").query.sql_with_params()
            union = f" UNION ALL SELECT organisation_id, unnest(days_to_answer) FROM ({summary_sql}) AS summary"  # noqa: S608 (our own query)
            params = (*params, *summary_params)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT organisation_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM ("  # noqa: S608 (our own query)
                f"SELECT organisation_id, {facts.DAYS_TO_ANSWER_SQL} AS days FROM ({sql}) AS live{union}"
                ") AS answered GROUP BY organisation_id",
                params,
            )
            return {key: round(value, 1) for key, value in cursor.fetchall()}
    days: dict[Any, list[float]] = {}
    for key, answered_at, issued_at in answered.values_list("organisation_id", "first_answer_at", "issued_at"):
        days.setdefault(key, []).append((answered_at - issued_at).total_seconds() / 86400)
    return {key: _median(values) for key, values in days.items()}


@_in_snapshot
def scoreboard(start: date, end: date, *, use_summaries: bool = True) -> Table:
    """Per platform and operator: how it cooperated with the orders issued in the period."""
    cut = _cut(use_summaries)
    figures = _order_figures(start, end, cut, by_month=False)
    medians = _median_days_to_answer(start, end, cut)
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
    for organisation_id, name in (
        Organisation.objects.filter(pk__in=list(figures)).order_by("name", "pk").values_list("pk", "name")
    ):
        row = figures[organisation_id]
        fine = fines.get(organisation_id, {})
        table_rows.append(
            [
                name,
                row["received"],
                row["acknowledged_in_time"],
                row["answered_in_time"],
                medians.get(organisation_id),
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


@_in_snapshot
def orders_per_month(start: date, end: date, *, use_summaries: bool = True) -> Table:
    figures = _order_figures(start, end, _cut(use_summaries), by_month=True)
    return Table(
        "orders_per_month",
        _("Orders per month"),
        [_("Month"), _("Orders received"), _("Answered in time"), _("Overdue"), _("Escalated to BIPT")],
        [
            [month, row["received"], row["answered_in_time"], row["overdue"], row["escalated"]]
            for month, row in sorted(figures.items())
        ],
        chart_column=1,
    )


def _cases_in(start: date, end: date, cut: date | None) -> QuerySet:
    since, until = facts.day_range(start, end)
    cases = Case.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
    return cases if cut is None else cases.filter(facts.unsummarised_cases(cut))


def _case_summary(model: type, start: date, end: date, cut: date | None) -> QuerySet:
    """The summary's rows of the period (none when everything is computed live)."""
    rows = model.objects.filter(submitted_on__gte=start, submitted_on__lte=end)
    return rows if cut is not None else rows.none()


@_in_snapshot
def complaints_per_month(start: date, end: date, *, use_summaries: bool = True) -> Table:
    cut = _cut(use_summaries)
    counts: Counter = Counter()
    live = _cases_in(start, end, cut).annotate(month=TruncMonth("submitted_at", tzinfo=BRUSSELS))
    for row in live.values("month").annotate(count=Count("id")).order_by():
        counts[_month(row["month"])] += row["count"]
    summary = _case_summary(CaseDaySummary, start, end, cut).annotate(month=TruncMonth("submitted_on"))
    for row in summary.values("month").annotate(count=Sum("cases")).order_by():
        counts[_month(row["month"])] += row["count"]
    return Table(
        "complaints_per_month",
        _("Complaints per month"),
        [_("Month"), _("Complaints")],
        [[month, count] for month, count in sorted(counts.items())],
        chart_column=1,
    )


@_in_snapshot
def complaints_per_platform(start: date, end: date, *, use_summaries: bool = True) -> Table:
    cut = _cut(use_summaries)
    counts: Counter = Counter()
    name = "service__organisation__name"
    for row in _cases_in(start, end, cut).values(name).annotate(count=Count("id")).order_by():
        counts[row[name]] += row["count"]
    for row in _case_summary(CaseDaySummary, start, end, cut).values(name).annotate(count=Sum("cases")).order_by():
        counts[row[name]] += row["count"]
    # Most complaints first, then by name in the database's collation (Python's sort is stable).
    by_name = Organisation.objects.filter(name__in=list(counts)).order_by("name").values_list("name", flat=True)
    names = list(dict.fromkeys(by_name))
    return Table(
        "complaints_per_platform",
        _("Complaints per platform"),
        [_("Platform"), _("Complaints")],
        sorted(([name, counts[name]] for name in names), key=lambda row: -row[1]),
        chart_column=1,
    )


@_in_snapshot
def complaints_per_category(start: date, end: date, *, use_summaries: bool = True) -> Table:
    cut = _cut(use_summaries)
    cases = _cases_in(start, end, cut)
    if connection.vendor == "postgresql":
        sql, params = cases.order_by().values("offence_categories").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT category, count(*) FROM ("  # noqa: S608 (our own query)
                f"SELECT jsonb_array_elements_text(offence_categories) AS category FROM ({sql}) AS c"
                ") AS categories GROUP BY category",
                params,
            )
            counts = Counter(dict(cursor.fetchall()))
    else:
        counts = Counter(code for codes in cases.values_list("offence_categories", flat=True) for code in codes)
    summary = _case_summary(CategoryDaySummary, start, end, cut)
    for row in summary.values("category").annotate(count=Sum("cases")).order_by():
        counts[row["category"]] += row["count"]
    labels = dict(OffenceCategory.choices)
    return Table(
        "complaints_per_category",
        _("Complaints per offence category"),
        [_("Category"), _("Complaints")],
        [[labels.get(code, code), count] for code, count in sorted(counts.items(), key=_most_first)],
        chart_column=1,
    )


@_in_snapshot
def outcomes(start: date, end: date, *, use_summaries: bool = True) -> Table:
    cut = _cut(use_summaries)
    counts: Counter = Counter()
    for row in _cases_in(start, end, cut).values("state").annotate(count=Count("id")).order_by():
        counts[row["state"]] += row["count"]
    for row in _case_summary(CaseDaySummary, start, end, cut).values("state").annotate(count=Sum("cases")).order_by():
        counts[row["state"]] += row["count"]
    labels = dict(CaseState.choices)
    return Table(
        "outcomes",
        _("Where the complaints stand"),
        [_("State"), _("Complaints")],
        [[str(labels[state]), count] for state, count in sorted(counts.items(), key=_most_first)],
        chart_column=1,
    )


@_in_snapshot
def median_handling_days(start: date, end: date, *, use_summaries: bool = True) -> float | None:
    """Median days from submission to closure of the complaints closed in the period."""
    cut = _cut(use_summaries)
    # Only ended cases carry closed_on; saying so lets the partial index case_ended_closed_on serve.
    closed = Case.objects.filter(state__in=facts.ENDED_CASE_STATES, closed_on__gte=start, closed_on__lte=end)
    if cut is not None:
        # The summary's histogram up to its day, the cases closed since (a handful) live.
        days: Counter = Counter()
        histogram = ClosureDaySummary.objects.filter(closed_on__gte=start, closed_on__lte=min(end, cut))
        for row in histogram.values("handling_days").annotate(count=Sum("cases")).order_by():
            days[row["handling_days"]] += row["count"]
        since_cut = closed.filter(closed_on__gt=cut).order_by().values("closed_on", "submitted_at")
        sql, params = since_cut.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {facts.HANDLING_DAYS_SQL} AS days, count(*) FROM ({sql}) AS closed_cases GROUP BY days",  # noqa: S608 (our own query)
                [settings.TIME_ZONE, *params],
            )
            days.update(dict(cursor.fetchall()))
        return _weighted_median(days)
    if connection.vendor == "postgresql":
        sql, params = closed.order_by().values("closed_on", "submitted_at").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY {facts.HANDLING_DAYS_SQL}) "  # noqa: S608 (our own query)
                f"FROM ({sql}) AS closed_cases",
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
