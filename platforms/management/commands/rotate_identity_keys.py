from django.core.management.base import BaseCommand
from django.db import transaction

from ombudsman.core.crypto import rotate
from platforms.models import DisclosureAnswer


class Command(BaseCommand):
    help = "Re-encrypt all identity data with the newest key of IDENTITY_KEYS (run after adding a key)."

    def handle(self, *args, **options):
        rotated = 0
        ids = list(DisclosureAnswer.objects.exclude(identity_ciphertext="").values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            with transaction.atomic():
                batch = DisclosureAnswer.objects.select_for_update().filter(pk__in=ids[start : start + 500])
                for answer in batch:
                    answer.identity_ciphertext = rotate(answer.identity_ciphertext)
                    answer.save(update_fields=["identity_ciphertext"])
                    rotated += 1
        self.stdout.write(self.style.SUCCESS(f"{rotated} answers re-encrypted with the newest key."))
