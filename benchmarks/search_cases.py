"""How fast the staff search answers on a national archive of cases, on PostgreSQL.

    benchmarks/search_cases.py [--cases 1000000] [--rounds 20]
    BENCH_REUSE=1 benchmarks/search_cases.py     # measure again on the database already loaded

Fills the benchmark database with `manage.py generate_load_data` (see benchmarks/common.py),
then times each kind of query as a reviewer (who sees every case) and as the case officer
holding the most cases (who sees the intake queue and their own cases): the first page of
results with its count, as the search page shows them. Prints the median and p95 per kind."""

from __future__ import annotations

import argparse

from common import busiest_officer, figures, machine, measure, prepare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    prepare(args.cases)

    from cases.models import Case, PerpetratorIdentifier
    from cases.search import search_page
    from ombudsman.accounts.models import User

    reviewer = User.objects.get(username="load-reviewer-01")
    officer = busiest_officer()
    own = Case.objects.filter(assigned_to=officer).order_by("id")
    sample = own.values("pk", "reference", "complainant_email")[own.count() // 2]
    handle = PerpetratorIdentifier.objects.filter(case_id=sample["pk"]).values_list("value", flat=True).first()
    queries = {
        "reference": sample["reference"],
        "e-mail": sample["complainant_email"],
        "account": handle,
        "name": "Emma Claes",
        "words": "chantage école",
        "platform": "Snapchat",
    }
    print(f"{Case.objects.count():,} cases; {machine()}")
    print(f"search, {args.rounds} rounds, first page of 25 with its count:")
    for user, label in [(reviewer, "reviewer"), (officer, "case officer")]:
        for kind, text in queries.items():

            def search(user=user, text=text):
                page = search_page(user, text)  # as the search page does
                total = page.paginator.count
                list(page)
                return total

            times, total = measure(search, args.rounds, warm_up=1)
            median, p95 = figures(times)
            print(
                f"  {label:>12} {kind:>9}: median {median:6.1f} ms, p95 {p95:6.1f} ms  "
                f"({total:,}{'+' if total > 1000 else ''} found)"
            )


if __name__ == "__main__":
    main()
