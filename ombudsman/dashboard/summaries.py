"""The statistics summaries: per day, the cases and orders that can no longer change (see
ombudsman.dashboard.facts), added up once, so the statistics page reads a few thousand rows a year
instead of every case and order. The page adds what is not summarised yet, computed live.

Built incrementally, up to the day before (the nightly task, `manage.py build_statistics_summaries`,
and the end of `manage.py generate_load_data`): each build adds the cases ended and the orders
finished since the previous build, in one transaction that also moves `summarised_to`, so a page
reads either the old summaries and the old boundary or the new ones. A second build for the same
day finds nothing to add. PostgreSQL only: the SQLite trial computes everything live."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.models import Case
from ombudsman.dashboard import facts
from ombudsman.dashboard.models import (
    CaseDaySummary,
    CategoryDaySummary,
    ClosureDaySummary,
    OrderDaySummary,
    SummaryState,
)
from platforms.models import DisclosureOrder

SUMMARIES = (CaseDaySummary, CategoryDaySummary, ClosureDaySummary, OrderDaySummary)


@dataclass
class BuildReport:
    summarised_from: date | None  # the previous boundary (None: built from the start)
    summarised_to: date | None
    rows: dict[str, int] = field(default_factory=dict)  # rows inserted or updated, per summary
    seconds: float = 0.0

    def __str__(self) -> str:
        if self.summarised_to is None:
            return "statistics computed live (SQLite): no summaries"
        added = ", ".join(f"{name} {count:,}" for name, count in self.rows.items()) or "nothing to add"
        return f"statistics summarised to {self.summarised_to} ({added}) in {self.seconds:.1f} s"


def available() -> bool:
    return connection.vendor == "postgresql"


def summarised_to() -> date | None:
    """The day the summaries reach (None: nothing is summarised, everything is computed live)."""
    if not available():
        return None
    return SummaryState.objects.values_list("summarised_to", flat=True).first()


def latest_day() -> date:
    """The last day that may be summarised: yesterday (today's cases may still close today)."""
    return timezone.localdate() - timedelta(days=1)


def build_statistics_summaries(up_to: date | None = None, *, rebuild: bool = False) -> BuildReport:
    """Add to the summaries what ended or finished after the previous build, up to `up_to`
    (default and at most: yesterday). `rebuild`: empty them first and build them from the start."""
    if not available():
        return BuildReport(None, None)
    started = time.perf_counter()
    up_to = min(up_to or latest_day(), latest_day())
    with transaction.atomic():
        SummaryState.objects.get_or_create(pk=1)
        # One build at a time; the page keeps reading the committed summaries meanwhile.
        state = SummaryState.objects.select_for_update().get(pk=1)
        if rebuild:
            for model in SUMMARIES:
                model.objects.all().delete()
            state.summarised_to = None
        previous = state.summarised_to
        report = BuildReport(previous, previous)
        if previous is not None and previous >= up_to:
            report.seconds = time.perf_counter() - started
            return report
        cases = Case.objects.filter(facts.summarised_cases(up_to))
        orders = facts.finished_orders(DisclosureOrder.objects.filter(issued_at__isnull=False))
        orders = orders.filter(facts.summarised_orders(up_to))
        if previous is not None:
            cases = cases.filter(closed_on__gt=previous)
            orders = orders.exclude(facts.summarised_orders(previous))
        report.rows = {
            "cases": _add_cases(cases),
            "categories": _add_categories(cases),
            "closures": _add_closures(cases),
            "orders": _add_orders(orders),
        }
        state.summarised_to, state.built_at = up_to, timezone.now()
        state.save()
        if previous is None:
            _analyse()
    report.summarised_to = up_to
    report.seconds = time.perf_counter() - started
    return report


def _analyse() -> None:
    """Statistics for the planner on the summaries just filled (autovacuum would come later)."""
    with connection.cursor() as cursor:
        for model in SUMMARIES:
            cursor.execute(f"ANALYZE {_table(model)}")


def _execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# Each summary is added to with INSERT ... SELECT ... ON CONFLICT DO UPDATE adding the new counts
# to the day's row: the ORM's upsert (bulk_create with update_conflicts) replaces, it cannot add.


def _submitted_on(cases: QuerySet) -> QuerySet:
    return cases.annotate(submitted_on=TruncDate("submitted_at", tzinfo=facts.BRUSSELS)).order_by()


def _add_cases(cases: QuerySet) -> int:
    sql, params = (
        _submitted_on(cases).values("submitted_on", "service_id", "state").annotate(cases=Count("id")).query
    ).sql_with_params()
    return _execute(
        f"INSERT INTO {_table(CaseDaySummary)} AS summary (submitted_on, service_id, state, cases) "  # noqa: S608 (our own query)
        f"SELECT submitted_on, service_id, state, cases FROM ({sql}) AS new "
        "ON CONFLICT (submitted_on, service_id, state) DO UPDATE SET cases = summary.cases + EXCLUDED.cases",
        params,
    )


def _add_categories(cases: QuerySet) -> int:
    sql, params = _submitted_on(cases).values("submitted_on", "offence_categories").query.sql_with_params()
    return _execute(
        f"INSERT INTO {_table(CategoryDaySummary)} AS summary (submitted_on, category, cases) "  # noqa: S608 (our own query)
        "SELECT submitted_on, category, count(*) FROM ("
        f"SELECT submitted_on, jsonb_array_elements_text(offence_categories) AS category FROM ({sql}) AS c"
        ") AS new GROUP BY submitted_on, category "
        "ON CONFLICT (submitted_on, category) DO UPDATE SET cases = summary.cases + EXCLUDED.cases",
        params,
    )


def _add_closures(cases: QuerySet) -> int:
    sql, params = cases.order_by().values("closed_on", "submitted_at").query.sql_with_params()
    return _execute(
        f"INSERT INTO {_table(ClosureDaySummary)} AS summary (closed_on, handling_days, cases) "  # noqa: S608 (our own query)
        f"SELECT closed_on, {facts.HANDLING_DAYS_SQL}, count(*) FROM ({sql}) AS new GROUP BY 1, 2 "
        "ON CONFLICT (closed_on, handling_days) DO UPDATE SET cases = summary.cases + EXCLUDED.cases",
        [settings.TIME_ZONE, *params],
    )


def _add_orders(orders: QuerySet) -> int:
    orders = orders.annotate(
        first_answer_at=facts.first_answer(), issued_on=TruncDate("issued_at", tzinfo=facts.BRUSSELS)
    ).order_by()
    counts_sql, counts_params = (
        orders.values("issued_on", "organisation_id")
        .annotate(
            received=Count("id"),
            acknowledged_in_time=Count("id", filter=facts.ACKNOWLEDGED_IN_TIME),
            answered_in_time=Count("id", filter=facts.ANSWERED_IN_TIME),
            overdue=Count("id", filter=facts.OVERDUE),
            escalated=Count("id", filter=facts.ESCALATED),
        )
        .query.sql_with_params()
    )
    days_sql, days_params = (
        orders.filter(first_answer_at__isnull=False)
        .values("issued_on", "organisation_id", "first_answer_at", "issued_at")
        .query.sql_with_params()
    )
    columns = ["received", "acknowledged_in_time", "answered_in_time", "overdue", "escalated"]
    return _execute(
        f"INSERT INTO {_table(OrderDaySummary)} AS summary "  # noqa: S608 (our own query)
        f"(issued_on, organisation_id, {', '.join(columns)}, days_to_answer) "
        f"SELECT c.issued_on, c.organisation_id, {', '.join(f'c.{column}' for column in columns)}, "
        "COALESCE(d.days, '{}') "
        f"FROM ({counts_sql}) AS c LEFT JOIN ("
        f"SELECT issued_on, organisation_id, array_agg({facts.DAYS_TO_ANSWER_SQL}) AS days "
        f"FROM ({days_sql}) AS answered GROUP BY issued_on, organisation_id"
        ") AS d ON d.issued_on = c.issued_on AND d.organisation_id = c.organisation_id "
        "ON CONFLICT (issued_on, organisation_id) DO UPDATE SET "
        + ", ".join(f"{column} = summary.{column} + EXCLUDED.{column}" for column in columns)
        + ", days_to_answer = summary.days_to_answer || EXCLUDED.days_to_answer",
        [*counts_params, *days_params],
    )
