"""How fast the work queue and the case page answer on a national archive (1,000,000 cases).

    benchmarks/work_queue.py [--cases 1000000] [--rounds 30] [--explain]
    BENCH_REUSE=1 benchmarks/work_queue.py     # measure again on the database already loaded

Server time through Django's test client (middleware, view, queries, template; no network) with
the production settings (DJANGO_DEBUG=0, as `production_environment` sets them),
median and 95th percentile, and the number of SQL queries, for a reviewer (who sees every case)
and for the case officer holding the most cases: the default view with 25 and 100 rows, sorted
by age (the default) and by nearest handling target, on the first page and on a page in the
middle of the list; then the case page. Goal: median under 50 ms, the same number of queries
on every page. --explain prints EXPLAIN ANALYZE of each query slower than 5 ms. The plans
checked are in the notes at the end of this file."""

from __future__ import annotations

import argparse
import os

from common import (
    busiest_officer,
    count_queries,
    figures,
    machine,
    measure,
    prepare,
    production_environment,
    staff_client,
    with_context,
)

GOAL_MS = 50


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    os.environ.update(production_environment())
    prepare(args.cases)
    vacuum_cases()

    from cases.models import Case
    from ombudsman.accounts.models import User
    from ombudsman.audit.models import AuditEvent

    reviewer = User.objects.get(username="load-reviewer-01")
    officer = busiest_officer()
    print(f"{Case.objects.count():,} cases; {machine()}")
    print(f"work queue, {args.rounds} requests each (median / p95 server time, SQL queries):")
    missed = []
    for user, label in [(reviewer, "reviewer"), (officer, f"officer ({officer.assigned_cases.count():,} assigned)")]:
        client = staff_client(user)
        for size in (25, 100):
            for sort in ("oldest", "deadline"):
                params = {"per_page": size, "sort": sort}
                first = with_context(lambda client=client, params=params: client.get("/office/cases/", params))
                assert first.status_code == 200, first.status_code
                middle = max(1, first.context["page"].paginator.num_pages // 2)
                for number in (1, middle):
                    params = {"per_page": size, "sort": sort, "page": number}
                    missed += run(client, label, "/office/cases/", params, args)
        for view in ("mine", "deadline"):
            missed += run(client, label, "/office/cases/", {"view": view}, args)

    # A closed case that went through an order: the longest timeline of the ordinary cases.
    closed = Case.objects.filter(state="closed", orders__isnull=False).order_by("-id").first()
    closed = closed or Case.objects.filter(state="closed").first()
    open_case = Case.objects.filter(assigned_to=officer, state="in_assessment").order_by("-id").first()
    print("case page:")
    events = AuditEvent.objects.for_object(closed).count()
    missed += run(staff_client(reviewer), f"reviewer, closed case ({events} events)", case_url(closed), {}, args)
    if open_case:
        missed += run(staff_client(officer), "its officer, case in assessment", case_url(open_case), {}, args)
    print("goal met" if not missed else f"goal missed: {', '.join(missed)}")


def vacuum_cases() -> None:
    """The cases table as autovacuum keeps it (cases 0008: after some 2,000 changed cases), so that
    the complaints of an intake benchmark run just before do not make the queue read the table."""
    import time

    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) cases_case")
    print(f"cases table vacuumed in {time.perf_counter() - started:.1f} s")


def case_url(case) -> str:
    return f"/office/cases/{case.reference}/"


def run(client, label: str, url: str, params: dict, args) -> list[str]:
    def get():
        response = client.get(url, params)
        assert response.status_code == 200, (url, params, response.status_code)
        return response

    times, _response = measure(get, args.rounds)
    queries = count_queries(get)
    response = with_context(get)
    median, p95 = figures(times)
    page = response.context.get("page") if response.context else None
    shown = ""
    if page is not None:
        count = page.paginator.count
        about = "about " if getattr(page.paginator, "estimated", False) else ""
        shown = f"  page {page.number:,} of {about}{page.paginator.num_pages:,}, {len(page)} rows of {about}{count:,}"
    what = " ".join(f"{key}={value}" for key, value in params.items()) or url
    print(f"  {label:>34} {what:<32} median {median:6.1f} ms  p95 {p95:6.1f} ms  {queries:2} queries{shown}")
    if args.explain:
        explain(get)
    return [f"{label} {what}"] if median >= GOAL_MS else []


def explain(call) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    for query in queries:
        if float(query["time"]) * 1000 < 5 or not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(f"      {row[0]}" for row in cursor.fetchall())
        print(f"    {float(query['time']) * 1000:.1f} ms: {query['sql'][:300]}\n{plan}")


if __name__ == "__main__":
    main()


# Notes: the plans checked (EXPLAIN ANALYZE on 1,000,000 cases, PostgreSQL 15, after VACUUM ANALYZE).
#
# Reviewer, any page: the count reads at most 10,001 index entries ("Limit -> Index Only Scan"),
# beyond which the paginator takes the planner's estimate; the page's ids come from an Index Only
# Scan on (submitted_at, id) or on case_queue_deadline (clock_order, handling_due_on, id), so a
# page in the middle skips 500,000 index entries without touching the table (45-52 ms on the
# third machine, 30 ms on the fourth); the rows of the page are then 25 primary-key lookups
# (under 1 ms). case_queue_deadline was an expression index on CLOCK_LAST with the expression's
# columns included (state, paused_since) for an Index Only Scan: 5,094 buffers for the 500,000
# entries against 1,955 for (submitted_at, id), and its middle pages 8 ms slower than those of the
# oldest-first order. Since cases 0009 CLOCK_LAST is a generated column (clock_order) and the index
# holds three narrow columns: 1,995 buffers, the same time as oldest first.
# Index Only Scan reads the table for every entry on a page that VACUUM has not marked all-visible:
# 35,000 complaints added by intake runs (not enough for autovacuum's default 20%) made the same
# page read 154,069 rows of the table (Heap Fetches) and take 211 ms instead of 36 ms. Cases 0008
# has autovacuum visit the table after some 2,000 changed cases; the benchmark vacuums first.
#
# Near-deadline view: the condition is the leading columns of case_queue_deadline (clock_order = 0
# and handling_due_on <= horizon), one range of that index: 0.01 ms. Written as "state IN (...) AND
# paused_since IS NULL AND handling_due_on <= horizon" the planner estimated 9,108 rows for 13
# and walked the submitted_at index over 972,629 rows (350 ms).
#
# Case officer: the queue is two branches, the intake queue (owner 0) and the officer's own cases
# (owner = the officer), each an Index Scan of case_queue_owner (owner, submitted_at, id) or
# case_queue_owner_deadline (owner, clock_order, handling_due_on, id) in order; the paginator
# merges their heads (3-5 ms for a page in the middle of 11,000). Read as one query with
# "assigned_to = me OR (intake)", or "id IN (permissions)", PostgreSQL either walked the
# submitted_at index until the officer's first case (627,336 rows) or joined and sorted all of
# the officer's 34,716 cases (150-300 ms).
# Counting the officer's branch (10,001 entries at most) was an Index Scan that read the table
# (8,711 buffers, 16 ms): PostgreSQL reads an expression index alone only if it holds the columns
# the expression is made of. With assigned_to among the included columns (cases 0007) it is an
# Index Only Scan with no heap fetch, and the officer's first page went from 94 to 70 ms
# (--explain, 3 rounds). The "mine" view still filters the officer's 33,684 cases by state in the
# index (Index Only Scan, 31,821 rows removed by the filter, 15 ms): the planner expects one row.
#
# Linked flags: the page's identifiers by case_id, each with a subquery for the newest other case
# naming its value that the user may see: an Index Only Scan Backward of identifier_normalised_case
# (normalised, case_id) with LIMIT 1, each row tested by an index probe of the officer's
# permissions. Testing "case IN (every case the officer may see)" hashed 34,716 rows per page
# (90 ms). Planning costs more than running (5-8 ms against 1-2 ms on 30 November): each of the
# three ways to see a case (intake, own permission, group permission) adds to the plan.
# An identifier named in tens of thousands of cases: until the fifth machine the flags read every
# case naming it (when 35,000 complaints of intake runs named one account, 403 ms for an officer's
# page). With 31,426 cases naming one account: 323 ms for the officer's flags as a semi-join
# reading every identifier of the value, and 1,652 ms with EXISTS over the new index read forwards
# (oldest first, while the officer's visible cases are mostly recent); the subquery reading it
# backwards with LIMIT 1 takes 6.5 ms. The case page's list (cases.search.recent_linked_cases)
# reads each value's cases the same way up to 21: 3.6-6.0 ms instead of 230-2,057 ms.
