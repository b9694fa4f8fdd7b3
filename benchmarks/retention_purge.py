"""How long the nightly retention purge takes on a national archive, on PostgreSQL.

    benchmarks/retention_purge.py [--cases 1000000] [--due 1400]

Creates a fresh database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ombudsman_bench_purge; dropped and re-created on every run)
and loads the cases with COPY: one identifier each, a third of them closed over the last ten
years, the older half of those already purged in earlier nights (their purge records exist).
`--due` cases closed the night's day five years ago and as many two years ago (a busy day at
100x today's volume) are due. Times one run of `purge_expired_data` (both stages: identity data,
then the case), then a second run that finds nothing, and prints the cases per second."""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, date, datetime, timedelta

# Its own database by default: the purge changes the data the other benchmarks measure on.
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ombudsman_bench_purge")
from common import recreate_database

TODAY = date(2036, 3, 11)


def case_row(n: int, service_id: int, closed_on: date | None) -> dict:
    submitted = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=5 * n)
    return {
        "reference": f"OMB-B-{n:07d}",
        "state": "closed" if closed_on else "in_assessment",
        "channel": "web",
        "language": "nl",
        "filer_role": "victim",
        "complainant_first_name": "Emma",
        "complainant_last_name": "Claes",
        "complainant_email": f"person{n}@mail.example",
        "complainant_phone": "+32470000000",
        "street": "Wetstraat 16",
        "postal_code": "1000",
        "city": "Brussel",
        "country": "Belgium",
        "victim_name": "",
        "service_id": service_id,
        "offence_categories": ["threats"],
        "description": "Every night an unknown account sends me threats about my family.",
        "police_report_number": "",
        "declared_truthful": True,
        "consented_to_processing": True,
        "submitted_at": submitted,
        "entered_by_id": None,
        "identity_recipient": "complainant",
        "identity_recipient_name": "",
        "identity_recipient_address": "",
        "assigned_to_id": None,
        "proposed_by_id": None,
        "proposal": "",
        "handling_started_on": submitted.date(),
        "handling_paused_days": 0,
        "paused_since": None,
        "handling_due_on": submitted.date() + timedelta(days=90),
        "information_due_on": None,
        "closed_on": closed_on,
        "closure_reason": "completed" if closed_on else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_400)
    args = parser.parse_args()

    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from cases.models import Case, PerpetratorIdentifier
    from ombudsman.core.bulk import insert_rows
    from ombudsman.privacy.models import PurgeRecord, PurgeRun
    from ombudsman.privacy.purge import purge_expired_data
    from ombudsman.privacy.retention import closed_before
    from platforms.models import Organisation, Service

    organisation = Organisation.objects.create(name="Meta", kind="platform", contact_point_email="a@b.c")
    service = Service.objects.create(organisation=organisation, name="Instagram")
    five, two = closed_before(TODAY, 5) - timedelta(days=1), closed_before(TODAY, 2) - timedelta(days=1)
    history = PurgeRun.objects.create(today=five, results={})

    def closed_on(n: int) -> date | None:
        if n < 2 * args.due:
            return five if n < args.due else two
        if n % 3:
            return None
        return five - timedelta(days=1 + n % 1800) if n % 2 else five + timedelta(days=2 + n % 1000)

    started = time.perf_counter()
    chunk = 50_000
    for first in range(0, args.cases, chunk):
        rows = [case_row(n, service.pk, closed_on(n)) for n in range(first, min(first + chunk, args.cases))]
        with transaction.atomic():
            insert_rows(Case, rows)
            ids = dict(Case.objects.filter(reference__in=[r["reference"] for r in rows]).values_list("reference", "pk"))
            insert_rows(
                PerpetratorIdentifier,
                [
                    {"case_id": ids[r["reference"]], "kind": "account_name", "value": "@x", "normalised": "x"}
                    for r in rows
                ],
            )
            records = []
            for row in rows:
                if row["closed_on"] in (None, five, two):
                    continue  # open, or due tonight
                # Purged in earlier nights: both stages before `five`, the identity stage after it.
                for stage in ("identity", "case") if row["closed_on"] < five else ("identity",):
                    records.append(
                        {
                            "run_id": history.pk,
                            "case_id": ids[row["reference"]],
                            "case_reference": row["reference"],
                            "stage": stage,
                            "closed_on": row["closed_on"],
                            "purged_at": datetime(2035, 1, 1, tzinfo=UTC),
                            "erased": [],
                            "counts": {},
                        }
                    )
            insert_rows(PurgeRecord, records)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    purged_before = PurgeRecord.objects.filter(stage="case").count()
    print(f"{args.cases:,} cases loaded in {time.perf_counter() - started:.0f} s; {purged_before:,} purged earlier")

    started = time.perf_counter()
    run = purge_expired_data(TODAY)
    elapsed = time.perf_counter() - started
    done = sum(run.results.values())
    print(f"nightly purge: {run.results} in {elapsed:.1f} s ({done / elapsed:.0f} case stages/s)")
    started = time.perf_counter()
    run = purge_expired_data(TODAY)
    print(f"second run: {run.results} in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
