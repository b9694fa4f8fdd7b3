from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Files served only through views that check rights (evidence, letters)."""
    return storages["private"]
