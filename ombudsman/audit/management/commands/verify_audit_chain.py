from django.core.management.base import BaseCommand, CommandError

from ombudsman.audit.models import AuditEvent
from ombudsman.audit.services import find_broken_links


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; exit status 1 at the first broken link."

    def handle(self, *args, **options):
        broken = next(find_broken_links(), None)
        if broken is not None:
            raise CommandError(f"Audit chain broken at event {broken.event_id}: {broken.reason}.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact ({AuditEvent.objects.count()} events)."))
