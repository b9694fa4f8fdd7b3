"""How fast the staff search answers on a national archive of cases, on PostgreSQL.

    benchmarks/search_cases.py [--cases 1000000] [--rounds 20]

Creates a fresh database `ombudsman_bench` (dropped and re-created on every run), loads the
cases with COPY (one identifier each; some accounts shared by several cases), builds the
search index, then times each kind of query as a reviewer (who sees every case) and as a
case officer (who sees the intake queue and their own cases): the first page of results
with its count, as the search page shows them. Prints the median and p95 per kind.
BENCH_REUSE=1 measures again on the database already loaded."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from sweep_overdue_orders import DATABASE_URL, recreate_database  # noqa: E402

os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/12")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ombudsman.settings")

FIRST = [
    "Emma",
    "Noor",
    "Louis",
    "Camille",
    "Jonas",
    "Chloé",
    "Lena",
    "Arthur",
    "Manon",
    "Lucas",
    "Marie",
    "Ella",
    "Liam",
    "Olivia",
    "Noah",
    "Mila",
    "Adam",
    "Lina",
    "Victor",
    "Juliette",
]
LAST = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Laurent",
    "Leroy",
    "Renard",
    "Lejeune",
    "Schmitz",
]
WORDS = {
    "nl": [
        "bedreigingen",
        "berichten",
        "elke",
        "avond",
        "school",
        "adres",
        "foto's",
        "chantage",
        "beledigingen",
        "angst",
        "familie",
    ],
    "fr": [
        "menaces",
        "messages",
        "chaque",
        "soir",
        "école",
        "adresse",
        "photos",
        "chantage",
        "insultes",
        "peur",
        "famille",
    ],
    "en": [
        "threats",
        "messages",
        "every",
        "evening",
        "school",
        "address",
        "photos",
        "blackmail",
        "insults",
        "fear",
        "family",
    ],
}


def measure_only() -> bool:
    return os.environ.get("BENCH_REUSE") == "1"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    reuse = measure_only()
    if not reuse:
        recreate_database()
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction

    if not reuse:
        call_command("migrate", verbosity=0)
    from cases.models import Case, PerpetratorIdentifier
    from cases.search import search_page
    from ombudsman.accounts.models import User
    from ombudsman.core.bulk import insert_rows
    from platforms.models import Organisation, Service

    if not reuse:
        services = []
        for name, items in [
            ("Meta Platforms Ireland Ltd.", ["Instagram", "Facebook", "WhatsApp", "Messenger"]),
            ("Snap B.V.", ["Snapchat"]),
            ("TikTok Technology Ltd", ["TikTok"]),
            ("X Corp", ["X"]),
        ]:
            organisation = Organisation.objects.create(name=name, kind="platform", contact_point_email="a@b.c")
            services += [Service.objects.create(organisation=organisation, name=item) for item in items]
        reviewer = User.objects.create(username="bench-reviewer")
        reviewer.groups.add(Group.objects.get(name="reviewer"))
        officer = User.objects.create(username="bench-officer")
        officer.groups.add(Group.objects.get(name="case officer"))

        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS case_search_document")
        rng = random.Random(2026)
        started = time.perf_counter()
        start_time = datetime(2016, 1, 1, tzinfo=UTC)
        chunk = 50_000
        for first in range(0, args.cases, chunk):
            rows, identifiers = [], []
            for n in range(first, min(first + chunk, args.cases)):
                language = rng.choice(["nl", "fr", "en"])
                submitted = start_time + timedelta(minutes=5 * n)
                rows.append(
                    {
                        "reference": f"OMB-{submitted.year}-{n:07d}",
                        "state": rng.choice(
                            ["submitted", "in_assessment", "closed", "closed", "rejected", "identified"]
                        ),
                        "channel": "web",
                        "language": language,
                        "filer_role": "victim",
                        "complainant_first_name": rng.choice(FIRST),
                        "complainant_last_name": rng.choice(LAST),
                        "complainant_email": f"person{n}@mail.example",
                        "complainant_phone": "",
                        "street": "Straat 1",
                        "postal_code": "1000",
                        "city": "Brussel",
                        "country": "Belgium",
                        "victim_name": "",
                        "service_id": rng.choice(services).pk,
                        "offence_categories": ["threats"],
                        "description": " ".join(rng.choices(WORDS[language], k=25)),
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
                        "closed_on": None,
                        "closure_reason": "",
                    }
                )
            with transaction.atomic():
                insert_rows(Case, rows)
                ids = dict(
                    Case.objects.filter(reference__in=[r["reference"] for r in rows]).values_list("reference", "pk")
                )
                for row in rows:
                    handle = f"account_{rng.randrange(args.cases // 3)}"
                    identifiers.append(
                        {
                            "case_id": ids[row["reference"]],
                            "kind": "account_name",
                            "value": "@" + handle,
                            "normalised": f"instagram:{handle}",
                        }
                    )
                insert_rows(PerpetratorIdentifier, identifiers)
        print(f"{args.cases} cases loaded in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("CREATE INDEX case_search_document ON cases_case USING gin (search_document)")
            cursor.execute("ANALYZE")
        print(f"search index built in {time.perf_counter() - started:.0f} s")

    reviewer = User.objects.get(username="bench-reviewer")
    officer = User.objects.get(username="bench-officer")

    sample = Case.objects.filter(pk=777_777 % args.cases or 1).values("pk", "reference", "complainant_email").first()
    own = Case.objects.filter(pk=sample["pk"])
    own.update(assigned_to=officer)
    from guardian.shortcuts import assign_perm

    assign_perm("cases.view_case", officer, own.get())
    handle = PerpetratorIdentifier.objects.filter(case_id=sample["pk"]).values_list("value", flat=True).first()
    queries = {
        "reference": sample["reference"],
        "e-mail": sample["complainant_email"],
        "account": handle,
        "name": "Emma Claes",
        "words": "chantage école",
        "platform": "Snapchat",
    }
    print(f"search at {args.cases:,} cases, {args.rounds} rounds, first page of 25 with its count:")
    for user, label in [(reviewer, "reviewer"), (officer, "case officer")]:
        for kind, text in queries.items():
            times = []
            for _ in range(args.rounds):
                begin = time.perf_counter()
                page = search_page(user, text)  # as the search page does
                total = page.paginator.count
                list(page)
                times.append(time.perf_counter() - begin)
            times.sort()
            print(
                f"  {label:>12} {kind:>9}: median {statistics.median(times) * 1000:6.1f} ms, "
                f"p95 {times[int(0.95 * (len(times) - 1))] * 1000:6.1f} ms  "
                f"({total:,}{'+' if total > 1000 else ''} found)"
            )


if __name__ == "__main__":
    main()
