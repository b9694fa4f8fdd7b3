"""How fast the deadline sweep handles orders falling due at once, on PostgreSQL.

    benchmarks/sweep_overdue_orders.py [--orders 100000]

Creates a fresh database `ombudsman_bench_sweep` (dropped and re-created on every run; not the
database of the other benchmarks), inserts the orders in state `issued` with yesterday as due
date, then times one sweep: every order becomes `overdue` with its audit event and its
formal-notice letter request (PDF rendering excluded: the letters are queued, not rendered).
Prints time and peak memory. Needs PostgreSQL (BENCH_SWEEP_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ombudsman_bench_sweep) and Redis for the letter queue
(BENCH_BROKER_URL, default redis://127.0.0.1:6379/12, purged)."""

from __future__ import annotations

import argparse
import os
import resource
import time
from datetime import date, timedelta

import common

SWEEP_DATABASE_URL = os.environ.get(
    "BENCH_SWEEP_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ombudsman_bench_sweep"
)
os.environ["DATABASE_URL"] = SWEEP_DATABASE_URL


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()

    common.recreate_database(SWEEP_DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)

    from cases.services.intake import Complaint, submit_complaint
    from ombudsman.audit.models import AuditEvent
    from ombudsman.celery import app
    from ombudsman.letters.models import LetterRequest
    from platforms.models import DisclosureOrder, Organisation, Service
    from platforms.services.sweep import mark_overdue_orders

    app.control.purge()
    today = date.today()
    organisation = Organisation.objects.create(name="Bench Platform", kind="platform", contact_point_email="a@b.c")
    service = Service.objects.create(organisation=organisation, name="Bench")
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.create(username="bench-officer")
    case = submit_complaint(
        complaint=Complaint(
            filer_role="victim",
            first_name="A",
            last_name="B",
            email="",
            phone="",
            street="s",
            postal_code="1000",
            city="Brussels",
            country="Belgium",
            language="en",
            service=service,
            offence_categories=["threats"],
            description="Benchmark complaint " * 3,
            identifiers=[("account_name", "@x")],
            message_times=[django.utils.timezone.now() - timedelta(days=1)],
            declared_truthful=True,
            consented_to_processing=True,
        )
    )
    started = time.perf_counter()
    chunk = 10_000
    for first in range(0, args.orders, chunk):
        with transaction.atomic():
            DisclosureOrder.objects.bulk_create(
                [
                    DisclosureOrder(
                        reference=f"{case.reference}-B{n}",
                        case=case,
                        organisation=organisation,
                        kind="account_data",
                        identifiers=[{"kind": "account_name", "value": "@x"}],
                        data_requested=["names"],
                        reasons="Benchmark order.",
                        state="issued",
                        drafted_by=officer,
                        issued_by=officer,
                        due_on=today - timedelta(days=1),
                        reminder_on=today - timedelta(days=4),
                    )
                    for n in range(first, min(first + chunk, args.orders))
                ]
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{args.orders} orders due yesterday inserted in {time.perf_counter() - started:.1f} s")

    rss_before = peak_rss_mb()
    started = time.perf_counter()
    handled = mark_overdue_orders(today)
    elapsed = time.perf_counter() - started
    rss_after = peak_rss_mb()

    assert handled == args.orders, handled
    assert DisclosureOrder.objects.filter(state="overdue").count() == args.orders
    assert AuditEvent.objects.filter(action="mark_overdue").count() == args.orders
    assert LetterRequest.objects.filter(kind="formal_notice").count() == args.orders
    assert mark_overdue_orders(today) == 0  # a second sweep changes nothing
    app.control.purge()
    print(
        f"sweep: {handled} orders overdue, {handled} audit events, {handled} letters queued in {elapsed:.1f} s "
        f"({handled / elapsed:,.0f} orders/s); peak memory {rss_before:.0f} MB before, {rss_after:.0f} MB after"
    )


if __name__ == "__main__":
    main()
