from datetime import date

from django.core.management.base import BaseCommand

from ombudsman.dashboard.summaries import build_statistics_summaries


class Command(BaseCommand):
    help = (
        "Add the cases ended and the orders finished since the last build to the statistics summaries, "
        "up to yesterday (the nightly task does the same). The statistics page computes the rest live."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--up-to",
            type=date.fromisoformat,
            help="summarise up to this day, YYYY-MM-DD (default and at most: yesterday)",
        )
        parser.add_argument("--rebuild", action="store_true", help="empty the summaries and build them from the start")

    def handle(self, *args, **options):
        report = build_statistics_summaries(options["up_to"], rebuild=options["rebuild"])
        self.stdout.write(str(report))
