from django.core.management.base import BaseCommand

from ombudsman.accounts.roles import ROLE_LABELS
from ombudsman.core.demo import DEMO_BACKUP_CODES, DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo


class Command(BaseCommand):
    help = "Create demo accounts (one per role), platforms, operators and a dozen complaints (idempotent)."

    def handle(self, *args, **options):
        accounts, created = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new complaints)."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<18} {ROLE_LABELS[account.role]}")
        self.stdout.write("Second factor after the password, for every demo account:")
        self.stdout.write(f"  authenticator app key: {DEMO_TOTP_SECRET} (TOTP, 6 digits, 30 seconds)")
        codes = ", ".join(DEMO_BACKUP_CODES)
        self.stdout.write(f"  or a backup code (each works once; seed_demo restores them): {codes}")
