from datetime import date

from django.core.management.base import BaseCommand

from ombudsman.privacy.purge import STAGES, planned_purge, purge_expired_data


class Command(BaseCommand):
    help = (
        "Erase the data past its retention period: identity data disclosed in answers, then the "
        "complainant's data, evidence and letter files of the case (README, Privacy)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="purge as if today were this date (YYYY-MM-DD)")
        parser.add_argument(
            "--dry-run", action="store_true", help="list the cases that would be purged, change nothing"
        )

    def handle(self, *args, **options):
        today = options["today"]
        if options["dry_run"]:
            for stage, references in planned_purge(today).items():
                self.stdout.write(f"{stage}: {len(references)} (dry run)")
                for reference in references:
                    self.stdout.write(f"  {reference}")
            return
        run = purge_expired_data(today)
        for stage in STAGES:
            self.stdout.write(f"{stage.stage}: {run.results[stage.stage]}")
