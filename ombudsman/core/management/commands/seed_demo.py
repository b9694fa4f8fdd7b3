from django.core.management.base import BaseCommand

from ombudsman.accounts.roles import ROLE_LABELS
from ombudsman.core.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create demo accounts (one per role), platforms, operators and a dozen complaints (idempotent)."

    def handle(self, *args, **options):
        accounts, created = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new complaints)."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<18} {ROLE_LABELS[account.role]}")
