from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ombudsman.core.loadgen import generate_load_data


class Command(BaseCommand):
    help = (
        "Fill PostgreSQL with a national archive for benchmarks: N cases submitted over ten years "
        "(more each year) up to today, each walked through its life as the use cases would have "
        "written it, in plausible shares of states, platforms, languages and officers (about a "
        "third of 4-60 officers at work at any time, 2-10 reviewers, one liaison per organisation; "
        "users named load-*, without passwords): information requests, assessments (some sent "
        "back), about 0.3 disclosure orders per case (some followed up to an operator, some late "
        "with a formal notice), answers, letters (rows only: no PDF is rendered), object "
        "permissions, and an audit event per step. Audit events are appended to the existing hash "
        "chain block by block (in time order within each block of cases, the chain's order "
        "across blocks), so verify_audit_chain stays valid. Rows are written with COPY; the same "
        "seed and --until give the same data. Adds to what the database holds: run it on an empty "
        "database for the benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000, help="how many cases (default 1,000,000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--until", type=date.fromisoformat, default=None, help="last day of the period, YYYY-MM-DD (default today)"
        )
        parser.add_argument("--block", type=int, default=10_000, help="cases per transaction (default 10,000)")

    def handle(self, *args, **options):
        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1")
        try:
            report = generate_load_data(
                options["cases"],
                seed=options["seed"],
                until=options["until"],
                block=options["block"],
                log=self.stdout.write,
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        for key, count in report.rows.most_common():
            self.stdout.write(f"  {key:<20} {count:>12,}")
        timings = ", ".join(f"{key} {seconds:.1f} s" for key, seconds in report.seconds.items())
        self.stdout.write(self.style.SUCCESS(f"Load data written: {timings}."))
