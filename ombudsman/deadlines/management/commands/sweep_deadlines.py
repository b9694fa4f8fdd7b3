from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ombudsman.deadlines.sweep import sweep_deadlines


class Command(BaseCommand):
    help = "Apply every deadline that has passed (lapses, and later reminders and escalations)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="sweep as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today takes a date as YYYY-MM-DD") from None
        results = sweep_deadlines(today)
        for name, count in results.items():
            self.stdout.write(f"{name}: {count}")
